"""The document machinery: the PDFs and exports the portal makes in a worker.

* `registry`: the kinds of document (`PdfDocument`, `ExportDocument`), who may
  have them, and the sections apps contribute; apps register theirs in ready().
* `requests`: the web side, asking for a document and what a page shows of it.
* `jobs`: the worker side, rendering a job and recording how it went;
  `tasks`: the Celery tasks that run it. Nothing here imports `tasks` but
  `requests`, which queues it (tests/test_architecture.py keeps it so).
* `pdf`: HTML to PDF with WeasyPrint; `seals`: the PAdES seal of approved
  minutes; `check`: "Kontrollera ett dokument", whether an upload is a sealed copy.
* `views` and `urls`: the pages, in the `portal` namespace.
"""
