"""Both demo programmes with the probes' logins and extras (tests/trust/programmes.py),
built once per run and read from this worker's copy (tests/shared_demo.py)."""

from collections.abc import Iterator

import pytest

from tests.shared_demo import SharedDemo
from tests.trust.programmes import Programmes, from_metadata


@pytest.fixture(scope="module")
def programmes(shared_demo: SharedDemo) -> Iterator[Programmes]:
    with shared_demo.use("programmes") as meta:
        yield from_metadata(meta)
