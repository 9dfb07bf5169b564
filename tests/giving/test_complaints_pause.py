"""Which "report a problem" stops a request's gifts (issue 18 item 4): a serious report from
a logged-in person, or reports from several distinct logged-in people; never an anonymous
one, which is queued for the verifier while gifts go on."""

from __future__ import annotations

import uuid

import pytest
from giving_helpers import world
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.giving.models import Complaint
from pairing.giving.requests import PAUSE_REPORTERS

EN = {"Accept-Language": "en"}


def _report(client, rid, kind):
    return support.post(client, f"/crowdfunding/{rid}/report",
                        {"body": "这户去年刚盖了新房", "kind": kind}, headers=EN,
                        follow_redirects=True)


def _gift(donor, rid):
    """A donor's gift through the page; True when it was taken."""
    r = support.post(donor, f"/crowdfunding/{rid}/donate", {
        "amount": "10", "provider": "sandbox", "fallback": "0", "key": uuid.uuid4().hex},
        headers=EN, follow_redirects=True)
    return "Thank you! Your gift" in r.get_data(as_text=True)


def _logged_in(app, make_user, role="donor"):
    client = app.test_client()
    support.login(client, make_user(role).email)
    return client


def test_an_anonymous_serious_report_is_queued_and_gifts_go_on(app, make_user, donor_client):
    w = world(app, make_user)
    page = _report(app.test_client(), w.request_id, "fraud").get_data(as_text=True)
    assert "takes no gifts" not in page
    with app.app_context():
        c = db.session.scalar(select(Complaint))
        assert (c.status, c.kind, c.reporter_id) == ("open", "fraud", None)
    verifier = app.test_client()
    support.login(verifier, w.verifier.email)
    queue = verifier.get("/giving/verify", headers=EN).get_data(as_text=True)
    assert "这户去年刚盖了新房" in queue and "anonymous visitor" in queue
    assert _gift(donor_client, w.request_id)


@pytest.mark.parametrize("kind", ["fraud", "misuse"])
def test_a_logged_in_serious_report_stops_gifts(app, make_user, donor_client, kind):
    w = world(app, make_user)
    page = _report(_logged_in(app, make_user), w.request_id, kind).get_data(as_text=True)
    assert "until then this request takes no gifts" in page
    assert not _gift(donor_client, w.request_id)


def test_minor_reports_stop_gifts_only_from_several_people(app, make_user, donor_client):
    w = world(app, make_user)
    one = _logged_in(app, make_user)
    for _ in range(PAUSE_REPORTERS):  # one person repeating is not several
        _report(one, w.request_id, "other")
    assert _gift(donor_client, w.request_id)
    for _ in range(PAUSE_REPORTERS - 1):
        _report(_logged_in(app, make_user, "enterprise"), w.request_id, "other")
    with app.app_context():
        assert len(set(db.session.scalars(select(Complaint.reporter_id)))) == PAUSE_REPORTERS
    assert not _gift(donor_client, w.request_id)
