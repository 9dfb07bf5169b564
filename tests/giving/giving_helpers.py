"""Building blocks for giving tests: a village with its secretary, a household, a request
in a chosen state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.db import utcnow
from pairing.extensions import db
from pairing.giving import idnumber
from pairing.giving import services as giving
from pairing.giving.models import HelpRequest
from pairing.places.models import Village

COUNTY = "433124"  # 花垣县, Hunan
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class World:
    secretary: support.UserRef
    verifier: support.UserRef
    village_id: int
    household_id: int
    request_id: int


def id_number(seq: int, county: str = COUNTY) -> str:
    return idnumber.make(county, date(1970, 1, 1) + timedelta(days=seq * 37), seq % 1000)


def make_village(app: Flask, secretary_id: int, name: str = "十八洞村",
                 county: str = COUNTY) -> int:
    with app.app_context():
        village = Village(name=name, county_code=county, secretary_id=secretary_id,
                          status="verified")
        db.session.add(village)
        db.session.commit()
        return village.id


def make_household(app: Flask, secretary_id: int, village_id: int, seq: int = 1,
                   name: str = "龙德成", tie: bool = False, consent: bool = True) -> int:
    with app.app_context():
        actor = db.session.get(User, secretary_id)
        household = giving.register_household(actor, db.session.get(Village, village_id),
                                              giving.HouseholdData(
            registration_no=f"R{seq:04d}", head_name=name, id_number=id_number(seq),
            address="三组 12 号", members=4, income_per_capita=2800, causes=("illness",),
            cadre_name="施金通", family_tie=tie, consent_publish=consent,
            consent_sensitive=consent))
        db.session.commit()
        return household.id


def make_request(app: Flask, secretary_id: int, household_id: int, *, needed: int = 1_000_000,
                 days: int = 30, state: str = "open", verifier_id: int | None = None,
                 diagnosis: str = "尿毒症") -> int:
    """A request in state draft, submitted, notice or open (notice period already over)."""
    from pairing.giving.models import Household

    with app.app_context():
        actor = db.session.get(User, secretary_id)
        req = giving.create_request(
            actor, db.session.get(Household, household_id), purpose="medical",
            title="为母亲治病", story="母亲需要长期透析，家里负担很重。", diagnosis=diagnosis,
            amount_needed_fen=needed, deadline=utcnow() + timedelta(days=days))
        if state != "draft":
            giving.submit_request(actor, req)
        if state in ("notice", "open"):
            verifier = db.session.get(User, verifier_id)
            giving.verify_request(verifier, req, True)
        if state == "open":
            req.notice_until = utcnow() - timedelta(seconds=1)
            giving.settle(req)
        db.session.commit()
        return req.id


def world(app: Flask, make_user, *, needed: int = 1_000_000, state: str = "open") -> World:
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="43")
    village = make_village(app, secretary.id)
    household = make_household(app, secretary.id, village)
    request = make_request(app, secretary.id, household, needed=needed, state=state,
                           verifier_id=verifier.id)
    return World(secretary, verifier, village, household, request)


def open_project(app: Flask, w: World) -> int:
    """A village road need of w's village opened as a 40,000-yuan project, verified and
    open for gifts; returns the project's id."""
    from pairing.needs.models import Need

    with app.app_context():
        need = Need(village_id=w.village_id, kind="infrastructure", quantity=5_000_000,
                    description="村道硬化 1.2 公里")
        db.session.add(need)
        db.session.commit()
        sec = db.session.get(User, w.secretary.id)
        project = giving.create_project(sec, need, title="十八洞村村道硬化", story="雨天出不了村。",
                                        amount_needed_fen=4_000_000,
                                        deadline=utcnow() + timedelta(days=20))
        giving.submit_request(sec, project)
        giving.verify_request(db.session.get(User, w.verifier.id), project, True)
        project.notice_until = utcnow() - timedelta(seconds=1)
        giving.settle(project)
        db.session.commit()
        return project.id


def figures(app: Flask, request_id: int) -> dict[str, int]:
    """Raised, disbursed and the ledger balance of a request, read fresh."""
    from pairing.ledger import services as ledger

    with app.app_context():
        req = db.session.get(HelpRequest, request_id)
        acct = ledger.account(req.ledger_code)
        return {"raised": req.raised_fen, "disbursed": req.disbursed_fen,
                "balance": ledger.balance(acct), "donors": req.donors_count,
                "needed": req.amount_needed_fen, "status": req.status}  # type: ignore[dict-item]


def first(model, **where):
    return db.session.scalars(select(model).filter_by(**where)).first()
