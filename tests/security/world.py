"""The access matrix's world: the demo, with one object of each kind in Hunan (十八洞村,
433124) owned by demo users, and the values every URL argument takes."""

from __future__ import annotations

from sqlalchemy import select

from pairing import demo
from pairing.accounts.models import User
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
    }
    db.session.commit()
    return ids


# Arguments whose meaning depends on the endpoint ("ident" is a village, an enterprise, an
# offer or a need); any other argument takes its own name's value from build().
CONSTANTS = {"code": "433124", "ext": "xlsx", "fmt": "csv", "token": "no-such-token",
             "action": "confirm", "what": "pause", "kind": "complaints", "key": "villages"}
BY_ENDPOINT = {
    "enterprises.edit": {"ident": "enterprise_id"},
    "enterprises.show": {"ident": "enterprise_id"},
    "enterprises.new_offer": {"ident": "enterprise_id"},
    "enterprises.edit_offer": {"ident": "offer"},
    "enterprises.withdraw_offer": {"ident": "offer"},
    "needs.edit": {"ident": "need"},
    "needs.withdraw": {"ident": "need"},
    "needs.new": {"ident": "village_id"},
    "places.edit_village": {"ident": "village_id"},
    "places.hand_over": {"ident": "village_id"},
    "places.village": {"ident": "village_id"},
    "verification.decide": {"ident": "pending_village"},
    "giving.download": {"file_id": "giving_file"},
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
