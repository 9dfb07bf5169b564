"""Import of offers from an enterprise officer's spreadsheet (preview, then all or none)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import inputs
from ..accounts.models import User
from ..extensions import db
from ..places import lookup
from . import services
from .kinds import KIND_LABELS, KINDS, parse_quantity
from .models import Enterprise
from .rules import check_offer

COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "credit code"),
    "kind": ("帮扶类型", "kind"),
    "quantity": ("数量", "quantity"),
    "max_villages": ("最多帮扶村数", "max villages"),
    "provinces": ("意向省份", "provinces"),
    "starts_on": ("开始日期", "starts on"),
    "ends_on": ("截止日期", "ends on"),
    "description": ("说明", "description"),
}
EXAMPLE = [["91330106000000001X", "procurement", 5000000, 5, "52 53", "2026-01-01", "",
            "收购高山茶青"],
           ["91330106000000001X", "jobs", 60, 3, "", "2026-03-01", "2026-12-31", "电子装配岗位"]]


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: dict[str, object] = field(default_factory=dict)
    enterprise: Enterprise | None = None
    offer: dict | None = None


def _date(text: str) -> date | None | str:
    text = text.strip()[:10]
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return "bad"


def preview(actor: User, records: list[dict[str, str]],
            session: Session | None = None) -> list[Row]:
    session = session or db.session
    mine = {e.credit_code: e for e in session.scalars(
        select(Enterprise).where(Enterprise.officer_id == actor.id))}
    rows = []
    for number, values in enumerate(records, start=2):
        row = Row(number, values)
        rows.append(row)
        row.enterprise = mine.get(values["credit_code"].strip().upper())
        if row.enterprise is None:
            row.errors["credit_code"] = _l("None of your enterprises has this credit code.")
        kind = lookup.label_code(values["kind"], KIND_LABELS) or values["kind"].strip()
        if kind not in KINDS:
            row.errors["kind"] = _l("Unknown kind of help.")
            continue
        try:
            quantity = parse_quantity(kind, values["quantity"])
        except ValueError as exc:
            row.errors["quantity"] = exc.args[0]
            continue
        try:  # "52 53", "贵州、云南" or "贵州省 云南省"
            provinces = lookup.province_codes(values["provinces"], session)
        except lookup.NotFound as exc:
            row.errors["provinces"] = exc.args[0]
            continue
        villages = values["max_villages"].strip() or "1"
        starts, ends = _date(values["starts_on"]), _date(values["ends_on"])
        data = {"kind": kind, "quantity": quantity,
                "max_villages": inputs.number(villages, lo=0) or 0,
                "provinces": provinces,
                "starts_on": starts, "ends_on": ends, "description": values["description"]}
        if starts == "bad" or ends == "bad":
            row.errors["starts_on" if starts == "bad" else "ends_on"] = _l(
                "Write dates as 2026-01-31.")
            continue
        row.errors.update(check_offer(session, data))
        row.offer = data
    return rows


def write(actor: User, rows: list[Row], session: Session | None = None) -> int:
    session = session or db.session
    assert not any(r.errors for r in rows)
    for row in rows:
        services.create_offer(actor, row.enterprise, row.offer, session=session)
    return len(rows)
