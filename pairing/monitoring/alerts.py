"""Monitoring's notices in the shared notices service (pairing/notices renders them in each
reader's language; its registry gains these kinds when this module loads)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..giving.models import Household
from ..matching import notify as inbox
from ..matching.delivery import verifiers_of
from ..notices import kinds

MESSAGES = {
    "monitoring.watch": _l("A household of %(village)s entered the return-to-poverty watch "
                           "list (household %(id)s)."),
    "monitoring.complaint": _l("A household of %(village)s complained about its cadre "
                               "(household %(id)s)."),
}
kinds.register("monitoring.watch", _l("A household entered the return-to-poverty watch list"),
               MESSAGES["monitoring.watch"], kinds.MONITORING, ("secretary", "verifier"))
kinds.register("monitoring.complaint", _l("A household complained about its cadre"),
               MESSAGES["monitoring.complaint"], kinds.MONITORING, ("verifier",))


def tell_watch(session: Session, household: Household, link: str) -> None:
    """The village's secretary and the county's verifiers learn of a new watched household."""
    village = household.village
    inbox.notify(session, village.secretary_id, "monitoring.watch", link,
                 village=village.name, id=household.id)
    for verifier in county_verifiers(session, village.county_code):
        inbox.notify(session, verifier.id, "monitoring.watch", link,
                     village=village.name, id=household.id)


def tell_complaint(session: Session, household: Household, link: str) -> None:
    """Straight to the county's verifiers: the village does not see it first."""
    village = household.village
    for verifier in county_verifiers(session, village.county_code):
        inbox.notify(session, verifier.id, "monitoring.complaint", link,
                     village=village.name, id=household.id)


def county_verifiers(session: Session, county_code: str) -> list[User]:
    """The county office's verifiers; where the county has none, those above it."""
    staff = verifiers_of(session, county_code)
    return [u for u in staff if u.jurisdiction_level == "county"] or staff
