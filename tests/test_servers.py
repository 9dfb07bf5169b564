"""The shared server harness itself: two gunicorn instances on one database behave as
one site (a log-in made on one is honoured by the other), and concurrent requests
released together all get answers."""

from __future__ import annotations

import pytest

from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


def test_two_servers_share_sessions_and_answer_together(app, database, tmp_path, make_user):
    user = make_user("donor")
    with app_servers(database, tmp_path, count=2, workers=2) as (one, two):
        visitor = HttpClient(one.url)
        visitor.login(user.email)
        elsewhere = visitor.at(two.url)
        assert elsewhere.get("/account").status_code == 200
        assert HttpClient(two.url).get("/account").status_code == 302  # others are not

        pages = release_together(12, lambda i: HttpClient((one, two)[i % 2].url).get("/"))
        assert server_errors(pages) == []
        assert {page.status_code for page in pages} == {200}
        running(one, two)
