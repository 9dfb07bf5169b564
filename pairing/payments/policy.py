"""Whose payments a staff member may read, confirm or cancel: those whose place (the
village a donation or an order goes to) lies inside their jurisdiction.

A purpose says where its payments belong with `@on_placed("order")`: a function from a
batch of payments to {payment id: county code}. A payment no purpose places (unknown
purpose, reference without a row) belongs to national coordinators only.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_login import current_user

from ..accounts.models import Role
from ..auth import may_act_on
from .models import Payment

Placer = Callable[[list[Payment]], dict[int, str]]
PLACERS: dict[str, Placer] = {}


def on_placed(purpose: str) -> Callable[[Placer], Placer]:
    def register(fn: Placer) -> Placer:
        PLACERS[purpose] = fn
        return fn
    return register


def places(payments: list[Payment]) -> dict[int, str | None]:
    """{payment id: county code or None}, a query per purpose."""
    found: dict[int, str | None] = {p.id: None for p in payments}
    for purpose in {p.purpose for p in payments}:
        placer = PLACERS.get(purpose)
        if placer is not None:
            found.update(placer([p for p in payments if p.purpose == purpose]))
    return found


def staff_may_handle(user: object, payment: Payment) -> bool:
    """A coordinator whose jurisdiction covers the payment's place."""
    return (getattr(user, "role", None) == Role.COORDINATOR
            and may_act_on(user, places([payment])[payment.id]))


def may_read(payment: Payment) -> bool:
    return payment.payer_id == current_user.id or staff_may_handle(current_user, payment)


def handled_by(user: object, payments: list[Payment]) -> list[Payment]:
    """The payments of this list inside the coordinator's jurisdiction."""
    where = places(payments)
    return [p for p in payments if may_act_on(user, where[p.id])]
