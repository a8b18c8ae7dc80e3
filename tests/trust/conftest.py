"""Both demo programmes with the probes' logins and extras (tests/trust/programmes.py),
built once per run and read from this worker's copy (tests/shared_demo.py), and
a logged-in session for each login, made once per module."""

from collections.abc import Iterator

import pytest

from tests.shared_demo import SharedDemo
from tests.trust.programmes import Programmes, from_metadata, log_in


@pytest.fixture(scope="module")
def programmes(shared_demo: SharedDemo) -> Iterator[Programmes]:
    with shared_demo.use("programmes") as meta:
        programmes = from_metadata(meta)
        log_in(programmes)
        yield programmes
