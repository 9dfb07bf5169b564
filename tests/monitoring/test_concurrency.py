"""Answers at once, through real servers on the test's database (both backends): the
household's yearly rating is saved once, simultaneous visits are all kept and put the
household on the watch list once."""

from __future__ import annotations

import pytest
from monitoring_helpers import make_place
from sqlalchemy import func, select

from pairing.extensions import db
from pairing.matching.models import Notification
from pairing.monitoring.models import CadreRating, MonitoredHousehold, StandingEvent, Visit
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


def _count(app, query) -> int:
    with app.app_context():
        return db.session.scalar(query)


def test_simultaneous_ratings_and_visits(app, database, tmp_path):
    p = make_place(app)
    hid = p.households[0]
    with app.app_context():
        code = db.session.get(MonitoredHousehold, hid).card_code
    with app_servers(database, tmp_path, count=2, workers=2) as (one, two):
        def rate(i: int):
            client = HttpClient((one, two)[i % 2].url)
            token = client.csrf(f"/monitoring/card/{hid}")
            return client.post_form(f"/monitoring/card/{hid}", {
                "what": "rate", "rate-code": code, "rate-visits": "4", "rate-help": "5"},
                token=token)

        answers = release_together(6, rate)
        assert server_errors(answers) == []
        assert sorted(a.status_code for a in answers) == [200] + [400] * 5
        assert _count(app, select(func.count(CadreRating.id))) == 1

        cadre = HttpClient(one.url)
        cadre.login(p.cadre.email)
        clients = [cadre, cadre.at(two.url)]
        tokens = [c.csrf(f"/monitoring/households/{hid}/visits/new") for c in clients]

        def record(i: int):
            return clients[i % 2].post_form(f"/monitoring/households/{hid}/visits/new", {
                "visited_on": f"2020-06-{i + 1:02d}", "income_per_capita": str(3000 + i),
                "workers_away": "0", "workers_local": "1", "food_clothing": "y",
                "schooling": "y", "medical": "y", "housing": "y", "water": "y", "shock": ""},
                token=tokens[i % 2])

        answers = release_together(6, record)
        assert server_errors(answers) == []
        assert {a.status_code for a in answers} == {302}
        running(one, two)
    assert _count(app, select(func.count(Visit.id))) == 6
    assert _count(app, select(func.count(StandingEvent.id))) == 1  # one watch_in
    assert _count(app, select(func.count(Notification.id)).where(
        Notification.kind == "monitoring.watch")) == 2  # the secretary, the county verifier
