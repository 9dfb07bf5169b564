"""An active pairing of a new enterprise and village, for notices' and appeals' tests."""

from __future__ import annotations

from datetime import timedelta

from enterprises import factories as f
from flask import Flask
from giving_helpers import make_village

from pairing.db import today, utcnow
from pairing.extensions import db


def active_pairing(app: Flask, officer_id: int, secretary_id: int, started_days_ago: int = 0,
                   county: str = "433124") -> int:
    from pairing.enterprises.models import Offer
    from pairing.matching.models import Pairing, Proposal, Round
    from pairing.needs.models import Need

    ent = f.enterprise(app, officer_id)
    village = make_village(app, secretary_id, name="沙洲村", county=county)
    with app.app_context():
        offer = Offer(enterprise_id=ent, kind="donation", quantity=10_000_000, max_villages=9,
                      starts_on=today())
        need = Need(village_id=village, kind="donation", quantity=10_000, description="助学金")
        rnd = Round(status="done")
        db.session.add_all([offer, need, rnd])
        db.session.flush()
        prop = Proposal(round_id=rnd.id, offer_id=offer.id, need_id=need.id, quantity=10_000,
                        status="accepted", expires_at=utcnow() + timedelta(days=3))
        db.session.add(prop)
        db.session.flush()
        start = today() - timedelta(days=started_days_ago)
        p = Pairing(proposal_id=prop.id, offer_id=offer.id, need_id=need.id, quantity=10_000,
                    starts_on=start, ends_on=start + timedelta(days=400), status="active")
        db.session.add(p)
        db.session.commit()
        return p.id
