"""Issue 19.3 for the give forms: a refused gift (the form's own checks or the service's)
brings the crowdfunding page back (400) with the amount, message and choices as sent, the
same idempotency key, and each error beside its field, named by it."""

from __future__ import annotations

import re

from giving_helpers import world as make_world
from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.giving.models import Donation


def _form(client, request_id: int, action: str, **values: str) -> dict[str, str]:  # noqa: ANN001
    page = client.get(f"/crowdfunding/{request_id}").get_data(as_text=True)
    form = page[page.index(f"/crowdfunding/{request_id}/{action}"):]
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', form).group(1)
    data = {"key": key, "provider": "sandbox", "fallback": "0", "preset": "other",
            "amount": "", "message": ""}
    data.update(values)
    return data


def _error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<div id="{field_id}-error" class="field-errors">(.*?)</div>', html, re.S)
    assert found, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def _gifts(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(Donation.id)))


def test_a_donors_refused_gift_keeps_what_was_typed(app, make_user, donor_client):
    w = make_world(app, make_user)  # 10,000 yuan needed
    data = _form(donor_client, w.request_id, "donate", amount="五十多块", message="祝早日康复！",
                 anonymous="y")
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and _gifts(app) == 0
    assert 'value="五十多块"' in html and 'value="祝早日康复！"' in html
    assert f'value="{data["key"]}"' in html                    # the same idempotency key
    assert re.search(r'<input checked id="anonymous"', html)  # the box stays ticked
    assert _error_of(html, "amount").startswith("金额（元）：")
    # Refused by the service (more than is still needed): beside the amount too.
    data.update(amount="2万")
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and _gifts(app) == 0 and 'value="2万"' in html
    assert "10000.00" in _error_of(html, "amount") or "10,000" in _error_of(html, "amount")
    data.update(amount="五十")                                  # 50 yuan: taken
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", data)
    assert r.status_code == 302 and _gifts(app) == 1


def test_a_guests_refused_gift_keeps_name_email_and_amount(app, make_user):
    w = make_world(app, make_user)
    guest = app.test_client()
    guest.set_cookie("lang", "en")
    data = _form(guest, w.request_id, "give-as-guest", amount="1.2千", name="王小明",
                 email="wang@", message="加油")
    r = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest", data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and _gifts(app) == 0
    for typed in ('value="1.2千"', 'value="王小明"', 'value="wang@"', 'value="加油"'):
        assert typed in html, typed
    assert _error_of(html, "email").startswith("E-mail for the receipt: ")
    assert 'type="email"' in html and "required" in html[html.index('id="email"') - 200:
                                                         html.index('id="email"') + 200]
    data.update(email="wang@example.org")
    assert support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                        data).status_code == 302 and _gifts(app) == 1
