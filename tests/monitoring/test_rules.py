"""Each anti-fraud rule flags constructed data that looks manufactured, and ordinary data
passes every rule. The data goes through the services into the database (both backends)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from giving_helpers import COUNTY
from monitoring_helpers import make_place, visit

import support
from pairing.accounts.models import User
from pairing.db import today, utcnow
from pairing.extensions import db
from pairing.giving.models import Household
from pairing.monitoring import figures, rules, services

TODAY = today()
LINE = services.DEFAULT_LINES[2020]  # years after 2020 take 2020's line by default


def _flags(app, inspections: tuple[date, ...] = ()) -> dict[str, set[int]]:
    """{rule: households flagged} for the test county."""
    with app.test_request_context():
        data = figures.gather(COUNTY)
        found: dict[str, set[int]] = {}
        for f in rules.check(data, services.line_for, list(inspections)):
            found.setdefault(f.rule, set()).update(f.household_ids)
        return found


def _ordinary(app, n: int = 6, tie: bool = False):
    """A village whose visits look like real work: different days, different incomes and
    figures, entered on the day of each visit."""
    p = make_place(app, n=n, tie=tie)
    for i, hid in enumerate(p.households):
        for year_back in (2, 1, 0):
            day = TODAY - timedelta(days=365 * year_back + 11 * i + 3)
            visit(app, p.cadre.id, hid, day, 5200 + 1370 * i + 410 * (2 - year_back),
                  recorded_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=15),
                  workers_away=i % 3, workers_local=(i + 1) % 2)
    return p


def _exit_all(app, p) -> None:
    with app.test_request_context():
        verifier = db.session.get(User, p.verifier.id)
        for hid in p.households:
            services.confirm_exit(verifier, db.session.get(Household, hid))
        db.session.commit()


def test_ordinary_data_passes_every_rule(app):
    p = _ordinary(app)
    _exit_all(app, p)  # exits today; the county's inspection is two months away
    assert _flags(app, (TODAY + timedelta(days=60),)) == {}


def test_incomes_clustered_just_above_the_line(app):
    p = make_place(app, n=6)
    for i, hid in enumerate(p.households):
        visit(app, p.cadre.id, hid, TODAY - timedelta(days=7 * i), LINE + 30 + 50 * i,
              recorded_at=utcnow() - timedelta(days=7 * i))
    assert _flags(app)["clustered"] == set(p.households)


def test_identical_figures_across_households(app):
    p = _ordinary(app)
    for i, hid in enumerate(p.households[:3]):
        visit(app, p.cadre.id, hid, TODAY - timedelta(days=i), 8000, workers_away=1,
              causes=("labour",), recorded_at=utcnow() - timedelta(days=i))
    assert _flags(app) == {"identical": set(p.households[:3])}


def test_visits_recorded_in_bulk(app):
    p = make_place(app, n=10)
    start = utcnow() - timedelta(hours=2)
    for i, hid in enumerate(p.households):  # ten "visits" on different days, typed in 20 min
        visit(app, p.secretary.id, hid, TODAY - timedelta(days=30 + 9 * i), 6000 + 900 * i,
              workers_away=i % 4, recorded_at=start + timedelta(minutes=2 * i))
    assert _flags(app) == {"bulk": set(p.households)}


def test_exits_just_before_an_inspection(app):
    p = _ordinary(app)
    _exit_all(app, p)
    assert _flags(app, (TODAY + timedelta(days=10),)) == {"inspection": set(p.households)}


def test_a_family_tie_to_the_secretary_who_registered_the_household(app):
    p = _ordinary(app, n=2, tie=True)
    assert _flags(app) == {"tie": set(p.households)}


def test_a_tie_declared_by_someone_who_no_longer_reports_on_the_household_is_not_flagged(app):
    p = _ordinary(app, n=2, tie=True)
    successor = support.make_user(app, "secretary")
    with app.app_context():
        from pairing.places.models import Village

        db.session.get(Village, p.village_id).secretary_id = successor.id
        db.session.commit()
    assert _flags(app) == {}
