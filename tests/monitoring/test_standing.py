"""The exit rule and the watch rule (防返贫监测), and the yearly poverty lines."""

from __future__ import annotations

from datetime import date

import pytest
from monitoring_helpers import make_place, standing, visit, visits_of
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Household
from pairing.matching.models import Notification
from pairing.monitoring import services
from pairing.monitoring.policy import Forbidden, MonitoringError

Y = 2020  # the official line of 2020: 4,000 yuan; the watch list below 6,000 (50 % margin)
DAY = date(Y, 6, 1)


def _confirm(app, actor_id: int, household_id: int, off_watch: bool = False) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        actor, h = db.session.get(User, actor_id), db.session.get(Household, household_id)
        (services.confirm_off_watch if off_watch else services.confirm_exit)(actor, h)
        db.session.commit()


def test_history_is_kept_and_a_low_income_enters_the_watch_list(app):
    p = make_place(app)
    hid = p.households[0]
    visit(app, p.cadre.id, hid, date(Y, 3, 1), 7000)
    assert not standing(app, hid).watched
    visit(app, p.cadre.id, hid, DAY, 5200)  # above the line, inside the margin
    state = standing(app, hid)
    assert state.watched and state.watch_reason == "income"
    assert visits_of(app, hid) == [7000, 5200]  # nothing overwritten
    with app.app_context():  # the secretary's and the county verifier's inboxes
        told = set(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "monitoring.watch")))
    assert told == {p.secretary.id, p.verifier.id}


@pytest.mark.parametrize("shock", ["illness", "disability", "disaster", "job_loss"])
def test_a_new_hardship_enters_the_watch_list_whatever_the_income(app, shock):
    p = make_place(app)
    visit(app, p.secretary.id, p.households[0], DAY, 20_000, shock=shock)
    state = standing(app, p.households[0])
    assert state.watched and state.watch_reason == shock


def test_exit_needs_income_above_the_line_and_every_guarantee(app):
    p = make_place(app)
    hid = p.households[0]
    visit(app, p.cadre.id, hid, DAY, 4000)  # at the line, not above
    with pytest.raises(MonitoringError, match="not above 4000"):
        _confirm(app, p.verifier.id, hid)
    visit(app, p.cadre.id, hid, date(Y, 7, 1), 8000, housing=False)
    with pytest.raises(MonitoringError, match="guarantee"):
        _confirm(app, p.verifier.id, hid)
    visit(app, p.cadre.id, hid, date(Y, 8, 1), 4001)
    _confirm(app, p.verifier.id, hid)
    assert standing(app, hid).standing == "exited"
    with pytest.raises(MonitoringError):
        _confirm(app, p.verifier.id, hid)  # not twice


def test_those_who_report_cannot_confirm_an_exit(app):
    p = make_place(app)
    hid = p.households[0]
    visit(app, p.cadre.id, hid, DAY, 9000)
    other = support.make_user(app, "verifier", jurisdiction="43")  # the province's office
    far = support.make_user(app, "verifier", jurisdiction="11")  # Beijing: not in jurisdiction
    for actor in (p.cadre.id, p.secretary.id, far.id):
        with pytest.raises(Forbidden):
            _confirm(app, actor, hid)
    assert standing(app, hid).standing == "poor"
    _confirm(app, other.id, hid)
    assert standing(app, hid).standing == "exited"


def test_a_return_after_exit_is_counted_and_leaving_the_watch_list_needs_the_margin(app):
    p = make_place(app)
    hid = p.households[0]
    visit(app, p.cadre.id, hid, date(Y, 1, 10), 6500)
    _confirm(app, p.verifier.id, hid)
    visit(app, p.cadre.id, hid, date(Y, 5, 1), 3000)
    state = standing(app, hid)
    assert state.watched and state.standing == "exited"
    with app.app_context():
        from pairing.monitoring.models import StandingEvent

        kinds = [(e.kind, e.after_exit) for e in db.session.scalars(
            select(StandingEvent).order_by(StandingEvent.id))]
    assert kinds == [("exit", False), ("watch_in", True)]
    visit(app, p.cadre.id, hid, date(Y, 9, 1), 5500)  # above the line, not the margin
    with pytest.raises(MonitoringError, match="not above 6000"):
        _confirm(app, p.verifier.id, hid, off_watch=True)
    visit(app, p.cadre.id, hid, date(Y, 10, 1), 6100)
    _confirm(app, p.verifier.id, hid, off_watch=True)
    assert not standing(app, hid).watched


def test_bad_visits_change_nothing(app):
    p = make_place(app)
    hid = p.households[0]
    for kwargs in ({"income": -1}, {"income": 100, "workers_away": 31},
                   {"income": 100, "shock": "meteor"}, {"income": 100, "causes": ("x",)}):
        income = kwargs.pop("income")
        with pytest.raises(MonitoringError):
            visit(app, p.cadre.id, hid, DAY, income, **kwargs)
    with pytest.raises(MonitoringError):
        visit(app, p.cadre.id, hid, date(2999, 1, 1), 100)
    assert visits_of(app, hid) == []


def test_lines_default_to_the_official_figures_and_a_national_coordinator_edits_them(app):
    national = support.make_user(app, "coordinator", jurisdiction="CN")
    provincial = support.make_user(app, "coordinator", jurisdiction="43")
    with app.app_context():
        assert services.line_for(2016).line_yuan == 2952
        assert services.line_for(2024).line_yuan == 4000  # the latest until one is set
        with pytest.raises(Forbidden):
            services.set_line(db.session.get(User, provincial.id), 2024, 5000, 50)
        with pytest.raises(MonitoringError):
            services.set_line(db.session.get(User, national.id), 2024, 0, 50)
        services.set_line(db.session.get(User, national.id), 2024, 4600, 30)
        db.session.commit()
        line = services.line_for(2024)
        assert (line.line_yuan, line.watch_below, line.official) == (4600, 5980, False)
