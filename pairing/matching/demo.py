"""Demo: one pairing round on the demo offers and needs, a few answered proposals,
pairings with progress reports, and pending proposals for the demo enterprise and
secretary logins.

If the marketplace demo has not created offers and needs yet (areas run in order), a
small set is made here so that the round has something to pair.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, scoped_session

from .. import areas
from ..enterprises.models import Offer
from ..needs.models import Need
from . import delivery, execute, services
from .models import Proposal

OFFER_KINDS = ["procurement", "jobs", "education", "investment", "training", "ecommerce",
               "infrastructure", "medical", "donation"]


TEXT = {"procurement": "长期收购茶叶、蔬菜、水果等农产品", "jobs": "提供生产线与物流岗位",
        "education": "资助乡村学校与助学金", "investment": "投资建设农产品加工厂",
        "training": "提供电工、焊工、电商等职业技能培训", "ecommerce": "开设电商专卖店，帮助农产品上行",
        "infrastructure": "修建村道、冷库与灌溉设施", "medical": "资助村卫生室与大病救助",
        "donation": "捐赠帮扶资金"}


def _seed_offers(session: Session, demo) -> None:  # noqa: ANN001
    rng = demo.rng
    for i, e in enumerate(demo.enterprises):
        if e.status != "verified":
            continue
        for j in range(2):
            kind = OFFER_KINDS[(i + j * 4) % len(OFFER_KINDS)]
            people = kind in ("jobs", "training")
            qty = rng.randint(10, 60) if people else rng.randint(20, 120) * 10_000 * 100
            session.add(Offer(enterprise=e, kind=kind, quantity=qty, paired_quantity=0,
                              max_villages=rng.randint(2, 4),
                              provinces="43" if i == 0 and j == 0 else "",
                              starts_on=date(2026, 1, 1), status="active",
                              description=TEXT[kind], created_by_id=e.officer_id))
    session.flush()


def _seed_needs(session: Session, demo) -> None:  # noqa: ANN001
    rng = demo.rng
    for i, v in enumerate(demo.villages):
        if v.status != "verified":
            continue
        for j in range(2 if i % 3 == 0 else 1):
            kind = OFFER_KINDS[(i * 2 + j) % len(OFFER_KINDS)] if i > 1 else "procurement"
            people = kind in ("jobs", "training")
            qty = rng.randint(5, 30) if people else rng.randint(10, 60) * 10_000 * 100
            session.add(Need(village=v, kind=kind, quantity=qty, met_quantity=0, priority=2,
                             status="open", description=TEXT[kind], created_by_id=v.secretary_id))
    session.flush()


def _later_area(name: str) -> bool:
    """Whether area `name` adds its demo after this one (areas run in a fixed order)."""
    order = areas.names()
    return name in order and order.index(name) > order.index("matching")


def extend(session: Session, demo) -> None:  # noqa: ANN001
    if _later_area("needs") and not session.scalar(select(func.count(Need.id))):
        # The needs demo comes later: run the round when the demo is committed.
        real = session() if isinstance(session, scoped_session) else session
        event.listen(real, "before_commit", lambda s: _run(s, demo), once=True)
        return
    _run(session, demo)


def _run(session: Session, demo) -> None:  # noqa: ANN001
    if not session.scalar(select(func.count(Offer.id))):
        _seed_offers(session, demo)
    if not session.scalar(select(func.count(Need.id))):
        _seed_needs(session, demo)
    users = demo.users
    rnd = services.create_round(users["coordinator"], None, {}, session)
    services.start_round(users["coordinator"], rnd, session)
    execute.execute_round(session, rnd, lambda _stage: None)
    made = list(session.scalars(select(Proposal).where(Proposal.round_id == rnd.id)
                                .order_by(Proposal.id)))
    mine = {"enterprise": users["enterprise"].id, "secretary": users["secretary"].id}

    def parties(p: Proposal) -> tuple[object, object]:
        return p.offer.enterprise.officer, p.need.village.secretary

    def accept(p: Proposal):  # noqa: ANN202
        officer, secretary = parties(p)
        services.answer(officer, p, True, session=session)
        return services.answer(secretary, p, True, session=session)

    def report(pairing, confirm: bool) -> None:  # noqa: ANN001
        share = max(1, pairing.quantity // 2)
        if pairing.offer.kind not in ("jobs", "training"):
            share -= share % 100
        officer, secretary = parties(pairing.proposal)
        # A pairing starts today; a delivery cannot come before it (nor after today).
        r = delivery.report_progress(officer, pairing, share, pairing.starts_on,
                                     "第一批已交付", [], session)
        if confirm:
            delivery.confirm_report(secretary, r, session)

    own_ent = [p for p in made if p.offer.enterprise.officer_id == mine["enterprise"]]
    own_sec = [p for p in made if p.need.village.secretary_id == mine["secretary"]]
    others = [p for p in made if p not in own_ent and p not in own_sec]
    if len(own_ent) > 1:
        report(accept(own_ent[0]), confirm=True)
    if len(own_sec) > 1 and own_sec[-1] not in own_ent[:1]:
        report(accept(own_sec[-1]), confirm=False)
    for i, p in enumerate(others[:4]):
        report(accept(p), confirm=i < 2)
    if len(others) > 5:  # a decline, so that the next round shows the exclusion
        officer, _secretary = parties(others[5])
        services.answer(officer, others[5], False, "distance", "", session)
