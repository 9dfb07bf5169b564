"""Rows and steps shared by the matching tests (ids in, ids out, no context held)."""

from __future__ import annotations

from dataclasses import dataclass

from enterprises import factories as f
from flask import Flask
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.db import today
from pairing.extensions import db
from pairing.matching import jobs, services
from pairing.matching.models import Pairing, ProgressReport, Proposal


@dataclass
class Market:
    officer: object
    secretary: object
    coordinator: object
    enterprise_id: int
    village_id: int
    offer_id: int
    need_id: int


def market(app: Flask, make_user, offer_qty: int = 50_000_000, need_qty: int = 20_000_000,
           kind: str = "procurement", max_villages: int = 3) -> Market:  # noqa: ANN001
    officer = make_user("enterprise")
    secretary = make_user("secretary")
    coordinator = make_user("coordinator", jurisdiction="CN")
    e = f.enterprise(app, officer.id)
    v = f.village(app, secretary.id)
    o = f.offer(app, e, kind=kind, quantity=offer_qty, max_villages=max_villages)
    n = f.need(app, v, kind=kind, quantity=need_qty)
    return Market(officer, secretary, coordinator, e, v, o, n)


def user(ref) -> User:  # noqa: ANN001
    return db.session.get(User, ref.id)


def run_round(app: Flask, coordinator, province: str | None = None) -> int:  # noqa: ANN001
    with app.app_context():
        rnd = services.create_round(user(coordinator), province, {})
        services.start_round(user(coordinator), rnd)
        rid = rnd.id
        db.session.commit()
        jobs.run(rid)
        return rid


def proposals(app: Flask, status: str | None = None) -> list[tuple[int, int, int, int, str]]:
    with app.app_context():
        q = select(Proposal).order_by(Proposal.id)
        if status:
            q = q.where(Proposal.status == status)
        return [(p.id, p.offer_id, p.need_id, p.quantity, p.status) for p in db.session.scalars(q)]


def answer(app: Flask, who, proposal_id: int, accept: bool = True,  # noqa: ANN001
           reason: str = "other", note: str = "") -> int | None:
    with app.app_context():
        p = db.session.get(Proposal, proposal_id)
        pairing = services.answer(user(who), p, accept, "" if accept else reason, note)
        pid = pairing.id if pairing else None
        db.session.commit()
        return pid


def pairings(app: Flask) -> list[tuple[int, int, int, int, str]]:
    with app.app_context():
        return [(p.id, p.offer_id, p.need_id, p.quantity, p.status)
                for p in db.session.scalars(select(Pairing).order_by(Pairing.id))]


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def paired(app: Flask, make_user, **kw) -> tuple[Market, int]:  # noqa: ANN001
    """A market whose one proposal both sides accepted: (market, pairing id)."""
    m = market(app, make_user, **kw)
    run_round(app, m.coordinator)
    (pid, *_rest), = proposals(app)
    answer(app, m.officer, pid)
    return m, answer(app, m.secretary, pid)


def client_for(app: Flask, ref, lang: str = "zh"):  # noqa: ANN001
    import support

    c = app.test_client()
    c.set_cookie("lang", lang)
    support.login(c, ref.email)
    return c


def report(client, pairing_id: int, quantity: str, when=None,  # noqa: ANN001
           headers: dict | None = None):
    """A progress report through the page (today's date unless `when`), in English."""
    data = {"quantity": quantity, "delivered_on": (when or today()).isoformat(),
            "note": "第一批茶叶已收购"}
    return support.post(client, f"/pairings/{pairing_id}/reports", data,
                        content_type="multipart/form-data", follow_redirects=True,
                        headers=headers or {"Accept-Language": "en"})


def reports(app: Flask) -> list[tuple[int, str]]:
    """(quantity, status) of every progress report, oldest first."""
    with app.app_context():
        return [(r.quantity, r.status)
                for r in db.session.scalars(select(ProgressReport).order_by(ProgressReport.id))]
