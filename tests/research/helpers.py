"""Helpers of the research tests: build an export as the worker would, read its zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django_scopes import scope

from research import datasets as ds
from research import exports
from research.models import DataExport

ALL = list(ds.DATASETS)


def build(
    world, *, format="csv", datasets=None, free_text=False, start=None, end=None, user="researcher"
):
    """An export of the first programme built by `research.exports.build`: (export, zip)."""
    with scope(tenant=world.tenant):
        export = DataExport.objects.create(
            tenant=world.tenant,
            requested_by=world.users[user],
            format=format,
            datasets=datasets or ALL,
            include_free_text=free_text,
            period_start=start,
            period_end=end,
        )
        data, _name = exports.build(export)
    return export, zipfile.ZipFile(io.BytesIO(data))


def table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def everything(archive: zipfile.ZipFile) -> str:
    """Every text file of the zip, concatenated (for "appears nowhere" checks)."""
    return "\n".join(
        archive.read(n).decode("utf-8") for n in archive.namelist() if not n.endswith(".xlsx")
    )


def manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("manifest.json"))
