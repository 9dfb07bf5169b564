"""Demo: verifications spread over the last two years, so the dashboard's series over
time look like a programme that grew, not like one afternoon's data entry. Gifts, payouts,
pairings with their reports and shop orders are then moved back too, each story (a help
request, a pairing, an order) as a whole with its ledger transactions, never before its
village (or enterprise) was verified. Amounts are never touched."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import DateTime, select
from sqlalchemy.orm import Session

from ..enterprises.models import Offer
from ..giving.models import Disbursement, Donation, HelpRequest
from ..ledger.models import LedgerTransaction
from ..matching.models import Pairing, Proposal
from ..needs.models import Need
from ..shop.models import Order

MAX_DAYS = 600
# Times that lie ahead (a request's deadline, the end of its public notice, a proposal's
# expiry) keep their value: moving them would close what the demo shows as open.
AHEAD = frozenset({"deadline", "notice_until", "expires_at"})


def extend(session: Session, demo) -> None:  # noqa: ANN001
    rng = demo.rng
    rows = [*demo.villages, *demo.enterprises]
    for row in rows:
        if row.verified_at is not None:
            # Earlier registrations were verified earlier: more of them in the first year.
            row.verified_at = row.verified_at - timedelta(days=int(720 * rng.random() ** 0.7))
            row.created_at = row.verified_at - timedelta(days=rng.randint(3, 30))
    session.flush()
    _spread_requests(session, rng)
    moved_orders = _spread_pairings(session, rng)
    _spread_orders(session, rng, moved_orders)
    session.flush()


def _past(row) -> list[str]:  # noqa: ANN001
    return [c.key for c in row.__table__.columns if isinstance(c.type, DateTime)
            and c.key not in AHEAD and getattr(row, c.key, None) is not None]


def _times(row) -> list[datetime]:  # noqa: ANN001
    return [getattr(row, key) for key in _past(row)]


def _shift(rows: Iterable, delta: timedelta) -> None:
    for row in rows:
        for key in _past(row):
            setattr(row, key, getattr(row, key) - delta)


def _delta(rng: random.Random, rows: list, floor: datetime | None) -> timedelta:
    """A random step back that keeps every row after `floor` (a verification)."""
    earliest = min((t for r in rows for t in _times(r)), default=None)
    room = MAX_DAYS if floor is None or earliest is None else (earliest - floor).days - 1
    return timedelta(days=rng.randint(0, max(0, min(room, MAX_DAYS))))


def _transactions(session: Session, subject: str, ids: list[int]) -> list:
    if not ids:
        return []
    return list(session.scalars(select(LedgerTransaction).where(
        LedgerTransaction.subject_type == subject, LedgerTransaction.subject_id.in_(ids))))


def _spread_requests(session: Session, rng: random.Random) -> None:
    for req in session.scalars(select(HelpRequest)):
        gifts = list(session.scalars(select(Donation).where(Donation.request_id == req.id)))
        payouts = list(session.scalars(select(Disbursement)
                                       .where(Disbursement.request_id == req.id)))
        story = [req, *gifts, *payouts,
                 *_transactions(session, "donation", [g.id for g in gifts]),
                 *_transactions(session, "disbursement", [p.id for p in payouts])]
        _shift(story, _delta(rng, story, req.village.verified_at))


def _spread_pairings(session: Session, rng: random.Random) -> set[int]:
    moved: set[int] = set()
    for pairing in session.scalars(select(Pairing)):
        orders = list(session.scalars(select(Order).where(Order.pairing_id == pairing.id)))
        story = [pairing, session.get(Proposal, pairing.proposal_id), *pairing.reports, *orders,
                 *_transactions(session, "shop_order", [o.id for o in orders])]
        floors = [t for t in (pairing.need.village.verified_at,
                              pairing.offer.enterprise.verified_at) if t is not None]
        delta = _delta(rng, story, max(floors, default=None))
        _shift(story, delta)
        pairing.starts_on -= timedelta(days=delta.days)  # ends_on stays: the commitment's end
        for report in pairing.reports:
            report.delivered_on -= timedelta(days=delta.days)
        moved.update(o.id for o in orders)
    # A need or offer is published before its first pairing.
    first: dict[tuple[type, int], datetime] = defaultdict(lambda: datetime.max)
    for pairing in session.scalars(select(Pairing)):
        for key in ((Need, pairing.need_id), (Offer, pairing.offer_id)):
            first[key] = min(first[key], pairing.created_at)
    for (model, row_id), when in first.items():
        row = session.get(model, row_id)
        late = max(_times(row), default=when)
        if late >= when:
            _shift([row], late - when + timedelta(days=rng.randint(1, 20)))
    return moved


def _spread_orders(session: Session, rng: random.Random, moved: set[int]) -> None:
    for order in session.scalars(select(Order)):
        if order.id in moved:
            continue
        story = [order, *_transactions(session, "shop_order", [order.id])]
        _shift(story, _delta(rng, story, order.village.verified_at))
