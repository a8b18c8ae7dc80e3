"""Bench data for `manage.py seed_bench`: county-sized programmes written with
bulk_create, for `make bench`. Not demo data: names are made up and numbered."""
