"""Poor households: registration with an encrypted ID number, consent, logged views of
personal data, duplicates across villages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..audit.models import AuditEvent
from ..db import utcnow
from ..places.models import Village
from . import idnumber
from .models import (
    CAUSES,
    Household,
)
from .policy import GivingError, _require, _s, manages, may_see_personal


@dataclass
class HouseholdData:
    registration_no: str
    head_name: str
    id_number: str
    address: str = ""
    members: int = 1
    income_per_capita: int = 0
    causes: tuple[str, ...] = ()
    cadre_name: str = ""
    family_tie: bool = False
    cadre_phone: str = ""
    consent_publish: bool = False
    consent_sensitive: bool = False


def register_household(actor: User, village: Village, data: HouseholdData,
                       session: Session | None = None) -> Household:
    session = _s(session)
    _require(actor.role == Role.SECRETARY and village.secretary_id == actor.id
             and village.status == "verified")
    if not idnumber.is_valid(data.id_number):
        raise GivingError(_l("This is not a valid resident ID number (check the last "
                             "character)."))
    if not data.head_name.strip() or not data.registration_no.strip():
        raise GivingError(_l("The registration number and the head of household's name are "
                             "required."))
    _check_means(data.members, data.income_per_capita, data.causes)
    digest = idnumber.keyed_hash(data.id_number)
    if session.scalar(select(Household.id).where(Household.village_id == village.id,
                                                 Household.id_number_hash == digest)):
        raise GivingError(_l("This ID number is already registered in your village."))
    if session.scalar(select(Household.id).where(
            Household.village_id == village.id,
            Household.registration_no == data.registration_no.strip())):
        raise GivingError(_l("This registration number is already used in your village."))
    household = Household(
        village=village, registration_no=data.registration_no.strip(),
        head_name=data.head_name.strip(), id_number_enc=idnumber.encrypt(data.id_number),
        id_number_hash=digest, id_number_masked=idnumber.mask(data.id_number),
        address=data.address.strip(), members=data.members,
        income_per_capita=data.income_per_capita, causes=",".join(data.causes),
        cadre_name=data.cadre_name.strip(), cadre_phone=data.cadre_phone.strip(),
        family_tie=data.family_tie,
        consent_publish=data.consent_publish, consent_sensitive=data.consent_sensitive,
        consent_at=utcnow() if data.consent_publish or data.consent_sensitive else None,
        registered_by_id=actor.id)
    session.add(household)
    session.flush()
    audit.record(actor, "household.registered", household, after=audit.snapshot(household),
                 session=session)
    return household


def _check_means(members: int, income_per_capita: int, causes: tuple[str, ...]) -> None:
    if any(c not in CAUSES for c in causes):
        raise GivingError(_l("Unknown cause of poverty."))
    if not 1 <= members <= 30 or income_per_capita < 0:
        raise GivingError(_l("Members must be 1 to 30 and the income not negative."))


# What a secretary brings up to date on a registered household (the yearly income, a child
# born, a new cadre); who it is (name, ID number, register number) stays as registered.
UPDATABLE = ("address", "members", "income_per_capita", "causes", "cadre_name", "cadre_phone",
             "family_tie")


@dataclass
class HouseholdChange:
    address: str
    members: int
    income_per_capita: int
    causes: tuple[str, ...]
    cadre_name: str
    family_tie: bool
    cadre_phone: str = ""


def update_household(actor: User, household: Household, change: HouseholdChange,
                     session: Session | None = None) -> list[str]:
    """Bring a household's record up to date; returns the fields that changed. Every
    change stays in the audit log, and verifiers see it beside the household's requests:
    poverty feigned after a rejection shows. A declared family tie stays declared."""
    session = _s(session)
    _require(manages(actor, household))
    household = session.scalars(select(Household).where(Household.id == household.id)
                                .with_for_update()).one()
    session.refresh(household)
    _check_means(change.members, change.income_per_capita, change.causes)
    if household.family_tie and not change.family_tie:
        raise GivingError(_l("A declared family tie stays on the record: a provincial or "
                             "national verifier decides on this household's requests."))
    before = audit.snapshot(household, UPDATABLE)
    household.address, household.members = change.address.strip(), change.members
    household.income_per_capita, household.causes = change.income_per_capita, ",".join(change.causes)
    household.cadre_name, household.family_tie = change.cadre_name.strip(), change.family_tie
    household.cadre_phone = change.cadre_phone.strip()
    after = audit.snapshot(household, UPDATABLE)
    if after == before:  # saved as it was: nothing to log or to show verifiers
        return []
    session.flush()
    return list(audit.record(actor, "household.updated", household, before=before, after=after,
                             session=session).changed)


def record_changes(households: Iterable[Household], session: Session | None = None,
                   ) -> dict[int, list[tuple[datetime, list[str]]]]:
    """{household id: [(when, fields in the form's order)]} of every change to these
    households' records since they were registered, in one query (a verifier's queue
    asks for all its requests' households at once)."""
    def order(name: str) -> int:
        return UPDATABLE.index(name) if name in UPDATABLE else len(UPDATABLE)

    ids = {str(h.id): h.id for h in households}
    found: dict[int, list[tuple[datetime, list[str]]]] = {i: [] for i in ids.values()}
    if not ids:
        return found
    for e in _s(session).scalars(
            select(AuditEvent).where(AuditEvent.action == "household.updated",
                                     AuditEvent.object_type == "households",
                                     AuditEvent.object_id.in_(ids))
            .order_by(AuditEvent.at, AuditEvent.id)):
        if e.changed:
            found[ids[e.object_id]].append((e.at, sorted(e.changed, key=order)))
    return found


def set_consent(actor: User, household: Household, publish: bool, sensitive: bool,
                session: Session | None = None) -> None:
    """Withdrawn consent takes the household's requests off the public pages at once
    (public queries require it); the ledger stays as it is."""
    _require(manages(actor, household))
    before = audit.snapshot(household, ["consent_publish", "consent_sensitive"])
    household.consent_publish, household.consent_sensitive = publish, sensitive
    household.consent_at = utcnow()
    audit.record(actor, "household.consent", household, before=before,
                 after=audit.snapshot(household, ["consent_publish", "consent_sensitive"]),
                 session=_s(session))


def view_personal(actor: User, household: Household,
                  session: Session | None = None) -> dict[str, object]:
    """The household's personal data for someone allowed to see it; every view logged."""
    _require(may_see_personal(actor, household))
    audit.record(actor, "household.viewed", household, session=_s(session))
    return {"head_name": household.head_name, "id_masked": household.id_number_masked,
            "address": household.address}


def duplicates(household: Household, session: Session | None = None) -> list[Household]:
    """Households of other villages registered with the same ID number."""
    return list(_s(session).scalars(select(Household).where(
        Household.id_number_hash == household.id_number_hash,
        Household.village_id != household.village_id)))


def households_of(actor: User, session: Session | None = None) -> list[Household]:
    return list(_s(session).scalars(
        select(Household).join(Village).where(Village.secretary_id == actor.id)
        .order_by(Household.id)))
