"""From a watched household, one step to giving's help-request form and the needs form,
filled in for the secretary to review and submit (both databases)."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from giving_helpers import id_number, make_household
from monitoring_helpers import make_place, visit
from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.giving.disclosure import repeated
from pairing.giving.models import HelpRequest
from pairing.needs.models import Need

ZH = {"Accept-Language": "zh"}


class _Fields(HTMLParser):
    """The values a browser would submit from the page's form (inputs, textareas, the
    selected option of each select)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._text: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") not in ("checkbox", "radio", "submit"):
            self.values[a.get("name", "")] = a.get("value") or ""
        elif tag == "textarea":
            self._text = a.get("name", "")
            self.values[self._text] = ""
        elif tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._text = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._text:
            self.values[self._text] += data


def fields(page) -> dict[str, str]:  # noqa: ANN001
    parser = _Fields()
    parser.feed(page.get_data(as_text=True))
    return parser.values


def _client(app, user: support.UserRef):
    client = app.test_client()
    support.login(client, user.email)
    return client


def _count(app, model) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def place(app):
    return make_place(app)


def _watched(app, place, shock: str = "", **kwargs) -> int:
    """The place's household, on the watch list after its latest visit."""
    hid = place.households[0]
    visit(app, place.cadre.id, hid, date(2020, 3, 1), 9000)
    visit(app, place.cadre.id, hid, date(2020, 6, 1), 9000 if shock else 4200, shock=shock,
          **kwargs)
    return hid


def _request_url(hid: int) -> str:
    return f"/giving/households/{hid}/requests/new?from=watch"


def test_the_household_page_links_to_both_filled_forms(app, place):
    hid = _watched(app, place, "illness")
    page = _client(app, place.secretary).get(f"/monitoring/households/{hid}")
    text = page.get_data(as_text=True)
    assert f"/giving/households/{hid}/requests/new?from=watch" in text
    assert f"/villages/{place.village_id}/needs/new?household={hid}" in text


@pytest.mark.parametrize(("shock", "visit_kw", "purpose"), [
    ("illness", {}, "medical"), ("disaster", {}, "housing"),
    ("", {"schooling": False}, "education"), ("", {"housing": False}, "housing"),
    ("job_loss", {}, "other")])
def test_the_request_form_comes_filled_for_the_watch_reason(app, place, shock, visit_kw,
                                                             purpose):
    hid = _watched(app, place, shock, **visit_kw)
    page = _client(app, place.secretary).get(_request_url(hid), headers=ZH)
    assert page.status_code == 200
    values = fields(page)
    assert values["purpose"] == purpose
    assert "十八洞村" in values["title"] and "防返贫监测" in values["story"]
    # Nothing that identifies the household: name, ID number, register number.
    for told in ("龙德成", id_number(1), "R0001"):
        assert told not in values["title"] + values["story"]
    assert _count(app, HelpRequest) == 0  # a form to review, nothing saved yet


def test_the_illness_is_named_only_with_consent_to_sensitive_data(app):
    place = make_place(app)
    hid = place.households[0]
    private = make_household(app, place.secretary.id, place.village_id, seq=2, name="吴阿姨",
                             consent=False)
    for h in (hid, private):
        visit(app, place.secretary.id, h, date(2020, 6, 1), 9000, shock="illness")
    client = _client(app, place.secretary)
    consented = fields(client.get(_request_url(hid), headers=ZH))["story"]
    withheld = fields(client.get(_request_url(private), headers=ZH))["story"]
    assert "重大疾病" in consented
    assert "重大疾病" not in withheld and "疾病" not in withheld and "吴阿姨" not in withheld
    # giving's disclosure check finds nothing of the causes the household registered
    assert repeated("疾病 illness 尿毒症", withheld) == []


def test_a_drafted_request_is_saved_as_a_draft_for_verification(app, place):
    hid = _watched(app, place, "illness")
    client = _client(app, place.secretary)
    values = fields(client.get(_request_url(hid)))
    values.update(amount="20000", deadline="2099-09-01")
    response = support.post(client, _request_url(hid), values)
    assert response.status_code == 302
    with app.app_context():
        req = db.session.scalars(select(HelpRequest)).one()
        assert (req.household_id, req.purpose, req.status) == (hid, "medical", "draft")


def test_the_needs_form_comes_filled_for_the_village(app, place):
    hid = _watched(app, place, "job_loss")
    client = _client(app, place.secretary)
    url = f"/villages/{place.village_id}/needs/new?household={hid}"
    page = client.get(url, headers=ZH)
    assert page.status_code == 200
    values = fields(page)
    assert values["kind"] == "jobs" and "职业培训" in values["description"]
    assert "龙德成" not in values["description"] and "R0001" not in values["description"]
    assert _count(app, Need) == 0
    values["quantity"] = "2"
    assert support.post(client, url, values).status_code == 302
    with app.app_context():
        need = db.session.scalars(select(Need)).one()
        assert (need.village_id, need.kind, need.quantity) == (place.village_id, "jobs", 2)


def test_the_illness_reason_suggests_a_medical_need(app, place):
    hid = _watched(app, place, "illness")
    page = _client(app, place.secretary).get(
        f"/villages/{place.village_id}/needs/new?household={hid}")
    assert fields(page)["kind"] == "medical"


def test_drafts_are_refused_to_whoever_may_not_act_on_the_household(app, place):
    hid = _watched(app, place, "illness")
    other = make_place(app, name="排碧村", first_seq=7)
    other_hid = _watched(app, other, "illness")
    quiet = make_household(app, place.secretary.id, place.village_id, seq=3)
    visit(app, place.secretary.id, quiet, date(2020, 6, 1), 9000)  # not on the watch list
    secretary = _client(app, place.secretary)
    need = f"/villages/{place.village_id}/needs/new?household="
    for url in (_request_url(other_hid), _request_url(quiet), need + str(other_hid),
                need + str(quiet), need + "abc", need + "99999999999999999999", need + "-1",
                need + "0"):
        assert secretary.get(url).status_code in (403, 404), url
    # The household's cadre and its county's verifier do not draft for the village; another
    # village's secretary neither.
    for user in (place.cadre, place.verifier, other.secretary):
        client = _client(app, user)
        for url in (_request_url(hid), need + str(hid)):
            assert client.get(url).status_code in (403, 404), (user.role, url)
    assert secretary.get(_request_url(hid)).status_code == 200
    assert secretary.get(need + str(hid)).status_code == 200
    assert _count(app, HelpRequest) == 0 and _count(app, Need) == 0
