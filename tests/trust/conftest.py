"""Both demo programmes, built once per module (see tests/trust/programmes.py)."""

from collections.abc import Iterator

import pytest

from tests.trust.programmes import Programmes, built_programmes


@pytest.fixture(scope="module")
def programmes(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Programmes]:
    with django_db_blocker.unblock(), built_programmes(tmp_path_factory.mktemp("media")) as built:
        yield built
