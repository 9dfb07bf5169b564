"""Monitoring's errors and who may do what.

A household's monitoring record is personal data: its own cadre, its village's secretary
and verifiers whose jurisdiction covers its county see it (each view is logged); nobody
else, and the public only ever sees counts.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..accounts.models import COUNTRY, Role, User
from ..extensions import db
from ..giving.models import Household
from .models import MonitoredHousehold


class MonitoringError(ValueError):
    pass


class Forbidden(MonitoringError):
    """The actor may not do this (views answer 404)."""


def _s(session: Session | None) -> Session:
    return session or db.session


def require(ok: bool) -> None:
    if not ok:
        raise Forbidden(_l("You may not do this."))


def _user(actor: User | None) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.active)


def is_secretary(actor: User | None, household: Household) -> bool:
    return bool(_user(actor) and actor.role == Role.SECRETARY
                and household.village.secretary_id == actor.id)


def is_cadre(actor: User | None, state: MonitoredHousehold | None) -> bool:
    return bool(_user(actor) and state is not None and state.cadre_id == actor.id)


def is_verifier_for(actor: User | None, county_code: str) -> bool:
    return bool(_user(actor) and actor.role == Role.VERIFIER and actor.covers(county_code))


def may_see(actor: User | None, household: Household, state: MonitoredHousehold | None) -> bool:
    return (is_secretary(actor, household) or is_cadre(actor, state)
            or is_verifier_for(actor, household.village.county_code))


def may_record(actor: User | None, household: Household,
               state: MonitoredHousehold | None) -> bool:
    """Visits are recorded by the household's cadre or its village's secretary."""
    return is_secretary(actor, household) or is_cadre(actor, state)


def may_confirm(actor: User | None, household: Household,
                state: MonitoredHousehold | None) -> bool:
    """An exit (or leaving the watch list) is confirmed by a verifier in jurisdiction who is
    neither the household's cadre nor its village's secretary: not by those who report."""
    if not is_verifier_for(actor, household.village.county_code):
        return False
    return not is_cadre(actor, state) and household.village.secretary_id != actor.id


def may_edit_lines(actor: User | None) -> bool:
    return bool(_user(actor) and actor.role == Role.COORDINATOR and actor.jurisdiction == COUNTRY)
