"""Public rows shared by the dashboard (tests/stats) and API (tests/api) tests: verified and
pending villages and enterprises, API tokens, a pairing, gifts. Their conftests import the
fixtures."""

from __future__ import annotations

import re

import pytest

from pairing.db import today as beijing_today
from pairing.db import utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village


@pytest.fixture
def seeded(app):
    """Two verified villages in Hunan (433124) and Sichuan (513431), one pending in Hunan;
    one verified enterprise in Zhejiang (330106) with a contact phone, one pending."""
    with app.app_context():
        now = utcnow()
        rows = [
            Village(name="十八洞村", county_code="433124", population=939, households=225,
                    poor_households=136, poor_population=533, income_per_capita=3200,
                    status="verified", verified_at=now),
            Village(name="三河村", county_code="513431", population=2000, households=500,
                    poor_households=200, poor_population=800, income_per_capita=2600,
                    deep_poverty=True, status="verified", verified_at=now),
            Village(name="待核村", county_code="433124", population=500, households=120,
                    poor_households=60, poor_population=240, status="pending"),
            Enterprise(name="杭州绿源茶业有限公司", credit_code=credit_code.make("91", "330106", "12345678Y"),
                       county_code="330106", sector="C", employees=420,
                       contact_name="陈经理", contact_phone="13912345678", status="verified",
                       verified_at=now),
            Enterprise(name="未核企业有限公司", credit_code=credit_code.make("91", "330106", "87654321Y"),
                       county_code="330106", sector="F", employees=10, status="pending"),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {"villages": [rows[0].id, rows[1].id, rows[2].id],
                "enterprises": [rows[3].id, rows[4].id]}


def new_token(app, client) -> str:
    """Make a token through the account page as the logged-in client; return it."""
    import support
    from pairing.api.models import SCOPES

    r = support.post(client, "/account/tokens", {"name": "test program", "scopes": list(SCOPES)})
    assert r.status_code == 201, r.status_code
    match = re.search(r'value="(pt_[^"]+)"', r.get_data(as_text=True))
    assert match
    return match.group(1)


@pytest.fixture
def token_for():
    return new_token


@pytest.fixture
def paired(app, seeded):
    """Pairings of the verified enterprise: procurement for 十八洞村 (1,000,000 fen with
    reports confirmed 300,000, upheld 200,000, waiting 100,000, rejected 50,000) and jobs
    for 三河村 (10 people, 4 confirmed)."""
    from datetime import timedelta

    from pairing.enterprises.models import Offer
    from pairing.matching.models import Pairing, ProgressReport, Proposal, Round
    from pairing.needs.models import Need

    with app.app_context():
        today = beijing_today()
        rnd = Round(status="done")
        db.session.add(rnd)
        made = {}
        for key, village, kind, quantity in (("money", 0, "procurement", 1_000_000),
                                             ("jobs", 1, "jobs", 10)):
            offer = Offer(enterprise_id=seeded["enterprises"][0], kind=kind,
                          quantity=quantity, paired_quantity=quantity, starts_on=today)
            need = Need(village_id=seeded["villages"][village], kind=kind, quantity=quantity)
            db.session.add_all([offer, need])
            db.session.flush()
            proposal = Proposal(round_id=rnd.id, offer_id=offer.id, need_id=need.id,
                                quantity=quantity, status="accepted",
                                expires_at=utcnow() + timedelta(days=7))
            db.session.add(proposal)
            db.session.flush()
            # delivered_quantity is the matching area's running total of the reports below.
            pairing = Pairing(proposal_id=proposal.id, offer_id=offer.id, need_id=need.id,
                              quantity=quantity, starts_on=today,
                              delivered_quantity=500_000 if kind == "procurement" else 4,
                              ends_on=today + timedelta(days=365))
            db.session.add(pairing)
            db.session.flush()
            made[key] = pairing.id
        reports = [("money", 300_000, "confirmed"), ("money", 200_000, "upheld"),
                   ("money", 100_000, "reported"), ("money", 50_000, "rejected"),
                   ("jobs", 4, "confirmed")]
        for key, quantity, status in reports:
            db.session.add(ProgressReport(pairing_id=made[key], quantity=quantity,
                                          delivered_on=today, status=status,
                                          answered_at=None if status == "reported" else utcnow()))
        db.session.commit()
        return made


def give(app, request_id: int, fen: int, key: str) -> None:
    """A gift to a help request, confirmed at once by the sandbox provider."""
    from pairing.accounts.models import User
    from pairing.db import begin_write
    from pairing.giving import services as giving

    with app.app_context():
        donor = db.session.scalar(db.select(User).where(User.role == "donor"))
        begin_write()
        giving.donate(donor, request_id, fen, key)
        db.session.commit()


@pytest.fixture
def gifts(app, seeded, make_user) -> list[int]:
    """A village project open for gifts in each verified village of `seeded` (花垣县, Hunan,
    and 513431, Sichuan), each given ¥10.99 (1,099 fen); returns the projects' ids."""
    from datetime import timedelta

    from pairing.accounts.models import User
    from pairing.giving import services as giving
    from pairing.needs.models import Need

    make_user("donor")
    projects = []
    for village_id, province in zip(seeded["villages"][:2], ("43", "51"), strict=True):
        secretary = make_user("secretary")
        verifier = make_user("verifier", jurisdiction=province)
        with app.app_context():
            db.session.get(Village, village_id).secretary_id = secretary.id
            need = Need(village_id=village_id, kind="infrastructure", quantity=5_000_000,
                        description="村道硬化")
            db.session.add(need)
            db.session.commit()
            sec = db.session.get(User, secretary.id)
            project = giving.create_project(sec, need, title="村道硬化", story="雨天出不了村。",
                                            amount_needed_fen=4_000_000,
                                            deadline=utcnow() + timedelta(days=20))
            giving.submit_request(sec, project)
            giving.verify_request(db.session.get(User, verifier.id), project, True)
            project.notice_until = utcnow() - timedelta(seconds=1)
            giving.settle(project)
            db.session.commit()
            projects.append(project.id)
        give(app, projects[-1], 1_099, f"gift-{village_id}")
    return projects
