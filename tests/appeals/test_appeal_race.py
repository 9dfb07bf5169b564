"""Concurrent submissions of one appeal (a double click, two tabs, the secretary and the
enterprise of a dispute at once) through a multi-worker gunicorn on the test's database
(SQLite file or PostgreSQL schema): one appeal, the others refused clearly, no 5xx; and
two verifiers deciding one appeal at once decide it once."""

from __future__ import annotations

import pytest
from giving_helpers import make_household, make_request, make_village
from sqlalchemy import func, select

import support
from pairing.appeals.models import Appeal
from pairing.extensions import db
from pairing.giving.models import HelpRequest
from pairing.notices.models import Notification
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):  # noqa: ANN001, ANN201
    with app_servers(database, tmp_path_factory.mktemp("appeals-site"), workers=2, threads=4,
                     worker_class="gthread") as (server,):
        yield server


def _client(site, email: str) -> HttpClient:  # noqa: ANN001
    client = HttpClient(site.url)
    client.login(email)
    return client


def test_concurrent_appeals_make_one_and_concurrent_decisions_decide_once(app, site, make_user):
    secretary = make_user("secretary")
    county = make_user("verifier", jurisdiction="433124")
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")
    r = support.post(_appclient(app, county), f"/verification/help_requests/{req}",
                     {"confirmed": "1", "decision": "reject", "reason": "材料不全"})
    assert r.status_code == 302
    tabs = [_client(site, secretary.email) for _ in range(4)]
    url = f"/appeals/help_request/{req}"
    tokens = [t.csrf(url) for t in tabs]
    results = release_together(8, lambda i: tabs[i % 4].post_form(
        url, {"reason": f"第 {i} 次"}, token=tokens[i % 4]))
    assert server_errors(results) == []
    codes = sorted(r.status_code for r in results)
    assert codes.count(302) == 1 and set(codes[1:]) == {409}, codes
    with app.app_context():
        assert db.session.scalar(select(func.count(Appeal.id))) == 1
        appeal_id = db.session.scalar(select(Appeal.id))
    desks = [_client(site, make_user("verifier", jurisdiction="43").email) for _ in range(3)]
    tokens = [d.csrf(url) for d in desks]
    results = release_together(6, lambda i: desks[i % 3].post_form(
        f"/appeals/decide/{appeal_id}", {"outcome": "grant", "decision": f"核实 {i}"},
        token=tokens[i % 3]))
    assert server_errors(results) == []
    assert sorted(r.status_code for r in results).count(302) == 1
    running(site)
    with app.app_context():
        assert db.session.get(HelpRequest, req).status == "notice"
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == secretary.id, Notification.kind == "appeal.decided")) == 1


def _appclient(app, user):  # noqa: ANN001, ANN202
    client = app.test_client()
    support.login(client, user.email)
    return client
