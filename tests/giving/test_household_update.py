"""A secretary brings a household's record up to date: what may change, who may, bad input,
the log, and what verifiers see of it beside the household's requests."""

from __future__ import annotations

import re

from giving_helpers import make_household, make_village
from giving_helpers import world as make_world
from sqlalchemy import select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving.models import Household

EN = {"Accept-Language": "en"}
CHANGE = {"address": "三组 12 号", "members": "5", "income_per_capita": "3400",
          "causes": ["illness", "labour"], "cadre_name": "施金通"}
FLAGGED = "该户登记后信息有过修改"


def _secretary(app, w):
    client = app.test_client()
    support.login(client, w.secretary.email)
    return client


def _household(app, hid: int) -> Household:
    with app.app_context():
        h = db.session.get(Household, hid)
        db.session.expunge(h)
        return h


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)))


def test_secretary_updates_members_income_and_causes(app, make_user):
    w = make_world(app, make_user, state="draft")
    sec = _secretary(app, w)
    viewed = len(_events(app, "household.viewed"))
    form = sec.get(f"/giving/households/{w.household_id}/edit").get_data(as_text=True)
    assert "修改农户信息" in form and 'name="id_number"' not in form and 'name="head_name"' not in form
    assert re.search(r'<input[^>]*name="income_per_capita"[^>]*value="2800"', form)
    assert re.search(r'<input checked[^>]*value="illness"', form)
    assert len(_events(app, "household.viewed")) == viewed + 1  # the form shows personal data
    r = support.post(sec, f"/giving/households/{w.household_id}/edit", CHANGE, follow_redirects=True)
    assert "已保存" in r.get_data(as_text=True)
    assert re.search(r"<dt>致贫原因</dt><dd>因病, 缺劳力</dd>", r.get_data(as_text=True))
    h = _household(app, w.household_id)
    assert (h.members, h.income_per_capita, h.causes, h.head_name) == (5, 3400, "illness,labour", "龙德成")
    (event,) = _events(app, "household.updated")
    assert sorted(event.changed) == ["causes", "income_per_capita", "members"]
    assert event.before == {"members": 4} and event.after == {"members": 5}  # the rest is personal
    r = support.post(sec, f"/giving/households/{w.household_id}/edit", CHANGE, follow_redirects=True)
    assert "没有改动" in r.get_data(as_text=True) and len(_events(app, "household.updated")) == 1


def test_bad_input_changes_nothing_and_says_why(app, make_user):
    w = make_world(app, make_user, state="draft")
    sec = _secretary(app, w)
    for bad, message in (({"members": "0"}, "Number must be between 1 and 30."),
                         ({"income_per_capita": "三千多"}, "Enter the income in whole yuan, such as 2800."),
                         ({"cadre_name": ""}, "This field is required.")):
        r = support.post(sec, f"/giving/households/{w.household_id}/edit", CHANGE | bad, headers=EN)
        assert r.status_code == 200 and message in r.get_data(as_text=True), bad
    h = _household(app, w.household_id)
    assert (h.members, h.income_per_capita, h.cadre_name) == (4, 2800, "施金通")
    assert _events(app, "household.updated") == []


def test_a_declared_family_tie_stays(app, make_user):
    w = make_world(app, make_user, state="draft")
    sec = _secretary(app, w)
    support.post(sec, f"/giving/households/{w.household_id}/edit", CHANGE | {"family_tie": "y"})
    assert _household(app, w.household_id).family_tie
    r = support.post(sec, f"/giving/households/{w.household_id}/edit", CHANGE, follow_redirects=True)
    assert "已申报的亲属关系会一直记录在案" in r.get_data(as_text=True)
    assert _household(app, w.household_id).family_tie


def test_only_the_villages_secretary_changes_a_household(app, make_user):
    w = make_world(app, make_user, state="draft")
    other = make_user("secretary", email="other-sec@example.cn")
    theirs = make_household(app, other.id, make_village(app, other.id, name="排碧村"), seq=2)
    sec = _secretary(app, w)
    assert support.post(sec, f"/giving/households/{theirs}/edit", CHANGE).status_code == 404
    for role in ("donor", "verifier", "enterprise", "coordinator"):
        client = app.test_client()
        support.login(client, make_user(role, email=f"{role}-hh@example.cn").email)
        assert client.get(f"/giving/households/{w.household_id}/edit").status_code in (403, 404)
    assert _household(app, theirs).members == 4 and _household(app, w.household_id).members == 4


def test_verifiers_see_the_changes_beside_the_request(app, make_user):
    w = make_world(app, make_user, state="submitted")
    ver = app.test_client()
    support.login(ver, w.verifier.email)
    assert FLAGGED not in ver.get(f"/giving/verify/requests/{w.request_id}").get_data(as_text=True)
    assert FLAGGED not in ver.get("/verification").get_data(as_text=True)
    support.post(_secretary(app, w), f"/giving/households/{w.household_id}/edit",
                 CHANGE | {"income_per_capita": "2000"})
    page = ver.get(f"/giving/verify/requests/{w.request_id}").get_data(as_text=True)
    assert FLAGGED in page and "家庭人口, 人均纯收入（元/年）, 致贫原因" in page
    # ... and what the record says now, which the log keeps to itself
    assert re.search(r"<dt>人均纯收入（元/年）</dt><dd>2000</dd>", page)
    assert re.search(r"<dt>致贫原因</dt><dd>因病, 缺劳力</dd>", page)
    queue = ver.get("/verification").get_data(as_text=True)
    assert FLAGGED in queue and "人均纯收入（元/年）" in queue
    page = ver.get(f"/giving/verify/requests/{w.request_id}", headers=EN).get_data(as_text=True)
    assert re.search(r"The household(&#39;|')s record was changed after it was registered:", page)


def test_a_queue_reads_every_households_changes_at_once(app, make_user):
    """record_changes answers for many households in one call (the shared queue's)."""
    from pairing.giving import services as giving

    w = make_world(app, make_user, state="draft")
    other = make_household(app, w.secretary.id, w.village_id, seq=2, name="石明芳")
    support.post(_secretary(app, w), f"/giving/households/{w.household_id}/edit",
                 CHANGE | {"members": "4"})
    with app.app_context():
        found = giving.record_changes(db.session.get(Household, i) for i in (w.household_id, other))
    assert {k: [names for _at, names in v] for k, v in found.items()} == {
        w.household_id: [["income_per_capita", "causes"]], other: []}
    with app.app_context():
        assert giving.record_changes([]) == {}
