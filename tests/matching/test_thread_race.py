"""A pairing's message thread posted to at once through a multi-worker gunicorn: the rate
limit (10 messages in 10 minutes per author, counted in the database) holds when 12 posts
by the same person arrive together; each refused one is told why, nobody sees a 500."""

from __future__ import annotations

import pytest
from matching import mhelp as h
from sqlalchemy import func, select

from pairing.extensions import db
from pairing.matching import threads
from pairing.matching.models import Notification, PairingMessage
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


def test_twelve_posts_at_once_pass_the_rate_limit_at_most_ten_times(app, database, tmp_path,
                                                                    make_user):
    m, pid = h.paired(app, make_user)
    with app_servers(database, tmp_path, workers=3, threads=4,
                     worker_class="gthread") as (site,):
        clients = []
        for _ in range(12):  # one log-in each: the posts share nothing but the author
            c = HttpClient(site.url)
            c.login(m.officer.email)
            clients.append(c)
        tokens = [c.csrf(f"/pairings/{pid}") for c in clients]
        answers = release_together(12, lambda i: clients[i].post_form(
            f"/pairings/{pid}/messages", {"body": f"第{i}条"}, token=tokens[i]))
        assert server_errors(answers) == []
        assert {a.status_code for a in answers} == {302}
        running(site)
    with app.app_context():
        sent = db.session.scalar(select(func.count(PairingMessage.id)))
        told = db.session.scalar(select(func.count(Notification.id)).where(
            Notification.kind == "pairing.message"))
    assert sent == threads.RATE_COUNT
    assert told == sent  # a refused post tells nobody
