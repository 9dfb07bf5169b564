"""The access matrix's world: the demo, with one object of each kind in Hunan (十八洞村,
433124) owned by demo users, and the values every URL argument takes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from pairing import demo
from pairing.accounts.models import User
from pairing.db import today
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import (
    Disbursement,
    Donation,
    GivingFile,
    HelpRequest,
    Household,
)
from pairing.matching import delivery
from pairing.matching.models import EvidenceFile, Pairing, ProgressReport, Proposal, Round
from pairing.needs.models import Need
from pairing.places.models import Village
from pairing.shop.models import Order, Payout, Product, ProductPhoto

COUNTY = "433124"


def _first(query):  # noqa: ANN001, ANN202
    return db.session.scalars(query.limit(1)).first()


def build() -> dict[str, object]:
    """Load the demo, move one enterprise and one pending village into Hunan, add a bank
    transfer and a complaint waiting for staff; returns the URL arguments' values."""
    demo.load(echo=lambda _line: None)
    village = db.session.scalar(select(Village).where(Village.name == "十八洞村"))
    enterprise = db.session.scalar(select(Enterprise).join(User, User.id == Enterprise.officer_id)
                                   .where(User.email.like("enterprise@%")))
    enterprise.county_code, enterprise.province_code = COUNTY, COUNTY[:2]
    pending = _first(select(Village).where(Village.status == "pending"))
    pending.county_code, pending.province_code = COUNTY, COUNTY[:2]
    req = _first(select(HelpRequest).where(HelpRequest.village_id == village.id,
                                           HelpRequest.status == "open",
                                           HelpRequest.household_id.is_not(None)))
    donor = db.session.scalar(select(User).where(User.email.like("donor@%")))
    transfer = giving.donate(donor, req.id, 1_000, "matrix", provider="manual")
    complaint = giving.file_complaint(req, "这户情况需要核实", kind="other")
    db.session.flush()
    pairing = _first(select(Pairing).join(Need).where(Need.village_id == village.id))
    report = _first(select(ProgressReport).where(ProgressReport.pairing_id == pairing.id)) \
        if pairing else None
    order = _first(select(Order).where(Order.village_id == village.id))
    product = _first(select(Product).where(Product.village_id == village.id))
    photo = _first(select(ProductPhoto).where(ProductPhoto.product_id == product.id)) \
        if product else None
    disbursement = _first(select(Disbursement))
    extra = _states(village, req, pairing, report, enterprise)
    ids = {
        "village_id": village.id, "request_id": req.id, "household_id": req.household_id,
        "donation_id": _first(select(Donation.id).where(Donation.request_id == req.id)),
        "payment_id": transfer.payment_id, "item_id": complaint.id,
        "enterprise_id": enterprise.id,
        "offer": _first(select(Offer.id).where(Offer.enterprise_id == enterprise.id)),
        "need": _first(select(Need.id).where(Need.village_id == village.id)),
        "need_id": _first(select(Need.id).where(Need.village_id == village.id)),
        "pending_village": pending.id,
        "user_id": village.secretary_id,
        "pairing_id": pairing.id if pairing else 1,
        "report_id": report.id if report else 1,
        "proposal_id": _first(select(Proposal.id)) or 1,
        "round_id": _first(select(Round.id)) or 1,
        "order_id": order.id if order else 1,
        "checkout_id": order.checkout_id if order else 1,
        "product_id": product.id if product else 1,
        "photo_id": photo.id if photo else 1,
        "name": photo.name if photo else "x.jpg",
        "payout_id": _first(select(Payout.id)) or 1,
        "giving_file": _first(select(GivingFile.id)) or 1,
        "evidence_file": _first(select(EvidenceFile.id)) or 1,
        "disbursement": disbursement.id if disbursement else 1,
        "household_other": _first(select(Household.id).where(Household.id != req.household_id)),
        "complaint": complaint.id,
        **extra,
    }
    db.session.commit()
    return ids


