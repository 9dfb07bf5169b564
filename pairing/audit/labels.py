"""What staff read for the audit log's codes: a label for every action, object type and
field, and the fields' values written for people.

The log keeps the codes as written (staff search by them); these only name them. A code
without a label shows as itself, so events written by older code still display.
A field holding codes (a status, a purpose, causes, ...) shows each code by the label the
code's own area gives it (its labels.py registers those maps), the code small beside it; a
field of place codes (PLACE_FIELDS) by the places' names, looked up once per page.
tests/audit/test_labels.py reads every audit.record call and fails on an unlabelled code
or field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from ..ledger.money import yuan
from .actions import (  # noqa: F401 (read as labels.*)  # noqa: F401
    ACTIONS,
    ANY,
    GROUPS,
    OBJECT_TYPES,
    action_choices,
    action_label,
    known_action,
    object_label,
)
from .fields import FIELDS, TABLE_FIELDS

# What the areas register (each area's labels.py, found by pairing.areas as its views
# are): audit sits below them, so it never imports them; they call the register_*
# functions below when imported.
_VALUES: dict[str, dict[str, Mapping[Any, Any]]] = {}
_KEYS: dict[Any, Any] = {}
_PLACES: list[Callable[[set[str]], dict[str, str]]] = []


def register_values(table: str, columns: Mapping[str, Mapping[Any, Any]]) -> None:
    """The labels an area's pages give the codes of `table`'s columns (statuses, kinds,
    purposes, ...), so that the log shows a code as its own area names it."""
    _VALUES.setdefault(table, {}).update(columns)


def register_keys(labels: Mapping[Any, Any]) -> None:
    """Labels of the keys of a mapping value (a round's weights)."""
    _KEYS.update(labels)


def register_places(names: Callable[[set[str]], dict[str, str]]) -> None:
    """The function naming place codes ({code: name}, in the page's language)."""
    _PLACES[:] = [names]


@cache
def _registered() -> None:
    from .. import areas  # imports each area's labels.py, which registers its labels

    for _module in areas.modules("labels"):
        pass


def value_labels() -> dict[str, dict[str, Mapping[Any, Any]]]:
    """{table: {column: {code: label}}}: the labels the areas' own pages give a column's
    codes (statuses, kinds, purposes, ...), as the areas registered them."""
    _registered()
    return _VALUES


# Fields of place codes, in any table: a province's two digits, a county's six, "CN" for
# the whole country (a jurisdiction), a list of provinces ("43,52") or of east–west pairs
# ("31-52"). Places are rows, not constants, so their names come from place_labels.
PLACE_FIELDS = frozenset({"county_code", "province_code", "jurisdiction", "provinces",
                          "pairs"})


# Fields where "none" has a meaning of its own: a round without a province is nationwide
# (the round pages say so too).
NONE_MEANS: dict[tuple[str, str], LazyString] = {("rounds", "province_code"): _l("Nationwide")}


def _codes(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [part for item in items if isinstance(item, str)
            for part in item.split(",") if part]


def place_labels(snapshots: Iterable[Mapping[str, Any] | None]) -> dict[str, str]:
    """{place code: name} for the place codes of these before/after snapshots, in the
    page's language (places.services.place_names; two queries at most)."""
    _registered()
    codes = {code for values in snapshots for name, value in (values or {}).items()
             if name in PLACE_FIELDS for code in _codes(value)}
    names = _PLACES[0]({part for code in codes for part in code.split("-")}) if _PLACES else {}
    for code in codes:
        east, dash, west = code.partition("-")
        if dash and east in names and west in names:
            names[code] = f"{names[east]} → {names[west]}"  # as the east–west page writes it
    return names


def coded(code: Any, labels: Mapping[Any, Any]) -> Markup:
    """A code by its label, the code small beside it; an unknown code as itself."""
    if not isinstance(code, str | int):
        return escape(field_value("", code))
    label = labels.get(code)
    if label is None or str(label) == str(code):
        return escape(code)
    return Markup('{} <code class="code">{}</code>').format(str(label), code)


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")


def field_label(name: str, object_type: str = "") -> str:
    label = TABLE_FIELDS.get(object_type, {}).get(name) or FIELDS.get(name)
    return str(label) if label is not None else name


def field_value(name: str, value: Any) -> str:
    """A value as staff read it: fen as yuan, yes/no, "—" for none, a moment without its
    microseconds; lists and mappings one item after another."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name.endswith("_fen") and isinstance(value, int):
        return yuan(value)
    if isinstance(value, str) and _MOMENT.match(value):
        return value[:19].replace("T", " ")
    if isinstance(value, dict):  # a round's weights ({} when none was set), by the round form's labels
        _registered()
        return ", ".join(f"{_KEYS.get(k, k)}: {field_value(k, v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(field_value("", v) if not isinstance(v, list | tuple)
                         else "(" + ", ".join(map(str, v)) + ")" for v in value) or "—"
    return str(value)


def shown(name: str, value: Any, object_type: str = "",
          places: Mapping[str, str] | None = None) -> str | Markup:
    """field_value, but a column of codes (value_labels) by the codes' labels, one of
    place codes by `places` (place_labels); a list of codes (a list, or "a,b" as
    households' causes are stored) label by label."""
    if value is None and (object_type, name) in NONE_MEANS:
        return str(NONE_MEANS[object_type, name])
    labels = value_labels().get(object_type, {}).get(name)
    if labels is None and name in PLACE_FIELDS and places is not None:
        labels = places
    if labels is None or value is None or value == "" or isinstance(value, bool | dict):
        return field_value(name, value)
    if isinstance(value, str) and value not in labels and "," in value:
        value = [part for part in value.split(",") if part]
    if isinstance(value, list | tuple):
        return Markup(", ").join(coded(v, labels) for v in value) if value else "—"
    return coded(value, labels)


def fields(values: dict[str, Any] | None, object_type: str = "",
           places: Mapping[str, str] | None = None, kind: str | None = None
           ) -> list[tuple[str, str, str | Markup]]:
    """(column, label, shown value) of a before/after snapshot, in its order; quantities
    with their unit when the kind is known (the snapshot's own, or `kind`)."""
    from .quantities import shown as quantity

    kind = (values or {}).get("kind") or kind
    return [(k, field_label(k, object_type),
             quantity(k, v, kind) or shown(k, v, object_type, places))
            for k, v in (values or {}).items()]


def raw_json(values: dict[str, Any]) -> str:
    """The snapshot as stored, Chinese left readable (the page escapes it)."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
