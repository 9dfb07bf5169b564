"""Guests' gifts hit at once over HTTP through a multi-worker gunicorn on the test's
database: the same form sent twice at once (one idempotency key) books once and both
answers lead to the same receipt; different guests' gifts all book; the ledger checks
out."""

from __future__ import annotations

import re

import pytest
from giving_helpers import figures
from giving_helpers import world as make_world
from sqlalchemy import func, select

from pairing.extensions import db
from pairing.giving.models import Donation
from pairing.ledger import services as ledger
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):  # noqa: ANN001, ANN201
    with app_servers(database, tmp_path_factory.mktemp("guest-site"), workers=2, threads=4,
                     worker_class="gthread") as (server,):
        yield server


def _form(guest: HttpClient, request_id: int) -> tuple[str, str]:
    page = guest.get(f"/crowdfunding/{request_id}").text
    form = page[page.index(f"/crowdfunding/{request_id}/give-as-guest"):]
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', form).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    return key, token


def test_one_guest_form_sent_twice_at_once_books_once(app, site, make_user):
    w = make_world(app, make_user, needed=1_000_000)
    guests = [HttpClient(site.url) for _ in range(4)]
    forms = [_form(g, w.request_id) for g in guests]
    path = f"/crowdfunding/{w.request_id}/give-as-guest"

    def send(i: int):  # noqa: ANN202 - two presses of each guest's one form
        key, token = forms[i // 2]
        return guests[i // 2].post_form(path, {
            "key": key, "preset": "20000", "amount": "", "provider": "sandbox",
            "fallback": "0", "name": f"访客{i // 2}", "email": f"g{i // 2}@example.org"},
            token=token)

    results = release_together(8, send)
    assert server_errors(results) == []
    assert all(r.status_code == 302 for r in results), [r.status_code for r in results]
    for n in range(4):  # both presses of a form lead to the same receipt
        assert results[2 * n].headers["Location"] == results[2 * n + 1].headers["Location"]
        assert re.search(r"/giving/receipts/\d+/[0-9a-f]{32}$", results[2 * n].headers["Location"])
    running(site)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Donation)
                                 .where(Donation.guest_key.is_not(None)))
        assert ledger.verify() == []
    f = figures(app, w.request_id)
    assert rows == 4 and f["raised"] == f["balance"] == 4 * 20_000 and f["donors"] == 4
