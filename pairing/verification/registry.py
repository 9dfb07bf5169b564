"""Sections of the verifier's queue. Each area that needs verification registers one
(enterprises and villages here; households and help requests later), so the queue page
needs no edit when an area is added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, literal_column, select

from ..accounts.models import User
from ..extensions import db


@dataclass(frozen=True)
class Section:
    key: str  # in URLs: /verification/<key>/<id>
    title: object  # lazy translatable
    template: str  # renders one waiting entry: gets `item`, `warnings`, `form`
    pending: Callable[[User, int], list]  # oldest first, inside the verifier's jurisdiction
    warnings: Callable[[list], dict[int, list[object]]]  # by id, one query per section
    load: Callable[[int], object | None]
    decide: Callable[[User, object, bool, str], None]  # raises Invalid / NotAllowed
    order: int = 50
    # How many wait, counted up to the cap without loading them; a section without one is
    # counted by loading its entries (its filter is Python's, not SQL's).
    count: Callable[[User, int], int] | None = None

    def waiting(self, user: User, cap: int) -> int:
        return self.count(user, cap) if self.count else len(self.pending(user, cap))


def count_upto(query: Select, cap: int) -> int:
    """Rows of a section's query, counting no further than the cap (a national queue
    holds tens of thousands: the home page says "more than" past it)."""
    # A constant, not the entries' columns: nothing is read only to be thrown away.
    rows = query.with_only_columns(literal_column("1"), maintain_column_froms=True)
    return db.session.scalar(select(func.count()).select_from(rows.limit(cap).subquery())) or 0


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
