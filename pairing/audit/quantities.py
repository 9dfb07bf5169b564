"""Quantities in the audit log as staff read them.

Offers, needs, proposals, pairings and progress reports keep a quantity that is fen for
money kinds and people for the others; the log keeps the number as stored, so "交付数量
483000" stood beside "¥4,830.00". The kind comes from the snapshot when it names one,
otherwise from the object's offer (one query per table and page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..extensions import db

QUANTITY_FIELDS = frozenset({"quantity", "met_quantity", "paired_quantity",
                             "delivered_quantity"})


def kinds_of(events: Iterable[Any]) -> dict[tuple[str, str], str]:
    """{(object_type, object_id): kind} for the page's events about rows with quantities."""
    from ..enterprises.models import Offer
    from ..matching.models import Pairing, ProgressReport, Proposal
    from ..needs.models import Need

    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.object_type in ("offers", "needs", "proposals", "pairings", "progress_reports") \
                and str(e.object_id or "").isdigit():
            wanted.setdefault(e.object_type, set()).add(int(e.object_id))
    queries = {
        "offers": lambda ids: select(Offer.id, Offer.kind).where(Offer.id.in_(ids)),
        "needs": lambda ids: select(Need.id, Need.kind).where(Need.id.in_(ids)),
        "proposals": lambda ids: select(Proposal.id, Offer.kind).join(
            Offer, Offer.id == Proposal.offer_id).where(Proposal.id.in_(ids)),
        "pairings": lambda ids: select(Pairing.id, Offer.kind).join(
            Offer, Offer.id == Pairing.offer_id).where(Pairing.id.in_(ids)),
        "progress_reports": lambda ids: select(ProgressReport.id, Offer.kind).join(
            Pairing, Pairing.id == ProgressReport.pairing_id).join(
            Offer, Offer.id == Pairing.offer_id).where(ProgressReport.id.in_(ids)),
    }
    found: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        for ident, kind in db.session.execute(queries[table](sorted(ids))):
            found[table, str(ident)] = kind
    return found


def shown(name: str, value: Any, kind: str | None) -> str | None:
    """A quantity field written with its unit (¥4,830 / 30 people); None: not one."""
    from ..enterprises.kinds import KINDS, format_amount  # an area above audit

    if name not in QUANTITY_FIELDS or kind not in KINDS or not isinstance(value, int) \
            or isinstance(value, bool):
        return None
    return format_amount(kind, value)
