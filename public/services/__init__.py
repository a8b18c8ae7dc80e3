"""Writes of the public site, one module per area (issue 15)."""
