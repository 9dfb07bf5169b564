"""The quantity of a progress report: a plain number, and the right reason when not."""

from __future__ import annotations

import pytest
from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.db import utcnow
from pairing.extensions import db
from pairing.matching.models import ProgressReport

EN = {"Accept-Language": "en"}


def _report(client, pairing_id: int, quantity: str, when=None, headers=EN):  # noqa: ANN001
    data = {"quantity": quantity, "delivered_on": (when or utcnow().date()).isoformat(),
            "note": "第一批茶叶已收购"}
    return support.post(client, f"/pairings/{pairing_id}/reports", data,
                        content_type="multipart/form-data", follow_redirects=True,
                        headers=headers)


def _reports(app) -> list[tuple[int, str]]:  # noqa: ANN001
    with app.app_context():
        return [(r.quantity, r.status)
                for r in db.session.scalars(select(ProgressReport).order_by(ProgressReport.id))]


@pytest.mark.parametrize("quantity", ["Infinity", "NaN", "inf", "1e400", "1e999999", "sNaN",
                                      "abc"])
def test_report_quantity_that_is_no_plain_number_asks_for_a_number(app, make_user, quantity):
    m, pairing_id = h.paired(app, make_user)
    r = _report(h.client_for(app, m.officer, "en"), pairing_id, quantity)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "The quantity must be a number." in text
    assert "more than zero" not in text
    assert _reports(app) == []


def test_report_quantity_reasons(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer, "en")
    assert "two decimals" in _report(ent, pairing_id, "10.555").get_data(as_text=True)
    assert "more than zero" in _report(ent, pairing_id, "-3").get_data(as_text=True)
    assert _reports(app) == []
    _report(ent, pairing_id, "1,000.50")
    assert _reports(app) == [(100_050, "reported")]
