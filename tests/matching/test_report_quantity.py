"""The quantity of a progress report: a plain number, and the right reason when not."""

from __future__ import annotations

import pytest
from matching import mhelp as h


@pytest.mark.parametrize("quantity", ["Infinity", "NaN", "inf", "1e400", "1e999999", "sNaN",
                                      "abc"])
def test_report_quantity_that_is_no_plain_number_asks_for_a_number(app, make_user, quantity):
    m, pairing_id = h.paired(app, make_user)
    r = h.report(h.client_for(app, m.officer, "en"), pairing_id, quantity)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "The quantity must be a number." in text
    assert "more than zero" not in text
    assert h.reports(app) == []


def test_report_quantity_reasons(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer, "en")
    assert "two decimals" in h.report(ent, pairing_id, "10.555").get_data(as_text=True)
    assert "more than zero" in h.report(ent, pairing_id, "-3").get_data(as_text=True)
    assert h.reports(app) == []
    h.report(ent, pairing_id, "1,000.50")
    assert h.reports(app) == [(100_050, "reported")]
