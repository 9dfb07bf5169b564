"""The stored figures (pairing/stats/snapshot.py) equal a recomputation from the rows,
whatever changes the rows went through, for the nation, every province and every county;
the pages say when they were computed and the downloads still re-derive them."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from pairing import housekeeping
from pairing.db import utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village
from pairing.stats import snapshot
from pairing.stats.models import FigureSnapshot

COUNTIES = ["433124", "433125", "513431", "520102", "330106"]
EN = {"Accept-Language": "en"}
SEQ = itertools.count()

village = st.fixed_dictionaries({
    "county": st.sampled_from(COUNTIES),
    "status": st.sampled_from(["pending", "verified", "rejected"]),
    "poor": st.integers(0, 5000), "deep": st.booleans()})
change = st.one_of(
    st.tuples(st.just("add"), village),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(["verified", "rejected"])),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(COUNTIES)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("enterprise"), st.sampled_from(COUNTIES), st.booleans()))


def _apply(steps: list[tuple]) -> None:
    for step in steps:
        seq = next(SEQ)
        rows = db.session.scalars(select(Village).order_by(Village.id)).all()
        if step[0] == "add":
            v = step[1]
            db.session.add(Village(name=f"村{seq}", county_code=v["county"], population=9000,
                                   households=2000, poor_households=v["poor"] // 4,
                                   poor_population=v["poor"], deep_poverty=v["deep"],
                                   status=v["status"], verified_at=utcnow()
                                   if v["status"] == "verified" else None))
        elif step[0] == "enterprise":
            db.session.add(Enterprise(
                name=f"企业{seq}", credit_code=credit_code.make("91", step[1], f"{seq:08d}Y"),
                county_code=step[1], sector="C",
                status="verified" if step[2] else "pending"))
        elif rows:
            target = rows[step[1] % len(rows)]
            if step[0] == "status":
                target.status = step[2]
            elif step[0] == "move":
                target.county_code = step[2]
            else:
                db.session.delete(target)
        db.session.flush()


def _nonzero(places: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {k: v for k, v in places.items() if any(v.values())}


def _same(stored: snapshot.View, live: snapshot.View, scope: str) -> None:
    assert stored.computed_at is not None and live.computed_at is None
    if scope == "nation":
        assert stored.national == live.national
        assert _nonzero(stored.provinces) == _nonzero(live.provinces)
        assert stored.deciles == live.deciles and stored.coverage == live.coverage
        assert stored.registered == live.registered
        assert stored.villages_series == live.villages_series
        assert stored.enterprises_series == live.enterprises_series
        assert [(c.key, c.series) for c in stored.charts] == \
            [(c.key, c.series) for c in live.charts]
        assert [(m.key, m.committed, m.delivered) for m in stored.mechanisms] == \
            [(m.key, m.committed, m.delivered) for m in live.mechanisms]
    elif len(scope) == 2:
        assert _nonzero(stored.provinces) == _nonzero({scope: live.provinces.get(
            scope, snapshot._blank())})
        assert _nonzero(stored.counties) == _nonzero(live.counties)
    else:
        assert stored.counties == live.counties


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=st.lists(change, max_size=12), after=st.lists(change, max_size=12))
def test_snapshot_equals_recomputation_after_random_changes(app, before, after):
    with app.app_context():
        try:
            _apply(before)
            db.session.commit()
            # The job runs when due; the second run within the period writes nothing.
            done = housekeeping.run_all(db.session)
            assert done["stats.snapshot"] >= 1
            assert housekeeping.run_all(db.session)["stats.snapshot"] == 0
            _apply(after)
            db.session.commit()
            later = utcnow() + timedelta(seconds=app.config.get("STATS_REFRESH_S", 300) + 1)
            housekeeping.run_all(db.session, later)
            _same(snapshot.nation(), snapshot._live(whole=True), "nation")
            for code in {c[:2] for c in COUNTIES}:
                _same(snapshot.province(code), snapshot._live(province=code), code)
            for code in COUNTIES:
                _same(snapshot.county(code), snapshot._live(county=code), code)
        finally:
            db.session.rollback()
            for model in (FigureSnapshot, Enterprise, Village):
                db.session.execute(delete(model))
            db.session.commit()


def test_pages_say_when_and_downloads_rederive(app, client, seeded):
    """After a refresh the pages show the stored figures and their time; a row verified
    since shows on the download at once and on the pages at the next refresh."""
    page = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assert "computed from their rows just now" in page
    with app.app_context():
        housekeeping.run_all(db.session)
        db.session.get(Village, seeded["villages"][2]).status = "verified"
        db.session.commit()
    for url in ("/dashboard", "/dashboard/province/43", "/dashboard/county/433124"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "Figures as computed from their rows at" in page, url
    assert client.get("/api/v1/figures").json["national"]["villages"] == 2  # as stored
    assert client.get("/api/v1/figures").json["computed_at"].endswith("Z")
    rows = list(csv.DictReader(io.StringIO(
        client.get("/open-data/villages.csv").get_data().decode("utf-8-sig"))))
    assert len(rows) == 3  # the download recomputes now
    with app.app_context():
        housekeeping.run_all(db.session, utcnow() + timedelta(hours=1))
    assert client.get("/api/v1/figures").json["national"]["villages"] == 3


def _villages_card(page: str) -> str:
    import re

    found = re.search(r'<span class="[^"]*">([^<]+)</span>\s*<span>Villages taking part</span>',
                      page)
    assert found, "no villages card"
    return found.group(1)


def test_the_dashboard_kept_per_snapshot_shows_the_next_one(app, client, seeded):
    """/dashboard's tables and charts are rendered once per language, figure and snapshot:
    the next snapshot shows at once, each language and figure gets its own page, and the
    monitoring counts between the kept parts are read on every view."""
    with app.app_context():
        housekeeping.run_all(db.session)
    first = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assert _villages_card(first) == "2"
    hunan = client.get("/dashboard/province/43", headers=EN).get_data(as_text=True)
    assert _villages_card(hunan) == "1"
    kept = app.extensions["pairing.dashboard_parts"]
    assert sorted(k[:-1] for k in kept) == [("dashboard", "en", "villages"),
                                            ("province", "43", "en", "villages")]
    client.get("/dashboard", headers={"Accept-Language": "zh"})
    by_enterprises = client.get("/dashboard?figure=enterprises", headers=EN).get_data(
        as_text=True)
    assert 'value="enterprises" selected' in by_enterprises
    assert sorted(k[1:3] for k in kept if k[0] == "dashboard") == [
        ("en", "enterprises"), ("en", "villages"), ("zh", "villages")]
    with app.app_context():
        db.session.get(Village, seeded["villages"][2]).status = "verified"
        db.session.commit()
    assert _villages_card(client.get("/dashboard", headers=EN).get_data(as_text=True)) == "2"
    with app.app_context():
        housekeeping.run_all(db.session, utcnow() + timedelta(hours=1))
    assert _villages_card(client.get("/dashboard", headers=EN).get_data(as_text=True)) == "3"
    assert _villages_card(client.get("/dashboard/province/43", headers=EN).get_data(
        as_text=True)) == "2"
    assert [k[1:3] for k in kept if k[0] == "dashboard"] == [("en", "villages")]  # the old snapshot's parts dropped
    assert "Exits from poverty and the watch list" in first
