"""Rounds through two app servers and an RQ worker on one database (issue 24): two starts
sent together run one round and tell the other coordinator why; a stalled round started
again runs once although both of its jobs reach the worker; nobody sees a server error."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from matching import mhelp as h
from sqlalchemy import func, select

from pairing.audit.models import AuditEvent
from pairing.db import utcnow
from pairing.extensions import db
from pairing.matching import services
from pairing.matching.models import Round
from servers import (
    REDIS_URL,
    HttpClient,
    app_servers,
    flush_redis_prefix,
    release_together,
    rq_worker,
    running,
    server_errors,
)

pytestmark = pytest.mark.slow

REFUSED = ("另一轮匹配正在运行：请等它结束。", "本轮已运行或正在运行。")


def _rounds(app, coordinator, scopes) -> list[int]:  # noqa: ANN001
    with app.app_context():
        ids = [services.create_round(h.user(coordinator), p, {}).id for p in scopes]
        db.session.commit()
        return ids


def _start(clients: list[HttpClient], round_ids: list[int]) -> list[bool]:
    """Both starts released together; whether each coordinator is told it was refused."""
    tokens = [c.csrf(f"/rounds/{rid}") for c, rid in zip(clients, round_ids, strict=True)]
    answers = release_together(2, lambda i: clients[i].post_form(
        f"/rounds/{round_ids[i]}/start", token=tokens[i]))
    assert server_errors(answers) == []
    assert [a.status_code for a in answers] == [302, 302]
    pages = [c.get(f"/rounds/{rid}").text for c, rid in zip(clients, round_ids, strict=True)]
    return [any(text in page for text in REFUSED) for page in pages]


def _status(app, ids) -> dict[int, tuple[str, int]]:  # noqa: ANN001
    with app.app_context():
        return {i: (s, a) for i, s, a in db.session.execute(
            select(Round.id, Round.status, Round.attempt).where(Round.id.in_(ids)))}


def _work(database, tmp_path, env) -> None:  # noqa: ANN001
    with rq_worker(database, tmp_path, queue=env["MATCHING_RQ_QUEUE"], env=env,
                   burst=True) as worker:
        assert worker.wait(120) == 0


def test_rounds_through_two_servers_and_a_worker(app, database, tmp_path, make_user):
    m = h.market(app, make_user)
    second = make_user("coordinator", jurisdiction="CN")
    queue = f"pairing-test-{uuid.uuid4().hex[:8]}"
    env = {"MATCHING_INLINE_MAX": "0", "MATCHING_RQ_QUEUE": queue}
    try:
        with app_servers(database, tmp_path, count=2, workers=2, redis_url=REDIS_URL,
                         env=env) as (one, two):
            clients = [HttpClient(one.url), HttpClient(two.url)]
            clients[0].login(m.coordinator.email)
            clients[1].login(second.email)
            # Two rounds (nationwide, Hunan) started at once: one runs.
            ids = _rounds(app, m.coordinator, (None, "43"))
            told = _start(clients, ids)
            assert sorted(told) == [False, True]
            ran, refused = ids[told.index(False)], ids[told.index(True)]
            assert _status(app, ids) == {ran: ("running", 1), refused: ("draft", 0)}
            # Its worker stalls (no heartbeat); viewing the page fails it; it is started
            # again. Both jobs reach a worker: the first finds its attempt superseded.
            with app.app_context():
                db.session.get(Round, ran).heartbeat_at = utcnow() - timedelta(hours=1)
                db.session.commit()
            assert "失败" in clients[0].get(f"/rounds/{ran}").text
            answer = clients[0].post_form(f"/rounds/{ran}/start",
                                          token=clients[0].csrf(f"/rounds/{ran}"))
            assert answer.status_code == 302
            _work(database, tmp_path, env)
            assert _status(app, [ran]) == {ran: ("done", 2)}
            assert len(h.proposals(app)) == 1
            with app.app_context():
                assert db.session.scalar(select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "round.fail")) == 0
            # One round sent twice at once: started once.
            rid, = _rounds(app, m.coordinator, (None,))
            assert sorted(_start(clients, [rid, rid])) == [False, True]
            _work(database, tmp_path, env)
            assert _status(app, [rid]) == {rid: ("done", 1)}
            running(one, two)
    finally:
        flush_redis_prefix(queue)
