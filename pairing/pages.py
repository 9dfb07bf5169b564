"""Keyset pages: the one pager of the HTML lists and the API (pairing/api/paging.py).

OFFSET n makes the database walk and drop n rows, so page 500 of a national list cost
what 500 pages cost. A keyset page asks instead for the rows after the last one shown
(`WHERE (sort, id) < (last sort, last id) ORDER BY sort, id LIMIT n`), which an index on
the sort columns answers in the time of the first page, however deep.

The HTML lists carry that position in an opaque cursor (`?after=…`): the last row's sort
values, the direction and the page's number, signed with the app's secret and bound to
the list and its sort, so a cursor edited by hand, cut short or carried to another list
is refused with a clear message (BadInput, 400) instead of reaching the database. Counts
stop at `cap` ("More than 10,000 found."): an exact COUNT(*) over national rows cost more
than the page itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from .extensions import db
from .inputs import BadInput

COUNT_CAP = 10_000
MAX_CURSOR = 600  # characters: a cursor holds a few sort values, never more
BAD_CURSOR = _l("This page link is damaged or out of date. Start again from the first page.")


@dataclass(frozen=True)
class Key:
    """One sort column of a list: the expression and whether it runs downwards."""

    expr: ColumnElement[Any]
    desc: bool

    @classmethod
    def of(cls, clause: ColumnElement[Any]) -> Key:
        if isinstance(clause, UnaryExpression) and clause.modifier in (
                operators.desc_op, operators.asc_op):
            return cls(clause.element, clause.modifier is operators.desc_op)
        return cls(clause, False)

    def order(self, reverse: bool) -> ColumnElement[Any]:
        return self.expr.asc() if self.desc == reverse else self.expr.desc()


@dataclass(frozen=True)
class Position:
    values: tuple[Any, ...]
    backwards: bool = False  # the page before `values` (a "previous" link)
    number: int = 1  # of the page the cursor leads to, for "page 3 of 12"


@dataclass
class KeysetPage:
    items: list
    per_page: int
    total: int
    capped: bool
    number: int = 1
    next_cursor: str | None = None
    prev_cursor: str | None = None
    keys: list[tuple[Any, ...]] | None = None  # each item's sort values (the API's `after`)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None

    @property
    def page(self) -> int:  # the name db.paginate's pages use in templates
        return self.number


def _serializer(scope: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=f"pages:{scope}")


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):  # PostgreSQL's numeric (a ratio that sorts a list)
        return ["n", str(value)]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"a sort value of type {type(value).__name__} cannot go in a cursor")


def _decode(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2 and value[0] in ("t", "d", "n"):
        parse = {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}[value[0]]
        return parse(str(value[1]))
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise ValueError("not a sort value")


def dump_cursor(scope: str, position: Position) -> str:
    return str(_serializer(scope).dumps(
        [[_encode(v) for v in position.values], int(position.backwards), position.number]))


def load_cursor(scope: str, token: str | None, width: int) -> Position | None:
    """The position a cursor of this list (scope) names; None without one; BadInput for
    anything else: bad signature, another list's cursor, a wrong shape."""
    if not token:
        return None
    if len(token) > MAX_CURSOR:
        raise BadInput(BAD_CURSOR)
    try:
        values, backwards, number = _serializer(scope).loads(token)
        decoded = tuple(_decode(v) for v in values)
    except (BadData, ValueError, TypeError, InvalidOperation):
        raise BadInput(BAD_CURSOR) from None
    if len(decoded) != width or backwards not in (0, 1) or not isinstance(number, int) \
            or not 1 <= number <= 10_000_000:
        raise BadInput(BAD_CURSOR)
    return Position(decoded, bool(backwards), number)


def beyond(keys: Sequence[Key], values: Sequence[Any], reverse: bool = False
           ) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` (before them when `reverse`).
    One direction throughout: a row comparison, which a B-tree index serves as a range;
    mixed directions: the equivalent OR of prefixes."""
    # Each value bound with its column's type, so that a column's own conversion (a UTC
    # datetime type, SQLite's booleans) applies to the cursor's value as to the column.
    bound = [literal(v, k.expr.type) for k, v in zip(keys, values, strict=True)]

    def later(key: Key, value: Any) -> ColumnElement[bool]:
        return key.expr < value if key.desc != reverse else key.expr > value

    if len({k.desc for k in keys}) == 1:
        row, limit = tuple_(*(k.expr for k in keys)), tuple_(*bound)
        return row < limit if keys[0].desc != reverse else row > limit
    parts = [and_(*(k.expr == v for k, v in zip(keys[:i], bound[:i], strict=True)),
                  later(keys[i], bound[i])) for i in range(len(keys))]
    return or_(*parts)


def count_capped(session: Session, query: Select, cap: int) -> tuple[int, bool]:
    """Matching rows counted up to `cap` (the ids only, no sort): (count, more than cap)."""
    ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    return min(total, cap), total > cap


def fetch(session: Session, query: Select, order: Sequence[ColumnElement[Any]],
          per_page: int, position: Position | None, offset: int = 0
          ) -> tuple[list, list[tuple], bool]:
    """One page of `query` in `order` from `position`: the items, their sort values, and
    whether more rows lie beyond the page in the direction read. `offset`: rows skipped
    first (the API's shallow `page=N` only, bounded by its PAGE_LIMIT)."""
    keys = [Key.of(c) for c in order]
    backwards = bool(position and position.backwards)
    q = query.add_columns(*(k.expr for k in keys)).order_by(
        None).order_by(*(k.order(backwards) for k in keys))
    if position is not None:
        q = q.where(beyond(keys, position.values, reverse=backwards))
    q = q.limit(per_page + 1)
    rows = list(session.execute(q.offset(offset) if offset else q).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    return [r[0] for r in rows], [tuple(r[1:]) for r in rows], more


def order_of(query: Select) -> tuple[ColumnElement[Any], ...]:
    """The ORDER BY a service gave its query (SQLAlchemy keeps it on the statement without
    a public accessor): the lists' services stay the one place that decides their order."""
    return tuple(query._order_by_clauses)  # noqa: SLF001


def keyset_page(session: Session, query: Select,
                order: Sequence[ColumnElement[Any]] | None = None, *, scope: str,
                cursor: str | None, per_page: int, cap: int | None = None) -> KeysetPage:
    """A page of an HTML list in `order` (by default the query's own ORDER BY), which ends
    with a unique column (the id) so that every row has one place; `scope` names the list
    and its sort (a cursor is valid there only)."""
    order = order_of(query) if order is None else order
    position = load_cursor(scope, cursor, len(order))
    total, capped = count_capped(session, query, COUNT_CAP if cap is None else cap)
    items, keys, more = fetch(session, query, order, per_page, position)
    number = position.number if position else 1
    page = KeysetPage(items, per_page, total, capped, number=number, keys=keys)
    backwards = bool(position and position.backwards)
    # Reading forwards, rows before exist once we have a position; backwards, rows after.
    has_next = more if not backwards else bool(keys)
    has_prev = more if backwards else position is not None
    if keys and has_next:
        page.next_cursor = dump_cursor(scope, Position(keys[-1], False, number + 1))
    if keys and has_prev:  # rows added meanwhile may make "page 1" have one before it
        page.prev_cursor = dump_cursor(scope, Position(keys[0], True, max(1, number - 1)))
    return page


def request_page(query: Select, *, scope: str, per_page: int) -> KeysetPage:
    """The page of an HTML list that this request's `?after=` cursor names."""
    return keyset_page(db.session, query, scope=scope, cursor=request.args.get("after"),
                       per_page=per_page)
