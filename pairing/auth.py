"""Access decorators shared by every area's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .accounts.models import COUNTRY, STAFF_ROLES, Role

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: str) -> Callable[[F], F]:
    """Logged in with one of these roles, else 403 (or the log-in page when anonymous)."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def may_act_on(user: Any, place: str | None) -> bool:
    """May this staff member (verifier or coordinator) act on something whose place is
    `place`: a county code, a province code or a staff jurisdiction ("CN" included)?

    The one rule of jurisdictions, used by every area: a national member ("CN") acts
    everywhere; anyone else only on places inside their own jurisdiction. Something without
    a place (a donor's account, a payment whose purpose is unknown, a national setting)
    belongs to national staff only.
    """
    if not getattr(user, "is_authenticated", False) or user.role not in STAFF_ROLES:
        return False
    own = user.jurisdiction
    if own == COUNTRY:
        return True
    if not own or not place or place == COUNTRY:
        return False
    return place.startswith(own)


def is_national(user: Any) -> bool:
    """A coordinator of the whole country: the only one who changes national settings."""
    return (getattr(user, "is_authenticated", False) and user.role == Role.COORDINATOR
            and user.jurisdiction == COUNTRY)


def national_required(view: F) -> F:
    """Settings that hold for the whole country: a national coordinator only, else 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_national(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def place_filter(user: Any, column: Any, province: Any = None) -> list[Any]:
    """SQL conditions keeping rows whose place (`column`, a county code) lies inside the
    user's jurisdiction: the query form of may_act_on. `province`: the row's province code
    column, if it has one, so that an index on (province, ...) serves a province's staff
    (a county's staff get an equality, which an index on the county column serves)."""
    own = user.jurisdiction
    if own == COUNTRY:
        return []
    if not own:
        return [column.startswith("-")]
    if len(own) == 6:
        return [column == own]
    if province is None:
        return [column.startswith(own)]
    # Not both for a province: the planner would multiply their selectivities and expect
    # one row where there are thousands (a sort of all instead of the index's order).
    return [province == own] if len(own) == 2 else [province == own[:2],
                                                     column.startswith(own)]
