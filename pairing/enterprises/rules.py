"""Checks of the marketplace (enterprises, offers, needs) shared by its services, forms and
spreadsheet imports.

The errors and the checks every register shares (`Invalid`, `NotAllowed`, `raise_if`,
`check_text`, villages' `check_village`) live below, in pairing/places/rules.py; the errors
are imported here too, where the areas above take them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..places.models import Province
from ..places.rules import Invalid as Invalid
from ..places.rules import NotAllowed as NotAllowed
from ..places.rules import check_count, check_text, county_exists
from ..places.rules import raise_if as raise_if
from . import credit_code
from .kinds import KINDS, MAX_FEN, MAX_PEOPLE, is_money, mechanism
from .models import SECTORS


def check_enterprise(session: Session, data: dict) -> dict[str, object]:
    errors: dict[str, object] = {}
    check_text(errors, data, "name", 120, required=True)
    code = str(data.get("credit_code") or "").strip().upper()
    data["credit_code"] = code
    if not credit_code.is_valid(code):
        errors["credit_code"] = _l("This is not a valid unified social credit code "
                                   "(18 characters with a correct check character).")
    if not county_exists(session, data.get("county_code")):
        errors["county_code"] = _l("Unknown county.")
    if data.get("sector") not in SECTORS:
        errors["sector"] = _l("Choose a sector of GB/T 4754.")
    check_count(errors, data, "employees", 5_000_000)
    check_text(errors, data, "contact_name", 60)
    check_text(errors, data, "contact_phone", 30)
    check_text(errors, data, "description", 2000)
    return errors


def check_quantity(errors: dict[str, object], kind: str, quantity: object,
                   field: str = "quantity") -> None:
    if kind not in KINDS:
        return
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        errors[field] = _l("The quantity must be more than zero.")
    elif quantity > (MAX_FEN if is_money(kind) else MAX_PEOPLE):
        errors[field] = _l("The quantity is implausibly large.")


def check_offer(session: Session, data: dict) -> dict[str, object]:
    errors: dict[str, object] = {}
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = _l("Unknown kind of help.")
    check_quantity(errors, str(kind), data.get("quantity"))
    villages = data.get("max_villages")
    if not isinstance(villages, int) or not 1 <= villages <= 1000:
        errors["max_villages"] = _l("Between 1 and 1,000 villages.")
    codes = [c.strip() for c in data.get("provinces") or [] if c.strip()]
    known = set(session.scalars(select(Province.code)))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors["provinces"] = _l("Unknown province code: %(codes)s.", codes=", ".join(unknown))
    data["provinces"] = sorted(set(codes))
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, date):
        errors["starts_on"] = _l("Enter the first day of the offer.")
    elif ends is not None and (not isinstance(ends, date) or ends < starts):
        errors["ends_on"] = _l("The offer cannot end before it starts.")
    check_text(errors, data, "description", 2000)
    return errors


def check_need(data: dict) -> dict[str, object]:
    errors: dict[str, object] = {}
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = _l("Unknown kind of help.")
    check_quantity(errors, str(kind), data.get("quantity"))
    if data.get("priority") not in (1, 2, 3):
        errors["priority"] = _l("Choose a priority.")
    sector = data.get("sector") or None
    data["sector"] = sector
    if sector is not None:
        if sector not in SECTORS:
            errors["sector"] = _l("Choose a sector of GB/T 4754.")
        elif kind in KINDS and mechanism(str(kind)) != "industry":
            errors["sector"] = _l("Only industry needs name a sector.")
    check_text(errors, data, "description", 2000)
    return errors


def today() -> date:
    from ..db import today as beijing_today

    return beijing_today()


def check_frozen(errors: dict[str, object], row: object, data: dict[str, object],
                 fields: Iterable[str], used: int, *, frozen: object, below: object) -> None:
    """Once part of an offer is paired (or of a need met), only its quantity may change,
    and never below what is used; `frozen` and `below` are the messages."""
    if used <= 0:
        return
    changed = [k for k in fields if k != "quantity" and data[k] != getattr(row, k)]
    if changed:
        errors.setdefault(changed[0], frozen)
    if isinstance(data["quantity"], int) and data["quantity"] < used:
        errors["quantity"] = below
