"""The verifier's queue of submitted requests pages by keyset (pairing/pages.py): next
links carry a cursor, never a page number, and walk every waiting request once, oldest
submission first, however many there are."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from giving_helpers import make_household, make_request, make_village

import support
from pairing.db import utcnow
from pairing.extensions import db
from pairing.giving.models import HelpRequest

EN = {"Accept-Language": "en"}


def test_the_queue_of_requests_pages_oldest_first(app, make_user):
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="43")
    village = make_village(app, secretary.id)
    count = app.config["PAGE_SIZE"] + 3  # more than a page holds
    ids = [make_request(app, secretary.id, make_household(app, secretary.id, village, seq=n),
                        state="submitted") for n in range(count)]
    with app.app_context():  # submitted in the reverse order of their ids
        for n, request_id in enumerate(ids):
            db.session.get(HelpRequest, request_id).submitted_at = \
                utcnow() - timedelta(minutes=n)
        db.session.commit()
    client = app.test_client()
    support.login(client, verifier.email)
    url, seen, sizes = "/giving/verify", [], []
    while url:
        body = client.get(url, headers=EN).get_data(as_text=True)
        on_page = [int(i) for i in re.findall(r"/giving/verify/requests/(\d+)", body)]
        seen, sizes = seen + on_page, [*sizes, len(on_page)]
        found = re.search(r'<a href="([^"]+)" rel="next"', body)
        url = html.unescape(found.group(1)) if found else None
        assert url is None or ("after=" in url and "page=" not in url)
    assert sizes == [app.config["PAGE_SIZE"], 3]  # a page at a time, not the whole queue
    assert seen == ids[::-1]  # oldest submission first, each once
