"""A verifier undoes enterprise approvals while a pairing round solves, through a
multi-worker gunicorn: the round read those enterprises as verified, the undos make them
pending before it writes. The round must not propose an enterprise that is no longer
verified; an undo that comes after the round's proposals is refused ("already
proposed"). On PostgreSQL the test holds the round's row while the undos run, so they
land between the round's reading and its writing every time; on SQLite they are sent as
soon as the round is solving."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from enterprises import factories as f
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.matching import services
from pairing.matching.models import Proposal, Round
from pairing.verification import decisions
from pairing.verification.registry import SECTIONS
from servers import (
    HttpClient,
    app_servers,
    database_url,
    release_together,
    running,
    server_errors,
)

pytestmark = pytest.mark.slow
SIZE = 30  # enterprises (one offer each) and villages (one need each)


def _world(app, make_user) -> tuple[int, list[int], object, object]:  # noqa: ANN001
    verifier = make_user("verifier", jurisdiction="43")
    coordinator = make_user("coordinator", jurisdiction="CN")
    enterprises = []
    for n in range(SIZE):
        e = f.enterprise(app, make_user("enterprise").id, status="pending", county=f.HUAYUAN,
                         name=f"湘西茶业{n}有限公司")
        f.offer(app, e, quantity=5_000_000 + n * 10_000, max_villages=3)
        v = f.village(app, make_user("secretary").id, name=f"茶村{n}")
        f.need(app, v, quantity=3_000_000 + n * 10_000)
        enterprises.append(e)
    with app.app_context():
        actor = db.session.get(User, verifier.id)
        decided = []
        for e in enterprises:
            obj = db.session.get(Enterprise, e)
            d = decisions.apply(actor, SECTIONS["enterprises"], obj, True, "",
                                "the test approves it anyway", db.session)
            decided.append(d.id)
        rnd = services.create_round(db.session.get(User, coordinator.id), None, {})
        db.session.commit()
        return rnd.id, decided, verifier, coordinator


def _stage(app, round_id: int) -> tuple[str, str]:  # noqa: ANN001
    with app.app_context():
        r = db.session.get(Round, round_id)
        return r.status, r.stage


def test_undos_while_a_round_solves_leave_no_proposal_of_a_pending_enterprise(
        app, database, tmp_path, make_user):
    round_id, decided, verifier, coordinator = _world(app, make_user)
    postgres = "postgresql" in database_url(database)
    with app_servers(database, tmp_path, workers=3, threads=4,
                     worker_class="gthread") as (site,):
        desk = HttpClient(site.url)
        desk.login(coordinator.email)
        token = desk.csrf(f"/rounds/{round_id}")
        undo_desks = [HttpClient(site.url) for _ in range(4)]
        for d in undo_desks:
            d.login(verifier.email)
        tokens = [d.csrf("/verification") for d in undo_desks]
        started: list = []
        runner = threading.Thread(target=lambda: started.append(
            desk.post_form(f"/rounds/{round_id}/start", token=token)))
        runner.start()
        while _stage(app, round_id)[1] not in ("solving", "baseline", "writing", "done"):
            time.sleep(0.005)
        held, caught = None, _stage(app, round_id)[0] == "running"
        if postgres:  # the round waits for its row before writing: the undos go first
            engine = sa.create_engine(database_url(database))
            held = engine.connect()
            # Still running once the row is ours: the round has not locked it to write.
            caught = held.execute(sa.text("SELECT status FROM rounds WHERE id = :id "
                                          "FOR UPDATE"), {"id": round_id}).scalar() == "running"
        answers = release_together(len(decided), lambda i: undo_desks[i % 4].post_form(
            f"/verification/decisions/{decided[i]}/undo", token=tokens[i % 4]))
        if held is not None:
            held.rollback()
            held.close()
            engine.dispose()
        runner.join(120)
        assert server_errors(answers + started) == []
        assert started[0].status_code == 302
        running(site)
    assert _stage(app, round_id) == ("done", "done")
    with app.app_context():
        pending = set(db.session.scalars(select(Enterprise.id).where(
            Enterprise.status == "pending")))
        proposed = set(db.session.scalars(select(Offer.enterprise_id).join(
            Proposal, Proposal.offer_id == Offer.id)))
    assert not pending & proposed  # no proposal of an enterprise no longer verified
    if postgres:
        assert (caught, len(pending)) == (True, SIZE)  # the race was run: every undo first

