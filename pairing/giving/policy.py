"""Giving's errors, settings and who may do what."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..auth import may_act_on
from ..extensions import db
from .models import (
    Complaint,
    HelpRequest,
    Household,
    RequestStatus,
)

S = RequestStatus
PUBLIC_STATES = (S.NOTICE, S.OPEN, S.FUNDED, S.DISBURSED, S.CLOSED)
REQUEST_FIELDS = ["status", "raised_fen", "pledged_fen", "disbursed_fen", "reject_reason"]


class GivingError(ValueError):
    """A refusal for people; `field` names the form field it is about (shown beside it)."""

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


class Forbidden(GivingError):
    """The actor may not do this (views answer 403/404)."""


def _s(session: Session | None) -> Session:
    return session or db.session


def setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def min_gift() -> int:
    return setting("GIVING_MIN_GIFT_FEN", 100)


def max_gift() -> int:
    return setting("GIVING_MAX_GIFT_FEN", 5_000_000)


def goal_bounds() -> tuple[int, int]:
    return setting("GIVING_MIN_GOAL_FEN", 10_000), setting("GIVING_MAX_GOAL_FEN", 50_000_000)


def notice_period() -> timedelta:
    return timedelta(days=setting("GIVING_NOTICE_DAYS", 3))


# --- who may do what -------------------------------------------------------------------

def manages(actor: User | None, household: Household) -> bool:
    """The village's secretary manages its households."""
    return bool(actor and actor.is_authenticated and actor.role == Role.SECRETARY
                and household.village.secretary_id == actor.id)


def manages_request(actor: User | None, req: HelpRequest) -> bool:
    """The secretary of the request's village (households' requests and village projects)."""
    return bool(actor and actor.is_authenticated and actor.role == Role.SECRETARY
                and req.village.secretary_id == actor.id)


def may_see_personal(actor: User | None, household: Household) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if manages(actor, household):
        return True
    return may_act_on(actor, household.village.county_code)


def may_verify(actor: User | None, req: HelpRequest) -> bool:
    """Inside the verifier's jurisdiction, never their own, and above the county when the
    secretary declared a family tie to the household."""
    if actor is None or not actor.is_authenticated or actor.role != Role.VERIFIER:
        return False
    household = req.household
    if not may_act_on(actor, req.village.county_code):
        return False
    if actor.id in (req.created_by_id, req.village.secretary_id,
                    household.registered_by_id if household else None):
        return False
    tie = household is not None and household.family_tie
    return not tie or actor.jurisdiction_level in ("province", "country")


def may_decide_complaint(actor: User | None, complaint: Complaint) -> bool:
    if complaint.request is not None:
        return may_verify(actor, complaint.request)
    if actor is None or not actor.is_authenticated or actor.role != Role.VERIFIER:
        return False
    own = (complaint.village.secretary_id if complaint.village is not None
           else complaint.enterprise.officer_id if complaint.enterprise is not None else None)
    return actor.id != own and may_act_on(actor, complaint.county_code)


def _require(ok: bool) -> None:
    if not ok:
        raise Forbidden(_l("You may not do this."))
