"""The routes the bad-input sweep's crawl cannot reach (tests/sweep_direct.py probes them):
each on an object of the demo database in the state the route acts on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select

from pairing import demo
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Complaint, Donation, GivingFile, HelpRequest, Household
from pairing.matching.models import Pairing, ProgressReport, Round
from pairing.monitoring.models import MonitoredHousehold
from pairing.needs.models import Need
from pairing.payments.models import Payment
from pairing.places.models import Village
from pairing.shop.models import Order


@dataclass
class Target:
    """One route: its URL on a demo object, the fields it reads with values it accepts,
    and the tables it writes (compared whole; all tables are compared by row count)."""

    role: str  # the sweep's role that may use it (it gets every probe; the others fewer)
    method: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    writes: tuple[str, ...] = ()
    # Free text: "-1" or "NaN" is a fine title, so alone they get only the oversized text.
    text: tuple[str, ...] = ()


def _first(query: Any) -> Any:
    return db.session.scalars(query.limit(1)).first()


def _user(role: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{role}@{demo.DOMAIN}"))


def targets(app: Flask) -> dict[str, Target]:
    """Each route on the demo object of the right state (the first found)."""
    with app.app_context():
        village = db.session.scalar(
            select(Village).where(Village.secretary_id == _user("secretary").id)
        )
        request_ = _first(
            select(HelpRequest)
            .where(HelpRequest.village_id == village.id)
            .order_by(HelpRequest.status != "draft", HelpRequest.id)
        )
        public = _first(select(HelpRequest).where(HelpRequest.status == "open"))
        giving_file = _first(select(GivingFile.id).order_by(GivingFile.id))
        complaint = _first(select(Complaint).where(Complaint.status == "open"))
        if complaint is None:  # the demo has none: one waits for the verifiers
            from pairing.giving import services as giving

            complaint = giving.file_complaint(public, "这户情况需要核实", kind="other")
            db.session.flush()
        donation = _first(select(Donation).where(Donation.status == "confirmed"))
        report = _first(select(ProgressReport).order_by(ProgressReport.id))
        rnd = _first(select(Round).order_by(Round.id))
        need = _first(select(Need).where(Need.village_id == village.id))
        donor = _user("donor")
        order = _first(
            select(Order).where(Order.buyer_id == donor.id).order_by(Order.state != "placed")
        )
        paid = _first(
            select(Order).where(Order.village_id == village.id).order_by(Order.state != "paid")
        )
        payment = _first(select(Payment).where(Payment.payer_id == donor.id))
        household = _first(
            select(Household)
            .join(MonitoredHousehold, MonitoredHousehold.household_id == Household.id)
            .where(Household.village_id == village.id)
        )
        pairing = _first(select(Pairing).order_by(Pairing.id))
        from pairing.api import services as api

        token, _plain = api.create_token(_user("enterprise"), "sweep")
        db.session.commit()
        found: dict[str, Target] = {
            "giving.decide": Target(
                "verifier.county",
                "POST",
                f"/giving/verify/complaints/{complaint.id}",
                {"decision": "approve", "reason": "核实无误"},
                ("giving_complaints", "help_requests"),
                ("reason",),
            ),
            "giving.refund": Target(
                "verifier.county",
                "POST",
                f"/giving/donations/{donation.id}/refund",
                writes=("donations", "ledger_accounts"),
            ),
            "giving.edit_request": Target(
                "secretary",
                "POST",
                f"/giving/requests/{request_.id}/edit",
                {
                    "title": "修缮房屋",
                    "story": "房屋漏雨，需要修缮。" * 3,
                    "amount": "1000",
                    "deadline": "2030-01-01",
                    "purpose": "housing",
                    "diagnosis": "",
                },
                ("help_requests", "households"),
                ("title", "story", "diagnosis"),
            ),
            "giving.evidence": Target(
                "secretary",
                "POST",
                f"/giving/requests/{request_.id}/evidence",
                writes=("giving_files",),
            ),
            "giving.request_action": Target(
                "secretary",
                "POST",
                f"/giving/requests/{request_.id}/submit",
                writes=("help_requests",),
            ),
            "giving.disburse_page": Target(
                "secretary", "GET", f"/giving/requests/{request_.id}/disburse"
            ),
            "giving.trail": Target(
                "anonymous", "GET", f"/crowdfunding/household/{public.household_id or 1}"
            ),
            "giving.public_request_json": Target(
                "anonymous", "GET", f"/crowdfunding/{public.id}.json"
            ),
            "matching.decide": Target(
                "verifier.county",
                "POST",
                f"/reports/{report.id}/decide",
                {"decision": "uphold", "note": "核实"},
                ("progress_reports", "pairings"),
                ("note",),
            ),
            "matching.start_round": Target(
                "coordinator", "POST", f"/rounds/{rnd.id}/start", writes=("rounds", "proposals")
            ),
            "matching.round_status": Target("coordinator", "GET", f"/rounds/{rnd.id}/status"),
            "needs.edit": Target(
                "secretary",
                "POST",
                f"/needs/{need.id}/edit",
                {"title": "茶叶加工设备", "quantity": "10", "description": "加工设备"},
                ("needs",),
                ("title", "description"),
            ),
            "needs.withdraw": Target(
                "secretary", "POST", f"/needs/{need.id}/withdraw", writes=("needs",)
            ),
            "payments.show": Target("donor", "GET", f"/payments/{payment.id}"),
            "shop.checkout_done": Target("donor", "GET", f"/shop/checkouts/{order.checkout_id}"),
            "shop.pay_checkout": Target(
                "donor",
                "POST",
                f"/shop/checkouts/{order.checkout_id}/pay",
                writes=("shop_orders", "payments"),
            ),
            "shop.pay": Target(
                "donor", "POST", f"/shop/orders/{order.id}/pay", writes=("shop_orders", "payments")
            ),
            "shop.ship": Target(
                "secretary",
                "POST",
                f"/shop/orders/{paid.id}/ship",
                {"carrier": "顺丰", "tracking": "SF123"},
                ("shop_orders",),
                ("carrier", "tracking"),
            ),
            "shop.confirm_delivery": Target(
                "donor", "POST", f"/shop/orders/{order.id}/delivered", writes=("shop_orders",)
            ),
            "stats.ledger_pairing": Target("anonymous", "GET", f"/ledger/pairings/{pairing.id}"),
            "api_pages.revoke_token": Target(
                "enterprise", "POST", f"/account/tokens/{token.id}/revoke", writes=("api_tokens",)
            ),
            "monitoring.card": Target(
                "anonymous",
                "POST",
                f"/monitoring/card/{household.id}",
                {
                    "what": "rate",
                    "rate-code": "000000",
                    "rate-visits": "3",
                    "rate-help": "3",
                    "rate-comment": "",
                    "complain-code": "000000",
                    "complain-body": "x",
                },
                ("monitoring_cadre_ratings", "monitoring_cadre_complaints"),
                ("rate-comment", "complain-body"),
            ),
            "monitoring.confirm": Target(
                "verifier.county",
                "POST",
                f"/monitoring/households/{household.id}/exit",
                writes=("monitoring_households",),
            ),
        }
    if giving_file is not None:  # a payout's invoice; its page is reached only by notices
        found["giving.download"] = Target("verifier.county", "GET",
                                          f"/giving/files/{giving_file}")
    adapter = app.url_map.bind("localhost")
    for endpoint, target in found.items():
        assert adapter.match(target.url.split("?")[0], method=target.method)[0] == endpoint
    return found
