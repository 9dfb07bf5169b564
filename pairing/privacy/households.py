"""A household's own data, exercised through its village's secretary (households have no
accounts): an export, and erasure on the household's request. Both are logged in the
audit log with the secretary as actor.

Erasure deletes a household that never had a help request (with its monitoring rows);
one with a request is anonymised instead (its requests carry money the ledger keeps):
name, ID number, address, register number, cadre and causes are replaced, its requests'
title, story and diagnosis erased, publication consent withdrawn, and its monitoring rows
(visits, events, ratings, complaints) removed. Refused while one of its requests still has
money to pay out."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from ..accounts.models import User
from ..audit import services as audit
from ..extensions import db
from ..giving.models import HelpRequest, Household
from .services import ERASED, UNDISBURSED, DeletionRefused, _row


def _s(session: Session | None) -> Session:
    return session or db.session


def _linked_tables() -> list[tuple[Any, Any]]:
    """(table, column) of the monitoring rows that are only the household's."""
    out = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if (fk.column.table.name == "households"
                        and (fk.ondelete or "").upper() == "CASCADE"):
                    out.append((table, column))
    return out


def export(actor: User, household: Household,
           session: Session | None = None) -> dict[str, list[dict[str, Any]]]:
    """Everything held about the household (the ID number masked, as on its page)."""
    s = _s(session)
    data: dict[str, list[dict[str, Any]]] = {"household": [_row(household)]}
    data["help_requests"] = [_row(r) for r in s.scalars(
        select(HelpRequest).where(HelpRequest.household_id == household.id))]
    for table, column in _linked_tables():
        rows = s.execute(select(table).where(column == household.id)).mappings().all()
        data[table.name] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                             for k, v in row.items()} for row in rows]
    audit.record(actor, "household.export", household, session=s)
    return data


def erase(actor: User, household: Household, password: str,
          session: Session | None = None) -> str:
    """"deleted" or "anonymised"; DeletionRefused says why not. The caller commits."""
    s = _s(session)
    if not check_password_hash(actor.password_hash, password or ""):
        raise DeletionRefused([str(_l("The password is not right."))])
    requests = list(s.scalars(select(HelpRequest).where(
        HelpRequest.household_id == household.id)))
    if any(r.status in UNDISBURSED for r in requests):
        raise DeletionRefused([str(_l("A help request of this household has money still to "
                                      "be paid out: finish its payout first."))])
    for table, column in _linked_tables():
        s.execute(delete(table).where(column == household.id))
    hid = household.id
    if not requests:
        audit.record(actor, "household.erase", household, after={"outcome": "deleted"},
                     session=s)
        s.delete(household)
        s.flush()
        return "deleted"
    for req in requests:
        req.title, req.story, req.diagnosis, req.show_diagnosis = ERASED, "", "", False
    household.head_name = ERASED
    household.id_number_enc = b""
    household.id_number_hash = f"erased:{hid}"
    household.id_number_masked = ""
    household.address = household.cadre_name = household.causes = ""
    household.registration_no = f"erased-{hid}"
    household.income_per_capita = 0
    household.family_tie = household.consent_publish = household.consent_sensitive = False
    s.flush()
    audit.record(actor, "household.erase", household, after={"outcome": "anonymised"},
                 session=s)
    return "anonymised"
