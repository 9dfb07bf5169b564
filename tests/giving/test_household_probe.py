"""Nobody learns whether a person is a registered poor household (issue 18 item 2): only a
secretary of a verified village registers households, at a limited rate, and only verifiers
see that an ID number is registered in another village."""

from __future__ import annotations

import re

from giving_helpers import id_number, make_household, make_village
from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.giving.models import Household
from pairing.places.models import Village

EN = {"Accept-Language": "en"}


def _form(number: str, reg: str) -> dict[str, object]:
    return {"registration_no": reg, "head_name": "龙先生", "id_number": number,
            "address": "一组 3 号", "members": 3, "income_per_capita": 3100,
            "causes": ["illness"], "cadre_name": "石干部"}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Household.id)))


def test_a_secretary_of_a_pending_village_registers_no_household(app, secretary_client):
    with app.app_context():
        db.session.add(Village(name="待核村", county_code="433124", status="pending",
                               secretary_id=secretary_client.user.id))
        db.session.commit()
    page = support.post(secretary_client, "/giving/households/new", _form(id_number(5), "1"),
                        headers=EN, follow_redirects=True)
    assert "verified village" in page.get_data(as_text=True)
    assert _count(app) == 0


def _registered_elsewhere(app, make_user) -> str:
    """An ID number registered in 十八洞村 by its own secretary."""
    owner = make_user("secretary")
    make_household(app, owner.id, make_village(app, owner.id), seq=7)
    return id_number(7)


def test_an_id_registered_elsewhere_tells_the_secretary_nothing(app, make_user, secretary_client):
    taken = _registered_elsewhere(app, make_user)
    make_village(app, secretary_client.user.id, name="排碧村")
    pages = []
    for number, reg in ((id_number(8), "A-1"), (taken, "A-2")):
        posted = support.post(secretary_client, "/giving/households/new", _form(number, reg),
                              headers=EN)
        assert posted.status_code == 302
        page = secretary_client.get(posted.location, headers=EN).get_data(as_text=True)
        masked = number[:6] + "********" + number[-4:]
        page = re.sub(r"households/\d+", "households/N", page.replace(masked, "ID"))
        # CSRF tokens are signed with the time: equal pages differ in them a second later.
        pages.append(re.sub(r'(csrf[_-]token"? [^>]*?(value|content)=")[^"]+', r"\1T",
                            page.replace(reg, "REG")))
    assert pages[0] == pages[1]
    assert "十八洞村" not in pages[1] and "another village" not in pages[1]
    assert _count(app) == 3  # both registered; the duplicate waits for a verifier


def test_the_verifier_sees_the_duplicate(app, make_user, secretary_client):
    taken = _registered_elsewhere(app, make_user)
    make_village(app, secretary_client.user.id, name="排碧村")
    posted = support.post(secretary_client, "/giving/households/new", _form(taken, "B-1"))
    verifier = app.test_client()
    support.login(verifier, make_user("verifier", jurisdiction="43").email)
    page = verifier.get(posted.location, headers=EN).get_data(as_text=True)
    assert "registered in another village: 十八洞村" in page


def test_household_registration_is_rate_limited_per_account(app, secretary_client):
    app.config["HOUSEHOLD_RATE_LIMIT"] = "2 per hour"
    make_village(app, secretary_client.user.id)
    codes = [support.post(secretary_client, "/giving/households/new",
                          _form(id_number(20 + i), f"C-{i}")).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert _count(app) == 2
