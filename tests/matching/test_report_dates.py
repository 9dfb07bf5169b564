"""The date of a progress report lies within its pairing: not before it starts, and the
demo's reports too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from matching import mhelp as h
from sqlalchemy import select

from pairing.db import today as beijing_today
from pairing.db import utcnow
from pairing.enterprises.rules import Invalid
from pairing.extensions import db
from pairing.matching import delivery
from pairing.matching.models import Pairing, ProgressReport

ZH = {"Accept-Language": "zh-CN"}


def test_report_dated_before_the_pairing_starts_is_refused(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    with app.app_context():
        starts = db.session.get(Pairing, pairing_id).starts_on
    ent = h.client_for(app, m.officer, "en")
    text = h.report(ent, pairing_id, "5000", starts - timedelta(days=3)).get_data(as_text=True)
    assert f"cannot be before the pairing starts ({starts.isoformat()})" in text
    assert h.reports(app) == []
    text = h.report(h.client_for(app, m.officer, "zh"), pairing_id, "5000",
                   starts - timedelta(days=1), headers=ZH).get_data(as_text=True)
    assert f"交付日期不能早于结对开始日期（{starts.isoformat()}）" in text
    with app.app_context():
        p = db.session.get(Pairing, pairing_id)
        with pytest.raises(Invalid) as caught:
            delivery.report_progress(h.user(m.officer), p, 500_000,
                                     starts - timedelta(days=1), "", [])
        assert set(caught.value.errors) == {"delivered_on"}
        db.session.rollback()
    h.report(ent, pairing_id, "5000", starts)   # the first day counts
    assert h.reports(app) == [(500_000, "reported")]


def test_demo_reports_fall_within_their_pairings(app):
    """The demo once dated its reports three days before their pairings started."""
    from pairing import demo

    with app.app_context():
        demo.load(echo=lambda _m: None)
        today = beijing_today()
        pairs = [(r.delivered_on, r.pairing.starts_on, r.pairing.ends_on)
                 for r in db.session.scalars(select(ProgressReport))]
    assert pairs
    for delivered, starts, ends in pairs:
        assert starts <= delivered <= min(ends, today), (delivered, starts, ends)


def test_today_is_the_beijing_date(monkeypatch):
    from datetime import date, datetime

    import pairing.db

    monkeypatch.setattr(pairing.db, "utcnow", lambda: datetime(2026, 12, 6, 15, 59))
    assert pairing.db.today() == date(2026, 12, 6)  # 23:59 in Beijing
    monkeypatch.setattr(pairing.db, "utcnow", lambda: datetime(2026, 12, 6, 16, 30))
    assert pairing.db.today() == date(2026, 12, 7)  # 00:30 in Beijing: a new day there
    assert pairing.db.local_date(datetime(2026, 12, 6, 16, 0)) == date(2026, 12, 7)


def test_a_delivery_of_today_is_taken_between_midnight_and_8_beijing_time(app, make_user,
                                                                          monkeypatch):
    """At 16:30 UTC it is 00:30 the next day in Beijing: a delivery dated that day is
    today's, not the future's (the UTC date refused it until 08:00 Beijing time), and
    the day after is still refused."""
    from datetime import datetime

    import pairing.db

    m, pairing_id = h.paired(app, make_user)
    utc_day = utcnow().date()
    monkeypatch.setattr(pairing.db, "utcnow",
                        lambda: datetime.combine(utc_day, datetime.min.time()).replace(
                            hour=16, minute=30))
    beijing_day = utc_day + timedelta(days=1)
    ent = h.client_for(app, m.officer, "en")
    text = h.report(ent, pairing_id, "5000", beijing_day + timedelta(days=1)).get_data(
        as_text=True)
    assert "cannot be in the future" in text and h.reports(app) == []
    page = h.report(ent, pairing_id, "5000", beijing_day)
    assert "cannot be in the future" not in page.get_data(as_text=True)
    assert h.reports(app) == [(500_000, "reported")]
    assert f'max="{beijing_day.isoformat()}"' in ent.get(f"/pairings/{pairing_id}").get_data(
        as_text=True)  # the date input offers the same last day
