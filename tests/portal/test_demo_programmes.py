"""The demo programmes are data (demo/data/<slug>.toml) read by one loader into
the spec dataclasses; these checks need no database."""

from __future__ import annotations

import pytest

from demo.management.commands._demo import programmes
from demo.management.commands._demo.governance import ItemSpec
from demo.management.commands._demo.specs import OPERATION_SETS


@pytest.mark.parametrize("slug", programmes.SLUGS)
def test_each_programme_loads_into_its_specs(slug):
    loaded = programmes.load(slug)

    assert loaded.programme.slug == loaded.governance.slug == slug
    assert loaded.programme.principals and loaded.programme.people
    assert loaded.governance.bodies and loaded.governance.meetings
    assert all(isinstance(i, ItemSpec) for m in loaded.governance.meetings for i in m.agenda)


def test_a_municipality_runs_the_named_operation_sets_in_order():
    eskilstuna = next(
        p for p in programmes.load("sormland").programme.principals if p.name == "Eskilstuna kommun"
    )
    assert eskilstuna.operations == (
        OPERATION_SETS["municipal"]
        + OPERATION_SETS["upper_secondary"]
        + OPERATION_SETS["family_centres"]
        + OPERATION_SETS["outpatient_care"]
    )


def test_an_agenda_item_several_meetings_use_is_one_item():
    agenda = [i for m in programmes.load("sormland").governance.meetings for i in m.agenda]
    status = [i for i in agenda if i.title == "Statusrapport" and i.report]
    assert len(status) > 1 and all(i is status[0] for i in status)


def test_the_chair_is_the_latest_chair_seat():
    assert programmes.chair(programmes.load("kronoberg").governance, "SG") == "Ingrid Lövgren"


def test_a_key_no_spec_has_is_refused(tmp_path, monkeypatch):
    (tmp_path / "x.toml").write_text(
        'slug = "x"\nname = "X"\nregion = "R"\ndescription = ""\n'
        "reporting_interval_months = 6\nprincipals = []\npeople = []\n"
        'seats = []\nmeetings = []\nreports = []\n\n[[bodies]]\ncode = "SG"\nname = "S"\n'
        'kind = "styrgrupp"\ncolour = "red"\n'
    )
    monkeypatch.setattr(programmes, "DATA_DIR", tmp_path)

    with pytest.raises(TypeError, match="colour"):
        programmes.load.__wrapped__("x")
