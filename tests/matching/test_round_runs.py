"""One round at a time, each attempt run once, and a write path whose statements do not
grow with the round (issues 24 and 26), on the test database with real threads."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from enterprises import factories as f
from matching import mhelp as h
from sqlalchemy import event, func, select

from pairing.audit.models import AuditEvent
from pairing.db import utcnow
from pairing.enterprises.rules import Invalid
from pairing.extensions import db
from pairing.matching import execute, jobs, services
from pairing.matching.models import Notification, Proposal, Round


def _pairs(app, make_user, n: int, tag: str) -> object:  # noqa: ANN001
    """n offers and n needs, each with its own officer and secretary; a coordinator."""
    for i in range(n):
        e = f.enterprise(app, make_user("enterprise").id, name=f"企业{tag}{i}有限公司")
        f.offer(app, e, quantity=20_000_000, max_villages=1)
        v = f.village(app, make_user("secretary").id, name=f"{tag}{i}村")
        f.need(app, v, quantity=20_000_000)
    return make_user("coordinator", jurisdiction="CN")


def _statements_of_run(app, coordinator) -> tuple[int, int]:  # noqa: ANN001
    with app.app_context():
        rnd = services.create_round(h.user(coordinator), None, {})
        services.start_round(h.user(coordinator), rnd)
        rid = rnd.id
        db.session.commit()
        seen: list[str] = []
        listen = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            jobs.run(rid)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert db.session.get(Round, rid).status == "done"
        return len(seen), db.session.scalar(select(func.count(Notification.id)))


def test_writing_a_round_takes_as_many_statements_for_ten_pairs_as_for_two(app, make_user):
    """Proposals, inbox rows and the users' addresses go in bulk: a nationwide round once
    ran 400,000 statements, one refresh per proposal to find whom to tell."""
    small, told = _statements_of_run(app, _pairs(app, make_user, 2, "甲"))
    assert told == 4
    with app.app_context():  # the next round proposes all twelve pairs again
        db.session.execute(Proposal.__table__.delete())
        db.session.commit()
    big, told = _statements_of_run(app, _pairs(app, make_user, 10, "乙"))
    assert told == 4 + 2 * 12
    assert big == small


def test_a_job_that_finds_its_round_done_does_nothing(app, make_user):
    m = h.market(app, make_user)
    rid = h.run_round(app, m.coordinator)
    before = h.proposals(app)
    with app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.id)))
        jobs.run(rid)
        jobs.run(rid, 1)
        rnd = db.session.get(Round, rid)
        assert (rnd.status, rnd.error, rnd.attempt) == ("done", "", 1)
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    assert h.proposals(app) == before


def test_a_stalled_attempt_woken_after_the_restart_does_nothing(app, make_user, monkeypatch):
    """Attempt 1 stalls in the solver, is failed as stale and started again; attempt 2
    proposes. When attempt 1 wakes it must not write, nor fail the finished round."""
    m = h.market(app, make_user)
    with app.app_context():
        rnd = services.create_round(h.user(m.coordinator), None, {})
        services.start_round(h.user(m.coordinator), rnd)
        rid = rnd.id
        db.session.commit()
    inside, wake = threading.Event(), threading.Event()
    real = execute.solver.solve
    calls: list[int] = []

    def stalling(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:
            inside.set()
            wake.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(execute.solver, "solve", stalling)
    first = threading.Thread(target=jobs.run_in_app, args=(app, rid, 1))
    first.start()
    assert inside.wait(60)
    with app.app_context():
        rnd = db.session.get(Round, rid)
        rnd.heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        assert services.fail_stale(db.session) == 1
        db.session.commit()
        services.start_round(h.user(m.coordinator), db.session.get(Round, rid))
        db.session.commit()
        jobs.run(rid, 2)
        assert db.session.get(Round, rid).status == "done"
    proposed = h.proposals(app)
    wake.set()
    first.join(60)
    with app.app_context():
        rnd = db.session.get(Round, rid)
        assert (rnd.status, rnd.error, rnd.attempt) == ("done", "", 2)
        assert not db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "round.fail"))
    assert h.proposals(app) == proposed and len(proposed) == 1


def _start_together(app, coordinator, first_id: int, second_id: int) -> list[object]:  # noqa: ANN001
    """The first start holds its transaction open while the second is sent; the second
    must wait for it and be refused (not both accepted, as before)."""
    started, results = threading.Event(), [None, None]

    def first() -> None:
        with app.app_context():
            services.start_round(h.user(coordinator), db.session.get(Round, first_id))
            started.set()
            time.sleep(0.5)  # the second start is under way meanwhile
            db.session.commit()
            results[0] = "started"

    def second() -> None:
        started.wait(30)
        with app.test_request_context():  # the message is shown in the request's language
            try:
                services.start_round(h.user(coordinator), db.session.get(Round, second_id))
                db.session.commit()
                results[1] = "started"
            except Invalid as exc:
                db.session.rollback()
                results[1] = str(exc.errors["status"])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_rounds_started_at_once_one_runs(app, make_user):
    m = h.market(app, make_user)
    with app.app_context():
        ids = [services.create_round(h.user(m.coordinator), p, {}).id for p in (None, "43")]
        db.session.commit()
    assert _start_together(app, m.coordinator, *ids) == [
        "started", "另一轮匹配正在运行：请等它结束。"]  # the site's default language
    with app.app_context():
        assert db.session.scalar(select(func.count(Round.id)).where(Round.status == "running")) == 1


def test_one_round_started_twice_at_once_runs_once(app, make_user):
    m = h.market(app, make_user)
    with app.app_context():
        rid = services.create_round(h.user(m.coordinator), None, {}).id
        db.session.commit()
    assert _start_together(app, m.coordinator, rid, rid) == [
        "started", "本轮已运行或正在运行。"]
    with app.app_context():
        assert db.session.get(Round, rid).attempt == 1
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "round.start")) == 1
