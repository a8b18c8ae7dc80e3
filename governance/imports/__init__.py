"""Reading old minutes into proposals (issue 14): see `reading.read_file`."""

# The document kind (portal.documents) of the background job that reads one
# imported file (governance/documents.py).
READING_KIND = "minutes_reading"
