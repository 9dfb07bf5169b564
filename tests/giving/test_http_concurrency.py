"""Giving's money endpoints hit at once over HTTP, through a multi-worker gunicorn on the
test's database (SQLite file or PostgreSQL schema), requests released together by a
barrier: gifts and double clicks against a goal smaller than their sum, bank transfers
confirmed by two staff while a third gives up, refunds, payouts, match pools on one
offer. Every answer is a success or a clear refusal (zero 5xx) and ledger.verify, which
checks the books and giving's invariants, finds nothing wrong afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from giving_helpers import PDF, figures
from giving_helpers import world as make_world
from sqlalchemy import func, select

from pairing.accounts.models import User
from pairing.db import begin_write, today
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Disbursement, Donation, Match
from pairing.ledger import services as ledger
from pairing.ledger.models import LedgerTransaction
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):  # noqa: ANN001, ANN201
    with app_servers(database, tmp_path_factory.mktemp("giving-site"), workers=2, threads=4,
                     worker_class="gthread") as (server,):
        yield server


def _client(site, email: str) -> HttpClient:  # noqa: ANN001
    client = HttpClient(site.url)
    client.login(email)
    return client


def _clean(app, site, results) -> None:  # noqa: ANN001
    assert server_errors(results) == []
    # 400: a refused gift comes back as the form with what was typed, its error beside it
    assert {r.status_code for r in results} <= {200, 302, 303, 400}
    running(site)
    with app.app_context():
        assert ledger.verify() == []


def _gift(request_id: int, amount_yuan: int, key: str, provider: str = "sandbox") -> dict:
    return {"amount": str(amount_yuan), "provider": provider, "fallback": "0", "key": key}


def test_gifts_and_double_clicks_against_a_goal_smaller_than_their_sum(app, site, make_user):
    w = make_world(app, make_user, needed=50_000)  # ¥500; ten donors offer ¥80 each
    donors = [_client(site, make_user("donor").email) for _ in range(10)]
    tokens = [d.csrf() for d in donors]
    path = f"/crowdfunding/{w.request_id}/donate"
    results = release_together(20, lambda i: donors[i % 10].post_form(
        path, _gift(w.request_id, 80, f"click-{i % 10}"), token=tokens[i % 10]))
    _clean(app, site, results)
    f = figures(app, w.request_id)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Donation))
    assert rows == 6 and f["raised"] == f["balance"] == 48_000  # six fit, each once


def test_a_transfer_confirmed_by_two_staff_while_a_third_gives_up_is_booked_once(
        app, site, make_user):
    """The double booking of issue 17: staff sessions POST confirm for the same bank
    transfer at once. Each gift ends booked once (confirmed) or not at all (cancelled)."""
    w = make_world(app, make_user, needed=1_000_000)
    donors = [make_user("donor") for _ in range(8)]
    payment_ids = []
    with app.app_context():
        for n, donor in enumerate(donors):
            begin_write()
            gift = giving.donate(db.session.get(User, donor.id), w.request_id, 8_000, f"t{n}",
                                 provider="manual")
            db.session.commit()
            payment_ids.append(gift.payment_id)
    desks = [_client(site, make_user("coordinator").email) for _ in range(3)]
    tokens = [d.csrf() for d in desks]
    results = release_together(24, lambda i: desks[i % 3].post_form(
        f"/payments/{payment_ids[i // 3]}/{'cancel' if i % 3 == 2 else 'confirm'}",
        token=tokens[i % 3]))
    _clean(app, site, results)
    with app.app_context():
        booked = db.session.scalar(select(func.count()).select_from(LedgerTransaction)
                                   .where(LedgerTransaction.kind == "donation"))
        confirmed = db.session.scalar(select(func.count()).select_from(Donation)
                                      .where(Donation.status == "confirmed"))
    f = figures(app, w.request_id)
    assert booked == confirmed and f["raised"] == f["balance"] == 8_000 * confirmed


def test_refunds_and_payouts_at_once(app, site, make_user):
    w = make_world(app, make_user, needed=100_000)
    donor = make_user("donor")
    with app.app_context():
        ids = []
        for n in range(3):
            begin_write()
            ids.append(giving.donate(db.session.get(User, donor.id), w.request_id, 20_000,
                                     f"r{n}").id)
            db.session.commit()
    verifiers = [_client(site, make_user("verifier", jurisdiction="43").email)
                 for _ in range(2)]
    secretary = [_client(site, w.secretary.email) for _ in range(3)]
    vtokens = [v.csrf() for v in verifiers]
    stokens = [s.csrf() for s in secretary]

    def act(i: int):  # noqa: ANN202
        if i < 2:  # two verifiers refund the same gift
            return verifiers[i].post_form(f"/giving/donations/{ids[0]}/refund", token=vtokens[i])
        import io

        # three payout requests, each for everything that is left after the refund
        return secretary[i - 2].post_form(
            f"/giving/requests/{w.request_id}/disburse",
            {"amount": "400", "note": "住院费"}, token=stokens[i - 2],
            files={"file": ("fapiao.pdf", io.BytesIO(PDF), "application/pdf")})

    _clean(app, site, release_together(5, act))
    with app.app_context():
        assert db.session.get(Donation, ids[0]).status == "refunded"
        asked = db.session.scalars(select(Disbursement)).all()
        assert len(asked) == 1
        disb_id = asked[0].id
    results = release_together(2, lambda i: verifiers[i].post_form(
        f"/giving/verify/disbursements/{disb_id}", {"decision": "approve"}, token=vtokens[i]))
    _clean(app, site, results)
    f = figures(app, w.request_id)
    assert f["disbursed"] == 40_000 and f["balance"] == 0


def test_two_match_pools_on_one_offer_cannot_promise_it_twice(app, site, make_user):
    """Each post asks for 60% of the offer: one pool is made, the other refused."""
    w = make_world(app, make_user, needed=1_000_000)
    officer = make_user("enterprise")
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer.id, status="verified")
        db.session.add(e)
        db.session.flush()
        offer = Offer(enterprise_id=e.id, kind="donation", quantity=1_000_000, max_villages=5,
                      starts_on=today())
        db.session.add(offer)
        db.session.commit()
        offer_id = offer.id
    clients = [_client(site, officer.email) for _ in range(2)]
    tokens = [c.csrf() for c in clients]
    form = {"offer": offer_id, "pool": "6000", "requests": [w.request_id],
            "ends_on": (today() + timedelta(days=10)).isoformat()}
    _clean(app, site, release_together(2, lambda i: clients[i].post_form(
        "/giving/matches/new", form, token=tokens[i])))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Match)) == 1
        assert db.session.get(Offer, offer_id).paired_quantity == 600_000
