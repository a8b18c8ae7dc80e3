"""Demo data for `manage.py seed_demo`: data tables per programme, and the
idempotent writers that turn them into rows. Later features add a data module
here and a `seed_*` call in the command."""
