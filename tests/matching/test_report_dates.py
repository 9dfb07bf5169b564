"""The date of a progress report lies within its pairing: not before it starts, and the
demo's reports too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from matching import mhelp as h
from sqlalchemy import select

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
        today = utcnow().date()
        pairs = [(r.delivered_on, r.pairing.starts_on, r.pairing.ends_on)
                 for r in db.session.scalars(select(ProgressReport))]
    assert pairs
    for delivered, starts, ends in pairs:
        assert starts <= delivered <= min(ends, today), (delivered, starts, ends)
