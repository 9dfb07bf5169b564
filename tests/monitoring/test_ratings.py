"""Two-way ratings of pairings, households' ratings of their cadre and complaints about
the cadre (through the contact card's code, without an account)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from giving_helpers import make_village
from monitoring_helpers import make_place
from sqlalchemy import func, select

import support
from pairing.db import today, utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.matching.models import Notification, Pairing, ProgressReport, Proposal, Round
from pairing.monitoring.models import CadreComplaint, CadreRating, MonitoredHousehold, PairingRating
from pairing.needs.models import Need

VILLAGE = {"on_time": "5", "as_promised": "4", "useful": "3", "comment": "按时到位"}


def _enterprise(app, officer_id: int) -> int:
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer_id, status="verified")
        db.session.add(e)
        db.session.flush()
        o = Offer(enterprise_id=e.id, kind="donation", quantity=10_000_000, max_villages=9,
                  starts_on=today())
        db.session.add(o)
        db.session.commit()
        return o.id


def _pairing(app, offer_id: int, village_id: int, report: str | None = "confirmed",
             status: str = "active") -> int:
    with app.app_context():
        need = Need(village_id=village_id, kind="donation", quantity=10_000, description="助学金")
        rnd = Round(status="done")
        db.session.add_all([need, rnd])
        db.session.flush()
        prop = Proposal(round_id=rnd.id, offer_id=offer_id, need_id=need.id, quantity=10_000,
                        status="accepted", expires_at=utcnow() + timedelta(days=3))
        db.session.add(prop)
        db.session.flush()
        p = Pairing(proposal_id=prop.id, offer_id=offer_id, need_id=need.id, quantity=10_000,
                    starts_on=today(), ends_on=today() + timedelta(days=90),
                    status=status)
        db.session.add(p)
        db.session.flush()
        if report:
            db.session.add(ProgressReport(pairing_id=p.id, quantity=5_000, status=report,
                                          delivered_on=today()))
        db.session.commit()
        return p.id


def _client(app, user):
    client = app.test_client()
    support.login(client, user.email)
    return client


def _ratings(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(r.stage, r.side) for r in db.session.scalars(
            select(PairingRating).order_by(PairingRating.id))]


def test_both_sides_rate_once_per_stage_after_a_confirmed_delivery(app):
    secretary, officer = support.make_user(app, "secretary"), support.make_user(app, "enterprise")
    village = make_village(app, secretary.id)
    offer = _enterprise(app, officer.id)
    waiting = _pairing(app, offer, village, report="reported")
    url = f"/monitoring/pairings/{waiting}/ratings"
    page = support.post(_client(app, secretary), url, {**VILLAGE, "stage": "delivery"})
    assert page.status_code == 400 and _ratings(app) == []  # nothing confirmed yet
    pid = _pairing(app, offer, village)
    url = f"/monitoring/pairings/{pid}/ratings"
    village_client, enterprise_client = _client(app, secretary), _client(app, officer)
    assert support.post(village_client, url, {**VILLAGE, "stage": "delivery"}).status_code == 302
    assert support.post(village_client, url, {**VILLAGE, "stage": "delivery"}).status_code == 400
    assert support.post(village_client, url, {**VILLAGE, "stage": "end"}).status_code == 400
    assert support.post(enterprise_client, url, {"cooperation": "9", "stage": "delivery"}
                        ).status_code == 400
    assert support.post(enterprise_client, url, {"cooperation": "4", "stage": "delivery"}
                        ).status_code == 302
    assert _ratings(app) == [("delivery", "village"), ("delivery", "enterprise")]
    # both sides and the county's verifiers see them; an outsider does not
    verifier = support.make_user(app, "verifier", jurisdiction="433124")
    for user in (secretary, officer, verifier):
        assert "按时到位" in _client(app, user).get(url).get_data(as_text=True)
    for user in (support.make_user(app, "donor"), support.make_user(app, "secretary"),
                 support.make_user(app, "verifier", jurisdiction="11")):
        assert _client(app, user).get(url).status_code == 404
        assert support.post(_client(app, user), url, {**VILLAGE, "stage": "delivery"}
                            ).status_code in (403, 404)
    assert len(_ratings(app)) == 2


def test_the_public_summary_waits_for_three_ratings(app):
    officer = support.make_user(app, "enterprise")
    offer = _enterprise(app, officer.id)
    with app.app_context():
        eid = db.session.get(Offer, offer).enterprise_id
    public = app.test_client()
    for n in range(3):
        secretary = support.make_user(app, "secretary")
        pid = _pairing(app, offer, make_village(app, secretary.id, name=f"村{n}"),
                       status="fulfilled")
        text = public.get(f"/monitoring/enterprises/{eid}/ratings").get_data(as_text=True)
        assert "/ 5" not in text  # not yet three
        assert support.post(_client(app, secretary), f"/monitoring/pairings/{pid}/ratings",
                            {**VILLAGE, "stage": "end", "on_time": str(5 - n)}
                            ).status_code == 302
    text = public.get(f"/monitoring/enterprises/{eid}/ratings").get_data(as_text=True)
    assert "4.0 / 5" in text and "按时到位" not in text  # averages only, no comment
    assert "3.7 / 5" in public.get(f"/enterprises/{eid}").get_data(as_text=True)  # (4+4+3)/3


def _code(app, household_id: int) -> str:
    with app.app_context():
        return db.session.get(MonitoredHousehold, household_id).card_code


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_household_rates_its_cadre_once_a_year_by_card_code_or_through_its_secretary(app):
    p = make_place(app, n=2)
    first, second = p.households
    public = app.test_client()
    url = f"/monitoring/card/{first}"
    rating = {"what": "rate", "rate-visits": "4", "rate-help": "5", "rate-code": "WRONG123"}
    page = support.post(public, url, rating, headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "does not match" in page.get_data(as_text=True)
    assert _count(app, CadreRating) == 0
    rating["rate-code"] = _code(app, second)  # another household's card
    assert support.post(public, url, rating).status_code == 400
    rating["rate-code"] = _code(app, first).lower()
    assert support.post(public, url, rating).status_code == 200
    assert support.post(public, url, rating).status_code == 400  # once a year
    sec = _client(app, p.secretary)
    form = {"visits": "3", "help": "3"}
    assert support.post(sec, f"/monitoring/households/{first}/cadre-rating", form
                        ).status_code == 400
    assert support.post(sec, f"/monitoring/households/{second}/cadre-rating", form
                        ).status_code == 302
    other = _client(app, support.make_user(app, "secretary"))
    assert support.post(other, f"/monitoring/households/{second}/cadre-rating", form
                        ).status_code == 404
    with app.app_context():
        got = sorted((r.household_id, r.via, r.cadre_id) for r in
                     db.session.scalars(select(CadreRating)))
    assert got == [(first, "card", p.cadre.id), (second, "secretary", p.cadre.id)]


def test_a_complaint_about_the_cadre_goes_to_the_county_not_the_village(app):
    p = make_place(app)
    hid = p.households[0]
    public = app.test_client()
    form = {"what": "complain", "complain-code": _code(app, hid),
            "complain-body": "干部一年没来过我家，登记的收入不是真的。"}
    assert support.post(public, f"/monitoring/card/{hid}", form).status_code == 200
    with app.app_context():
        told = list(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "monitoring.complaint")))
        complaint_id = db.session.scalar(select(CadreComplaint.id))
    assert told == [p.verifier.id]  # the secretary hears nothing
    assert "一年没来过" not in _client(app, p.secretary).get(
        "/monitoring/complaints").get_data(as_text=True)
    verifier = _client(app, p.verifier)
    assert "一年没来过" in verifier.get("/monitoring/complaints").get_data(as_text=True)
    far = _client(app, support.make_user(app, "verifier", jurisdiction="11"))
    assert "一年没来过" not in far.get("/monitoring/complaints").get_data(as_text=True)
    assert support.post(far, f"/monitoring/complaints/{complaint_id}/decide",
                        {"decision": "x"}).status_code == 404
    r = support.post(verifier, f"/monitoring/complaints/{complaint_id}/decide",
                     {"uphold": "y", "decision": "走访核实，已更换帮扶干部。"})
    assert r.status_code == 302
    html = verifier.get(r.headers["Location"]).get_data(as_text=True)
    assert f"已认定属实：关于干部走访的投诉 {complaint_id}。" in html  # says what was decided
    with app.app_context():
        assert db.session.get(CadreComplaint, complaint_id).status == "upheld"


@pytest.mark.parametrize("body", ["", "太短"])
def test_an_empty_complaint_is_refused(app, body):
    p = make_place(app)
    hid = p.households[0]
    form = {"what": "complain", "complain-code": _code(app, hid), "complain-body": body}
    assert support.post(app.test_client(), f"/monitoring/card/{hid}", form).status_code == 400
    assert _count(app, CadreComplaint) == 0
