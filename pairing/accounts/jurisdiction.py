"""Which accounts a coordinator manages: those whose place lies inside their jurisdiction.

An account's place is the staff member's jurisdiction, a secretary's villages' counties or
an enterprise officer's enterprises' counties. A donor, or anyone without a place yet,
belongs to national coordinators only. The rule itself is pairing.auth.may_act_on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, or_, select

from ..auth import may_act_on
from ..extensions import db
from .models import COUNTRY, STAFF_ROLES, Role, User


def places_of(user: User) -> list[str]:
    """The county codes (or the jurisdiction, for staff) the account acts in."""
    # accounts sit below places and enterprises (pairing/areas.py ORDER): imported here
    from ..enterprises.models import Enterprise
    from ..places.models import Village

    if user.role in STAFF_ROLES:
        return [user.jurisdiction] if user.jurisdiction else []
    if user.role == Role.SECRETARY:
        column, owner = Village.county_code, Village.secretary_id
    elif user.role == Role.ENTERPRISE:
        column, owner = Enterprise.county_code, Enterprise.officer_id
    else:
        return []
    return list(db.session.scalars(select(column).where(owner == user.id).distinct()))


def may_manage(actor: Any, user: User) -> bool:
    """Every place of the account lies inside the coordinator's jurisdiction."""
    if actor.jurisdiction == COUNTRY:
        return may_act_on(actor, COUNTRY)
    found = places_of(user)
    return bool(found) and all(may_act_on(actor, p) for p in found)


def visible(actor: Any, query: Select) -> Select:
    """The users list of a coordinator: accounts with a place inside the jurisdiction."""
    from ..enterprises.models import Enterprise  # above accounts, as in places_of
    from ..places.models import Village

    own = actor.jurisdiction
    if own == COUNTRY:
        return query
    inside = own or "-"
    return query.where(or_(
        User.jurisdiction.startswith(inside),
        exists().where(Village.secretary_id == User.id, Village.county_code.startswith(inside)),
        exists().where(Enterprise.officer_id == User.id,
                       Enterprise.county_code.startswith(inside))))
