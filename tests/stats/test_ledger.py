"""The public ledger: every entry of published help requests, traceable to the double-
entry ledger, with nothing personal about households."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from pairing import demo
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Disbursement, Donation, HelpRequest, Household
from pairing.ledger import services as ledger_services
from pairing.stats import ledger, timeline
from pairing.stats.privacy import personal_data_in

pytestmark = pytest.mark.slow


def _csv(client, url: str) -> list[dict[str, str]]:
    r = client.get(url)
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig"))))


def test_public_ledger_of_the_demo(app, client, monkeypatch):
    """One test over one demo load (it is slow): sums, names, privacy, publication."""
    _load_base_and_giving_demo(app, monkeypatch)
    _balances_are_sums_of_public_entries(app, client)
    _donor_names_or_anonymous_and_payout_evidence(app, client)
    _nothing_personal_about_households(app, client)
    _pages_in_both_languages(client)
    _no_user_names_in_public_answers(app, client)
    _unpublished_requests_stay_out(app, client)
    _series_over_time_end_at_the_figures(app, client)


def _load_base_and_giving_demo(app, monkeypatch) -> None:  # noqa: ANN001
    """The base demo and crowdfunding's extension only: the other areas' demo content
    is not needed here and would take most of the time."""
    import pairing.giving.demo as giving_demo
    from pairing import areas

    real = areas.modules
    monkeypatch.setattr(areas, "modules",
                        lambda kind: iter([giving_demo]) if kind == "demo" else real(kind))
    with app.app_context():
        demo.load(echo=lambda _line: None)


def _balances_are_sums_of_public_entries(demo_app, client) -> None:
    with demo_app.app_context():
        requests = db.session.scalars(ledger.public_requests()).all()
        assert requests
        for req in requests:
            lines = ledger.lines(request_id=req.id)
            account = ledger_services.account(req.ledger_code)
            assert ledger.summary(lines).balance_fen == ledger_services.balance(account)
        ids = [r.id for r in requests]
        # The index's columns are the request pages' totals, and they add up (matched
        # gifts counted as gifts: the index once left them out of Gifts but not Balance).
        totals = ledger.request_totals(ids)
        matched = 0
        for req in requests:
            lines = ledger.lines(request_id=req.id)
            t = totals[req.id]
            assert t == ledger.summary(lines)
            assert t.gifts_fen - t.refunds_fen - t.paid_out_fen == t.balance_fen
            matched += sum(i.amount_fen for i in lines if i.kind == "match.gift")
        assert matched > 0
    index = client.get("/ledger").get_data(as_text=True)
    for t in totals.values():
        cells = "".join(f"<td>{v / 100:,.2f}</td>" for v in (t.gifts_fen, t.refunds_fen, t.paid_out_fen,
                                                              t.balance_fen))
        assert cells in index
    rows = _csv(client, "/open-data/ledger.csv")
    assert {int(r["request_id"]) for r in rows} <= set(ids)
    with demo_app.app_context():
        confirmed = db.session.scalar(select(func.sum(Donation.amount_fen)).where(
            Donation.status == "confirmed"))
    gifts = sum(int(r["amount_fen"]) for r in rows if r["kind"] in ("donation", "match.gift"))
    assert gifts == confirmed
    figures = client.get("/api/v1/figures").json
    assert figures["national_fen"]["money_raised"] == confirmed
    assert figures["national"]["money_raised"] == (confirmed + 50) // 100


def _donor_names_or_anonymous_and_payout_evidence(demo_app, client) -> None:
    rows = _csv(client, "/open-data/ledger.csv")
    with demo_app.app_context():
        anonymous = db.session.scalar(select(func.count()).select_from(Donation).where(
            Donation.anonymous.is_(True)))
        payouts = db.session.scalars(select(Disbursement).where(
            Disbursement.status == "approved")).all()
        assert payouts
        notes = {p.note for p in payouts}
    assert sum(r["donor_or_purpose"] == "anonymous" for r in rows) == anonymous
    paid = [r for r in rows if r["kind"] == "disbursement"]
    assert {r["donor_or_purpose"] for r in paid} == notes
    assert all(r["evidence"] in ("invoice", "none") for r in paid)


def _nothing_personal_about_households(demo_app, client) -> None:
    with demo_app.app_context():
        households = db.session.scalars(select(Household)).all()
        names = [h.head_name for h in households] + [h.address for h in households if h.address]
        anonymous_donors = [u.display_name for u in db.session.scalars(
            select(User).join(Donation, Donation.donor_id == User.id)
            .where(Donation.anonymous.is_(True)))
            if not db.session.scalar(select(func.count()).select_from(Donation).where(
                Donation.donor_id == u.id, Donation.anonymous.is_(False)))]
        village_id = households[0].village_id
        request_id = db.session.scalar(select(HelpRequest.id).join(HelpRequest.household)
                                       .where(Household.consent_publish.is_(True)))
    for url in ["/open-data/ledger.csv", "/ledger", f"/ledger/villages/{village_id}",
                f"/ledger/requests/{request_id}", "/dashboard?figure=money_raised"]:
        text = client.get(url).get_data().decode("utf-8-sig")
        assert personal_data_in(text, names + anonymous_donors) == [], url


def _unpublished_requests_stay_out(demo_app, client) -> None:
    with demo_app.app_context():
        req = db.session.scalar(ledger.public_requests().join(Donation, Donation.request_id
                                                               == HelpRequest.id))
        req.household.consent_publish = False
        db.session.commit()
        request_id = req.id
    assert client.get(f"/ledger/requests/{request_id}").status_code == 404
    assert all(int(r["request_id"]) != request_id
               for r in _csv(client, "/open-data/ledger.csv"))


def _pages_in_both_languages(client) -> None:
    page = client.get("/ledger", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Public ledger" in page and "/ledger/requests/" in page
    page = client.get("/ledger", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "公示账本" in page
    assert client.get("/ledger/requests/999999").status_code == 404
    assert client.get("/ledger/villages/999999").status_code == 404
    # An anonymous gift reads as on the request pages (it once read 'anonymous', lower case).
    rows = _csv(client, "/open-data/ledger.csv")
    rid = next(r["request_id"] for r in rows if r["donor_or_purpose"] == "anonymous")
    for lang, word in (("en", "<td>Anonymous donor</td>"), ("zh", "<td>匿名爱心人士</td>")):
        page = client.get(f"/ledger/requests/{rid}", headers={"Accept-Language": lang})
        assert word in page.get_data(as_text=True)


def _no_user_names_in_public_answers(app, client) -> None:
    """Names of users (officers, secretaries, staff) and enterprise contacts never show."""
    from pairing.enterprises.models import Enterprise

    with app.app_context():
        donors = {d.donor_id for d in db.session.scalars(select(Donation).where(
            Donation.anonymous.is_(False)))}
        names = [u.display_name for u in db.session.scalars(select(User))
                 if u.id not in donors]  # donors who gave by name are named, by design
        names += [e.contact_name for e in db.session.scalars(select(Enterprise))]
    for url in ["/api/v1/villages?per_page=100", "/api/v1/enterprises?per_page=100",
                "/api/v1/offers?per_page=100", "/api/v1/needs?per_page=100",
                "/api/v1/figures", "/open-data/villages.csv", "/open-data/enterprises.csv",
                "/open-data/offers.csv", "/open-data/needs.csv", "/open-data/figures.csv",
                "/dashboard"]:
        r = client.get(url)
        assert r.status_code == 200, url
        # The API escapes Chinese as \\uXXXX: compare the decoded text.
        text = (json.dumps(r.get_json(), ensure_ascii=False) if r.is_json
                else r.get_data().decode("utf-8-sig"))
        assert personal_data_in(text, names) == [], url



def _series_over_time_end_at_the_figures(demo_app, client) -> None:
    """The ledger's monthly series add up to the figures computed from gifts and payouts."""
    national = client.get("/api/v1/figures").json["national"]
    with demo_app.app_context():
        raised, paid = timeline.money_raised(), timeline.money_paid_out()
    assert raised[-1][2] == national["money_raised"] > 0
    assert (paid[-1][2] if paid else 0) == national["money_disbursed"]
