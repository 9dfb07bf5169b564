"""Published help requests through the API, with their money from the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from pairing.db import utcnow
from pairing.extensions import db
from pairing.giving.models import Donation, HelpRequest
from pairing.ledger import services as ledger
from pairing.needs.models import Need


def _project(app, seeded, verified: bool = True) -> int:
    """A village project (no household) with a gift of 50 yuan booked in the ledger."""
    with app.app_context():
        village_id = seeded["villages"][0]
        need = Need(village_id=village_id, kind="infrastructure", quantity=2_000_000)
        db.session.add(need)
        db.session.flush()
        req = HelpRequest(need_id=need.id, village_id=village_id, purpose="other",
                          title="修村道", amount_needed_fen=2_000_000,
                          status="open" if verified else "submitted",
                          deadline=utcnow() + timedelta(days=30),
                          verified_at=utcnow() if verified else None)
        db.session.add(req)
        db.session.flush()
        gift = Donation(request_id=req.id, amount_fen=5_000, idempotency_key="k",
                        status="confirmed", confirmed_at=utcnow())
        db.session.add(gift)
        db.session.flush()
        ledger.transfer("donation", ledger.account("donations:test"),
                        ledger.account(req.ledger_code, owner_type="help_request",
                                       owner_id=req.id),
                        5_000, subject=("donation", gift.id))
        db.session.commit()
        return req.id


def test_published_requests_with_their_money(app, client, seeded):
    request_id = _project(app, seeded)
    hidden = _project(app, seeded, verified=False)
    r = client.get("/api/v1/requests")
    assert r.status_code == 200 and r.json["total"] == 1
    item = r.json["items"][0]
    assert item["id"] == request_id and item["kind"] == "project"
    assert item["gifts_fen"] == 5_000 == item["balance_fen"] and item["paid_out_fen"] == 0
    assert item["refunded_fen"] == 0
    with app.app_context():  # a refund: the figures still add up to the balance
        req = db.session.get(HelpRequest, request_id)
        ledger.transfer("refund", ledger.account(req.ledger_code), ledger.account("donations:test"),
                        1_000, subject=("help_request", req.id))
        db.session.commit()
    item = client.get("/api/v1/requests").json["items"][0]
    assert (item["gifts_fen"], item["refunded_fen"], item["balance_fen"]) == (5_000, 1_000, 4_000)
    assert client.get(item["ledger"]).status_code == 200
    assert client.get(f"/api/v1/requests/{request_id}").json["title"] == "修村道"
    assert client.get(f"/api/v1/requests/{hidden}").status_code == 404
    assert client.get("/api/v1/requests?province=51").json["total"] == 0
    assert client.get("/api/v1/requests?purpose=gold").status_code == 422


def test_a_public_request_always_has_its_verification_time(app, seeded):
    """The "newest" lists page by (verified_at, id): the database refuses a public request
    without the time (migration 0031's check), as it accepts an unpublished one."""
    with app.app_context():
        need = Need(village_id=seeded["villages"][0], kind="infrastructure", quantity=9)
        db.session.add(need)
        db.session.flush()
        for status, accepted in (("submitted", True), ("open", False), ("closed", False)):
            savepoint = db.session.begin_nested()
            db.session.add(HelpRequest(need_id=need.id, village_id=need.village_id, title="路",
                                       purpose="other", amount_needed_fen=100, status=status,
                                       deadline=utcnow() + timedelta(days=3)))
            if accepted:
                db.session.flush()
            else:
                with pytest.raises(IntegrityError):
                    db.session.flush()
            savepoint.rollback()
        db.session.rollback()