def _states(village: Village, req: HelpRequest, pairing: Pairing | None,
            report: ProgressReport | None, enterprise: Enterprise) -> dict[str, object]:
    """Objects in the state a route acts on, so that its owner's form is proven: a draft
    request, a disputed report, an offer nothing is paired with, a public-welfare need."""
    secretary = db.session.get(User, village.secretary_id)
    draft = giving.create_request(
        secretary, req.household, purpose="housing", title="修缮漏雨的房屋",
        story="房屋年久失修，屋顶漏雨，需要更换瓦片和木梁。", amount_needed_fen=100_000,
        deadline=datetime(2030, 6, 30))
    found: dict[str, object] = {"draft_request": draft.id}
    other = _first(select(ProgressReport).join(Pairing).join(Need).where(
        Need.village_id == village.id, ProgressReport.status == "reported",
        ProgressReport.id != (report.id if report else 0)))
    if other is None and pairing is not None and pairing.status == "active":
        officer = db.session.get(User, pairing.offer.enterprise.officer_id)
        other = delivery.report_progress(officer, pairing, 1, today(), "第二批货物", [])
    if other is not None:
        delivery.dispute_report(secretary, other, "没有收到这批货物")
        found["disputed_report"] = other.id
    found["free_offer"] = _first(select(Offer.id).where(
        Offer.enterprise_id == enterprise.id, Offer.status == "active",
        Offer.paired_quantity == 0,
        ~select(Pairing.id).where(Pairing.offer_id == Offer.id).exists()).order_by(Offer.id))
    found["project_need"] = _first(select(Need.id).where(
        Need.village_id == village.id, Need.status == "open",
        Need.kind.in_(("donation", "infrastructure", "education", "medical"))))
    # Staff whose jurisdiction a coordinator may change: the county's verifier.
    found["county_verifier"] = db.session.scalar(select(User.id).where(
        User.email == f"verifier.county@{demo.DOMAIN}"))
    # A secretary's account besides the village's: a cadre to name, a successor.
    found["other_secretary"] = db.session.scalar(select(User.email).where(
        User.role == "secretary", User.active, User.id != secretary.id,
        User.email.like(f"%@{demo.DOMAIN}")).order_by(User.id).limit(1))
    return {k: v for k, v in found.items() if v is not None}


# Arguments whose meaning depends on the endpoint ("ident" is a village, an enterprise, an
# offer or a need); any other argument takes its own name's value from build().
CONSTANTS = {"code": "433124", "ext": "xlsx", "fmt": "csv", "token": "no-such-token",
             "action": "confirm", "what": "pause", "kind": "complaints", "key": "villages"}
BY_ENDPOINT = {
    "enterprises.edit": {"ident": "enterprise_id"},
    "enterprises.show": {"ident": "enterprise_id"},
    "enterprises.new_offer": {"ident": "enterprise_id"},
    "enterprises.edit_offer": {"ident": "free_offer"},
    "enterprises.withdraw_offer": {"ident": "offer"},
    "needs.edit": {"ident": "need"},
    "needs.withdraw": {"ident": "need"},
    "needs.new": {"ident": "village_id"},
    "places.edit_village": {"ident": "village_id"},
    "places.hand_over": {"ident": "village_id"},
    "places.village": {"ident": "village_id"},
    "verification.decide": {"ident": "pending_village"},
    "giving.download": {"file_id": "giving_file"},
    "giving.edit_request": {"request_id": "draft_request"},
    "giving.add_photo": {"request_id": "draft_request"},
    "giving.new_project": {"need_id": "project_need"},
    "matching.decide": {"report_id": "disputed_report"},
    "admin.change_jurisdiction": {"user_id": "county_verifier"},
    "matching.evidence_file": {"file_id": "evidence_file"},
    "main.set_language": {"code": "en"},
    "stats.province": {"code": "43"},
    "api_v1.province_figures": {"code": "43"},
    "shop.decide_payout": {"what": "approve"},
    "giving.request_action": {"action": "submit"},
    "stats.download": {"name": "ledger"},
}


def url_for_rule(rule, ids: dict[str, object]) -> str:  # noqa: ANN001
    """The rule's URL with the Hunan object (or a constant) in each argument."""
    values = {}
    overrides = BY_ENDPOINT.get(rule.endpoint, {})
    for arg in rule.arguments:
        source = overrides.get(arg, arg)
        if source in ids:
            values[arg] = ids[source]
        elif arg in overrides:
            values[arg] = overrides[arg]
        else:
            values[arg] = CONSTANTS.get(arg, 1)
    path = rule.rule
    for arg, value in values.items():
        path = _substitute(path, arg, str(value))
    return path


def _substitute(path: str, arg: str, value: str) -> str:
    start = path.index("<")
    while start >= 0:
        end = path.index(">", start)
        if path[start + 1:end].split(":")[-1] == arg:
            return path[:start] + value + path[end + 1:]
        start = path.find("<", end)
    raise KeyError(arg)
