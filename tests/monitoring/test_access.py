"""Who sees and does what in monitoring: each role tries what it must not (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from monitoring_helpers import make_place, standing, visit, visits_of
from sqlalchemy import select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db

VISIT = {"visited_on": "2020-06-01", "income_per_capita": "5000", "workers_away": "1",
         "workers_local": "0", "food_clothing": "y", "schooling": "y", "medical": "y",
         "housing": "y", "water": "y", "shock": ""}


def _client(app, user: support.UserRef | None = None):
    client = app.test_client()
    if user is not None:
        support.login(client, user.email)
    return client


def _viewed(app, household_id: int) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.actor_id).where(
            AuditEvent.action == "monitoring.viewed",
            AuditEvent.object_id == str(household_id)).order_by(AuditEvent.id)))


@pytest.fixture
def place(app):
    p = make_place(app)
    visit(app, p.cadre.id, p.households[0], date(2020, 3, 1), 5000)  # on the watch list
    return p


def test_the_household_page_is_for_its_cadre_secretary_and_verifiers_and_logged(app, place):
    hid = place.households[0]
    url = f"/monitoring/households/{hid}"
    outsiders = [support.make_user(app, role, **kw) for role, kw in [
        ("donor", {}), ("enterprise", {}), ("secretary", {}),
        ("verifier", {"jurisdiction": "11"}), ("coordinator", {"jurisdiction": "CN"})]]
    for user in outsiders:
        assert _client(app, user).get(url).status_code in (403, 404), user.role
    assert _client(app).get(url).status_code == 302  # to the log-in page
    assert _viewed(app, hid) == []
    for user in (place.cadre, place.secretary, place.verifier):
        page = _client(app, user).get(url)
        assert page.status_code == 200
        assert "龙德成" in page.get_data(as_text=True)
    assert _viewed(app, hid) == [place.cadre.id, place.secretary.id, place.verifier.id]


def test_only_the_cadre_and_the_secretary_record_visits(app, place):
    hid = place.households[0]
    url = f"/monitoring/households/{hid}/visits/new"
    other = support.make_user(app, "secretary")
    for user in (place.verifier, other):
        client = _client(app, user)
        assert support.post(client, url, VISIT).status_code in (403, 404)
    assert visits_of(app, hid) == [5000]
    response = support.post(_client(app, place.cadre), url, {**VISIT, "income_per_capita": "7000"})
    assert response.status_code == 302
    assert visits_of(app, hid) == [5000, 7000]


def test_a_bad_visit_is_answered_in_the_users_language_and_changes_nothing(app, place):
    hid = place.households[0]
    client = _client(app, place.cadre)
    page = support.post(client, f"/monitoring/households/{hid}/visits/new",
                        {**VISIT, "income_per_capita": "-5", "visited_on": "2999-01-01"},
                        headers={"Accept-Language": "zh"})
    assert page.status_code == 400
    assert visits_of(app, hid) == [5000]
    page = support.post(client, f"/monitoring/households/{hid}/visits/new",
                        {**VISIT, "visited_on": "2999-01-01"}, headers={"Accept-Language": "zh"})
    assert page.status_code == 400 and "不能是将来" in page.get_data(as_text=True)
    assert visits_of(app, hid) == [5000]


def test_exits_are_confirmed_by_verifiers_in_jurisdiction_only(app, place):
    hid = place.households[0]
    visit(app, place.cadre.id, hid, date(2020, 9, 1), 9000)
    far = support.make_user(app, "verifier", jurisdiction="11")
    for user in (place.cadre, place.secretary, far):
        support.post(_client(app, user), f"/monitoring/households/{hid}/exit")
    assert standing(app, hid).standing == "poor"
    response = support.post(_client(app, place.verifier), f"/monitoring/households/{hid}/exit")
    assert response.status_code == 302
    assert standing(app, hid).standing == "exited"


def test_verifier_pages_are_for_verifiers_in_jurisdiction(app, place):
    far = support.make_user(app, "verifier", jurisdiction="11")
    url = "/monitoring/review?county=433124"
    for user in (place.secretary, place.cadre, support.make_user(app, "donor"),
                 support.make_user(app, "coordinator", jurisdiction="CN")):
        assert _client(app, user).get(url).status_code == 403
        assert _client(app, user).get("/monitoring/complaints").status_code == 403
    assert _client(app, far).get(url).status_code == 404
    page = _client(app, place.verifier).get("/monitoring/review")  # their own county
    assert page.status_code == 200 and "十八洞村" in page.get_data(as_text=True)


def test_public_counts_show_no_household_and_suppress_small_numbers(app, place):
    for path in ("/monitoring/figures", "/monitoring/figures?province=43", "/dashboard"):
        page = _client(app).get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 200, path
        assert "龙德成" not in text and "R0001" not in text
        assert "&lt;5" in text, path  # one watched household in Hunan / in 花垣县
    assert _client(app).get("/monitoring/figures?province=99").status_code == 404


def test_only_a_national_coordinator_sets_poverty_lines(app):
    provincial = support.make_user(app, "coordinator", jurisdiction="43")
    national = support.make_user(app, "coordinator", jurisdiction="CN")
    form = {"year": "2025", "line_yuan": "4500", "margin_pct": "40"}
    assert support.post(_client(app, provincial), "/monitoring/lines", form).status_code == 403
    assert support.post(_client(app, support.make_user(app, "verifier")), "/monitoring/lines",
                        form).status_code == 403
    client = _client(app, national)
    assert support.post(client, "/monitoring/lines", form).status_code == 302
    assert "4500" in client.get("/monitoring/lines").get_data(as_text=True)


def test_lists_show_each_role_its_own_households_only(app, place):
    hid = place.households[0]
    link = f"/monitoring/households/{hid}"
    for user in (place.secretary, place.cadre, place.verifier):
        assert link in _client(app, user).get("/monitoring").get_data(as_text=True)
    for user in (support.make_user(app, "secretary"),
                 support.make_user(app, "verifier", jurisdiction="11")):
        assert link not in _client(app, user).get("/monitoring").get_data(as_text=True)
    for user in (support.make_user(app, "donor"), support.make_user(app, "enterprise")):
        assert _client(app, user).get("/monitoring").status_code == 403


def test_the_audit_log_names_a_visits_figures_without_their_values(app, place):
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(["monitoring.visit", "monitoring.watch_in"]))).all()
        assert {e.action for e in events} == {"monitoring.visit", "monitoring.watch_in"}
        for e in events:
            logged = str(e.before) + str(e.after)
            assert "5000" not in logged and "income" not in logged  # the income, the reason
        assert "income_per_capita" in next(e.changed for e in events
                                           if e.action == "monitoring.visit")


def test_a_confirmation_whose_form_fails_says_why(app, place):
    """The confirmation's form checks its token itself when the site-wide check has not
    (WTF_CSRF_CHECK_DEFAULT off): a post without it changes nothing and now says so (it
    returned to the page without a word)."""
    hid = place.households[0]
    visit(app, place.cadre.id, hid, date(2020, 9, 1), 9000)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    client = _client(app, place.verifier)
    for lang, text in (("zh", "表单已过期"), ("en", "The form expired")):
        client.set_cookie("lang", lang)
        page = client.post(f"/monitoring/households/{hid}/exit", follow_redirects=True)
        assert page.status_code == 200 and text in page.get_data(as_text=True)
    assert standing(app, hid).standing == "poor"
