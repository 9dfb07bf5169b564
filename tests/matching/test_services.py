"""Rounds, proposals and pairings through the services, on the test database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from enterprises import factories as f
from matching import mhelp as h
from sqlalchemy import func, select

from pairing import housekeeping
from pairing.audit.models import AuditEvent
from pairing.db import utcnow
from pairing.enterprises.models import Offer
from pairing.enterprises.rules import Invalid, NotAllowed
from pairing.extensions import db
from pairing.matching import services
from pairing.matching.models import Notification, Proposal, Round


def test_round_proposes_and_records_figures(app, make_user):
    m = h.market(app, make_user)
    rid = h.run_round(app, m.coordinator)
    props = h.proposals(app)
    assert props == [(props[0][0], m.offer_id, m.need_id, 20_000_000, "pending")]
    with app.app_context():
        rnd = db.session.get(Round, rid)
        assert rnd.status == "done" and rnd.figures["proposed"] == 1
        assert rnd.figures["solver"]["by_mechanism"] == {"industry:yuan": 200_000}
        assert rnd.figures["greedy"]["pairs"] == 1
        assert sum(rnd.figures["solver"]["needs_by_decile"]) == 1
        p = db.session.scalars(select(Proposal)).one()
        assert p.parts["poverty"] > 0 and p.distance_km > 500  # Hangzhou -> western Hunan
        users = {n.user_id for n in db.session.scalars(select(Notification))}
        assert users == {m.officer.id, m.secretary.id}


def test_round_twice_does_not_duplicate_and_pending_holds_capacity(app, make_user):
    m = h.market(app, make_user, offer_qty=30_000_000, need_qty=20_000_000)
    v2 = f.village(app, make_user("secretary").id, name="排碧村")
    n2 = f.need(app, v2, quantity=20_000_000)
    h.run_round(app, m.coordinator)
    first = h.proposals(app)
    assert sum(q for *_x, q, _s in first) == 30_000_000  # the offer is used up
    h.run_round(app, m.coordinator)
    assert h.proposals(app) == first  # held capacity: nothing new, nothing duplicated
    assert {n for _i, _o, n, _q, _s in first} <= {m.need_id, n2}


def test_declined_never_again_accepted_locked_and_expired_returns(app, make_user):
    m = h.market(app, make_user, offer_qty=50_000_000, need_qty=20_000_000)
    h.run_round(app, m.coordinator)
    (pid, *_rest), = h.proposals(app)
    h.answer(app, m.secretary, pid, accept=False, reason="distance")
    h.run_round(app, m.coordinator)
    assert [p[4] for p in h.proposals(app)] == ["declined"]  # never proposed again
    # A second need of the same village: proposed, accepted by both, then locked.
    n2 = f.need(app, m.village_id, kind="procurement", quantity=10_000_000)
    h.run_round(app, m.coordinator)
    new = h.proposals(app, "pending")
    assert [(p[2], p[3]) for p in new] == [(n2, 10_000_000)]
    assert h.answer(app, m.officer, new[0][0]) is None
    pairing_id = h.answer(app, m.secretary, new[0][0])
    assert h.pairings(app) == [(pairing_id, m.offer_id, n2, 10_000_000, "active")]
    with app.app_context():
        assert db.session.get(Offer, m.offer_id).paired_quantity == 10_000_000
    rid = h.run_round(app, m.coordinator)
    with app.app_context():
        assert db.session.get(Round, rid).figures["solver"]["locked"] == 1
    assert len(h.proposals(app)) == 2  # the locked pair is not proposed again


def test_expiry_returns_capacity(app, make_user):
    m = h.market(app, make_user, offer_qty=20_000_000, need_qty=20_000_000, max_villages=1)
    v2 = f.village(app, make_user("secretary").id, name="排碧村")
    n2 = f.need(app, v2, quantity=20_000_000)
    h.run_round(app, m.coordinator)
    (pid, _o, first_need, _q, _s), = h.proposals(app)
    with app.app_context():
        done = housekeeping.run_all(db.session, utcnow() + timedelta(days=15))
        assert done["matching.expire_proposals"] == 1
    assert h.proposals(app)[0][4] == "expired"
    with pytest.raises(Invalid):
        h.answer(app, m.officer, pid)
    h.run_round(app, m.coordinator)
    pending = h.proposals(app, "pending")
    assert len(pending) == 1 and pending[0][3] == 20_000_000  # capacity came back
    assert {first_need, pending[0][2]} <= {m.need_id, n2}


def test_answers_by_roles_that_must_not(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (pid, *_rest), = h.proposals(app)
    for ref in (make_user("enterprise"), make_user("secretary"), make_user("donor"),
                make_user("verifier"), m.coordinator):
        with pytest.raises(NotAllowed):
            h.answer(app, ref, pid)
    h.answer(app, m.officer, pid)
    with pytest.raises(Invalid):
        h.answer(app, m.officer, pid)  # once per side
    with pytest.raises(Invalid):
        h.answer(app, m.secretary, pid, accept=False, reason="")  # a reason is required
    assert h.proposals(app)[0][4] == "pending" and h.pairings(app) == []


def test_round_roles_and_scope(app, make_user):
    m = h.market(app, make_user)
    verifier, hunan = make_user("verifier"), make_user("coordinator", jurisdiction="43")
    with app.app_context():
        for ref in (m.officer, m.secretary, verifier):
            with pytest.raises(NotAllowed):
                services.create_round(h.user(ref), None, {})
        with pytest.raises(NotAllowed):
            services.create_round(h.user(hunan), None, {})
        with pytest.raises(Invalid):
            services.create_round(h.user(m.coordinator), None, {"distance": 500})
    rid = h.run_round(app, hunan, "43")
    with app.app_context():
        assert db.session.get(Round, rid).figures["needs"] == 1
    rid = h.run_round(app, m.coordinator, "51")  # Sichuan: no needs there
    with app.app_context():
        assert db.session.get(Round, rid).figures["proposed"] == 0


def test_concurrent_accepts_make_one_pairing(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (pid, *_rest), = h.proposals(app)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def accept(who) -> None:  # noqa: ANN001
        barrier.wait()
        try:
            h.answer(app, who, pid)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=accept, args=(w,)) for w in (m.officer, m.secretary)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(h.pairings(app)) == 1
    with app.app_context():
        assert db.session.get(Offer, m.offer_id).paired_quantity == 20_000_000
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "pairing.create")) == 1


def test_stale_round_fails_and_runs_again(app, make_user):
    m = h.market(app, make_user)
    with app.app_context():
        rnd = services.create_round(h.user(m.coordinator), None, {})
        services.start_round(h.user(m.coordinator), rnd)
        rnd.heartbeat_at = utcnow() - timedelta(minutes=30)
        rid = rnd.id
        db.session.commit()
        assert housekeeping.run_all(db.session)["matching.fail_stale_rounds"] == 1
        rnd = db.session.get(Round, rid)
        assert rnd.status == "failed"
        services.start_round(h.user(m.coordinator), rnd)
        db.session.commit()
    from pairing.matching import jobs

    with app.app_context():
        jobs.run(rid)
        assert db.session.get(Round, rid).status == "done"
    assert len(h.proposals(app)) == 1


def test_round_in_a_worker_thread(app, make_user):
    from pairing.matching import jobs

    m = h.market(app, make_user)
    app.config["MATCHING_INLINE_MAX"] = 0
    with app.app_context():
        rnd = services.create_round(h.user(m.coordinator), None, {})
        services.start_round(h.user(m.coordinator), rnd)
        rid = rnd.id
        db.session.commit()
        assert jobs.launch(rid, 10) == "thread"
    jobs.THREADS.pop(rid).join(60)
    with app.app_context():
        assert db.session.get(Round, rid).status == "done"


def test_demo_round_gives_every_page_content(app, runner):
    from pairing.accounts.models import User
    from pairing.demo import DOMAIN
    from pairing.matching.models import Pairing, ProgressReport

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        rnd = db.session.scalars(select(Round)).one()
        assert rnd.status == "done" and rnd.figures["proposed"] > 10
        assert db.session.scalar(select(func.count(Pairing.id))) >= 3
        assert db.session.scalar(select(func.count(ProgressReport.id)).where(
            ProgressReport.status == "confirmed")) >= 2
        for who in ("enterprise", "secretary"):
            user = db.session.scalar(select(User).where(User.email == f"{who}@{DOMAIN}"))
            pending = db.session.scalars(services.proposals_for(user)).unique().all()
            assert pending, who
    rid = h.run_round(app, _coordinator(app))
    with app.app_context():
        pairs = db.session.execute(select(Proposal.offer_id, Proposal.need_id).where(
            Proposal.status == "pending")).all()
        assert len(pairs) == len(set(pairs))  # a second round duplicates nothing
        assert db.session.get(Round, rid).status == "done"


def _coordinator(app):  # noqa: ANN001, ANN202
    from pairing.accounts.models import User
    from pairing.demo import DOMAIN

    with app.app_context():
        u = db.session.scalar(select(User).where(User.email == f"coordinator@{DOMAIN}"))
        return type("Ref", (), {"id": u.id})()


def test_round_on_an_rq_worker(app, make_user):
    import os
    import uuid

    import redis
    from rq import Queue, SimpleWorker

    from pairing.matching import jobs

    url = os.environ.get("PAIRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis does not answer at {url}")
    m = h.market(app, make_user)
    queue = f"pairing-test-{uuid.uuid4().hex[:8]}"  # no other test's jobs
    app.config.update(MATCHING_INLINE_MAX=0, REDIS_URL=url, MATCHING_RQ_QUEUE=queue)
    with app.app_context():
        rnd = services.create_round(h.user(m.coordinator), None, {})
        services.start_round(h.user(m.coordinator), rnd)
        rid = rnd.id
        db.session.commit()
        assert jobs.launch(rid, 10) == "rq"
    conn = redis.Redis.from_url(url)
    jobs.APP_FACTORY = lambda: app
    try:
        SimpleWorker([Queue(queue, connection=conn)], connection=conn).work(burst=True)
    finally:
        jobs.APP_FACTORY = None
    with app.app_context():
        assert db.session.get(Round, rid).status == "done"
    assert len(h.proposals(app)) == 1


def test_greedy_gap_is_measured_against_the_solvers_bound(app, make_user):
    """The greedy baseline computes no bound: the round page's gap for it is measured
    against the solver's bound (it once showed 0.00%, as if greedy were optimal)."""
    import numpy as np

    from pairing.matching import to_solver
    from solver.types import PARTS, Solution, Stats

    m = h.market(app, make_user)
    rid = h.run_round(app, m.coordinator)
    with app.app_context():
        f = db.session.get(Round, rid).figures
    assert f["greedy"]["bound"] == f["solver"]["bound"] > 0
    assert f["greedy"]["gap"] == (f["solver"]["bound"] - f["greedy"]["objective"]) / f["solver"]["bound"]
    empty = np.zeros(0, np.int64)
    worse = Solution(empty, empty, empty, np.zeros((0, len(PARTS)), np.int16), np.zeros(0, bool),
                     Stats(objective=900, bound=900, gap=0.0, covered_by_decile=(1.0,) * 10,
                           needs_by_decile=(0,) * 10, seconds={}, peak_mb={}, arcs=0, rounds=0,
                           time_limit_hit=False))
    shown = to_solver.figures(None, worse, bound=1000)
    assert shown["bound"] == 1000 and abs(shown["gap"] - 0.1) < 1e-12
