"""Import of villages and their needs from a secretary's or coordinator's spreadsheet.

Every row is checked first (the preview); nothing is written unless every row is valid,
and then everything is written in the caller's one transaction. One row is one need; a
row without a kind registers (or names) the village only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import inputs
from ..accounts.models import Role, User
from ..audit import services as audit
from ..enterprises.forms import SECTOR_LABELS
from ..enterprises.kinds import KIND_LABELS, KINDS, parse_quantity
from ..enterprises.rules import check_need
from ..extensions import db
from ..places import lookup
from ..places import villages as village_services
from ..places.models import Village
from ..places.rules import check_village
from .models import Need

COLUMNS: dict[str, tuple[str, ...]] = {
    "county_code": ("县代码", "county code", "县", "县名", "县（区）", "所在县", "county"),
    "village": ("村名", "village"),
    "population": ("人口", "population"),
    "households": ("户数", "households"),
    "poor_households": ("建档立卡贫困户数", "poor households"),
    "poor_population": ("建档立卡贫困人口", "poor people"),
    "income_per_capita": ("人均纯收入", "income per head"),
    "kind": ("需求类型", "kind"),
    "quantity": ("数量", "quantity"),
    "priority": ("优先级", "priority"),
    "sector": ("行业", "sector"),
    "description": ("需求说明", "description"),
}
EXAMPLE = [["433124", "十八洞村", 939, 225, 136, 533, 3800, "procurement", 2000000, 3, "C",
            "猕猴桃和茶叶销路"],
           ["433124", "十八洞村", "", "", "", "", "", "jobs", 40, 2, "", "外出务工岗位"]]
PRIORITY_WORDS = {"1": 1, "2": 2, "3": 3, "低": 1, "中": 2, "高": 3, "low": 1, "normal": 2,
                  "high": 3}


@dataclass
class Row:
    number: int  # as in the spreadsheet (the header is row 1)
    values: dict[str, str]
    errors: dict[str, object] = field(default_factory=dict)
    village: dict | None = None  # a new village to register
    need: dict | None = None


def _int(text: str) -> int | str:
    text = text.replace(",", "").strip()
    value = inputs.number(text, lo=0)
    return text if value is None else value


def preview(actor: User, records: list[dict[str, str]],
            session: Session | None = None) -> list[Row]:
    session = session or db.session
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}  # new villages of this file -> first row
    for number, values in enumerate(records, start=2):
        row = Row(number, values)
        rows.append(row)
        name = values["village"].strip()
        try:  # "花垣县", "湖南省花垣县" or "433124"
            county = lookup.county_code(values["county_code"], session)
        except lookup.NotFound as exc:
            county = values["county_code"].strip()
            row.errors["county_code"] = exc.args[0]
        values["county_code"] = county  # write() finds the village by the code
        existing = session.scalar(select(Village).where(Village.county_code == county,
                                                        Village.name == name))
        if existing is not None:
            if not _may_import_into(actor, existing):
                row.errors["village"] = _l("This village belongs to another secretary.")
        elif (county, name) not in seen:
            seen[(county, name)] = number
            data = {"name": name, "county_code": county, "deep_poverty": False,
                    "description": ""}
            for key in ("population", "households", "poor_households", "poor_population",
                        "income_per_capita"):
                data[key] = _int(values[key])
            errors = check_village(session, data)
            if "county_code" not in errors and actor.role == Role.COORDINATOR \
                    and not actor.covers(county):
                errors["county_code"] = _l("This county is outside your jurisdiction.")
            for k, v in errors.items():  # the lookup's own message says more
                row.errors.setdefault("village" if k == "name" else k, v)
            row.village = data
        kind = values["kind"].strip()
        if kind:  # "jobs", "Jobs" or "就业岗位", as the site shows it
            _need(row, lookup.label_code(kind, KIND_LABELS) or kind, values)
    return rows


def _need(row: Row, kind: str, values: dict[str, str]) -> None:
    if kind not in KINDS:
        row.errors["kind"] = _l("Unknown kind of help.")
        return
    try:
        quantity = parse_quantity(kind, values["quantity"])
    except ValueError as exc:
        row.errors["quantity"] = exc.args[0]
        return
    data = {"kind": kind, "quantity": quantity,
            "priority": PRIORITY_WORDS.get(values["priority"].strip().lower() or "2", 0),
            "sector": lookup.label_code(values["sector"], SECTOR_LABELS)
            or values["sector"].strip().upper() or None,
            "description": values["description"]}
    row.errors.update(check_need(data))
    row.need = data


def _may_import_into(actor: User, village: Village) -> bool:
    if actor.role == Role.COORDINATOR:
        return actor.covers(village.county_code)
    return village_services.may_edit_village(actor, village)


def write(actor: User, rows: list[Row], session: Session | None = None) -> tuple[int, int]:
    """(villages, needs) written; call only when no row has errors."""
    session = session or db.session
    assert not any(r.errors for r in rows)
    made: dict[tuple[str, str], Village] = {}
    needs = 0
    for row in rows:
        key = (row.values["county_code"].strip(), row.values["village"].strip())
        if row.village is not None:
            made[key] = village_services.register_village(actor, row.village, session=session)
        village = made.get(key) or session.scalar(select(Village).where(
            Village.county_code == key[0], Village.name == key[1]))
        if row.need is not None and village is not None:
            need = Need(**row.need, village=village, created_by_id=actor.id, status="open",
                        met_quantity=0)
            session.add(need)
            session.flush()
            audit.record(actor, "need.import", need, after=audit.snapshot(need),
                         session=session)
            needs += 1
    return len(made), needs
