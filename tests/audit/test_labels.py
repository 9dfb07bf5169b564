"""Every action code, object type and field the code base writes to the audit log has a
label.

The codes are read from the source: the action of each `audit.record(...)` call, followed
through f-strings, `+`, `a if c else b`, local assignments (`x.status = ...`), enum members
and the arguments callers pass (`_transition(..., "help_request.funded", ...)`). A new
code, however it is built, fails here until pairing/audit/actions.py (fields.py) names it; a call this
reader cannot follow fails too, rather than passing unchecked.

The fields are the keys of each call's `before`/`after` and the names of its `changed`:
dict literals, `|` and `**` of them, `audit.snapshot(obj, FIELDS)` (the names listed) and
`audit.snapshot(obj)` (every column of obj's model: a personal one is named in `changed`).
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from sqlalchemy import CheckConstraint, inspect

import pairing
from pairing.audit.labels import (
    ACTIONS,
    FIELDS,
    OBJECT_TYPES,
    TABLE_FIELDS,
    action_choices,
    known_action,
    value_labels,
)
from pairing.enterprises.kinds import KIND_LABELS
from pairing.extensions import db
from pairing.giving.models import CAUSES
from pairing.shop import badge

ROOT = Path(pairing.__file__).parent
Func = ast.FunctionDef | ast.AsyncFunctionDef
# Tables no service writes audit rows about (the ledger has its own trail).
NOT_AUDITED = {"audit_events", "counties", "provinces", "evidence_files", "giving_files",
               "giving_match_targets", "help_request_updates", "ledger_accounts",
               "ledger_entries", "ledger_transactions", "login_sessions", "notifications",
               "notice_settings", "notice_once",
               "search_grams", "shop_checkouts", "shop_order_lines", "stats_snapshots",
               # a pairing's messages are the parties' correspondence: the row is the record
               "pairing_messages"}


class Unresolved(Exception):
    pass


@cache
def modules() -> dict[str, ast.Module]:
    return {".".join(p.relative_to(ROOT.parent).with_suffix("").parts): ast.parse(p.read_text())
            for p in ROOT.rglob("*.py")}


@cache
def owners() -> dict[ast.AST, tuple[str, Func | None]]:
    """Each node's module and innermost enclosing function (ast.walk goes outside in)."""
    out: dict[ast.AST, tuple[str, Func | None]] = {}
    for name, tree in modules().items():
        out.update(dict.fromkeys(ast.walk(tree), (name, None)))
        for fn in ast.walk(tree):
            if isinstance(fn, Func):
                out.update(dict.fromkeys(ast.walk(fn), (name, fn)))
    return out


def calls() -> Iterator[ast.Call]:
    for tree in modules().values():
        yield from (n for n in ast.walk(tree) if isinstance(n, ast.Call))


def argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    named = [k.value for k in call.keywords if k.arg == name]
    if named:
        return named[0]
    return call.args[index] if len(call.args) > index else None


def values(node: ast.expr, depth: int = 0) -> set[str]:
    """Every string `node` can be, or Unresolved naming where it stands."""
    module, fn = owners()[node]
    where = f"{module}:{node.lineno}: {ast.unparse(node)}"
    if depth > 6:
        raise Unresolved(where)
    match node:
        case ast.Constant(value=str(text)):
            return {text}
        case ast.IfExp(body=a, orelse=b):
            return values(a, depth + 1) | values(b, depth + 1)
        case ast.BinOp(left=a, op=ast.Add(), right=b):
            return {x + y for x in values(a, depth + 1) for y in values(b, depth + 1)}
        case ast.JoinedStr(values=parts):
            out = {""}
            for part in parts:
                inner = part.value if isinstance(part, ast.FormattedValue) else part
                out = {x + y for x in out for y in values(inner, depth + 1)}
            return out
        case ast.Name() | ast.Attribute() if fn is not None:
            found = assigned(node, fn, depth) or passed(node, fn, depth)
            if found:
                return found
    try:  # a module-level constant or enum member, e.g. DonationStatus.REFUNDED
        value = eval(ast.unparse(node), vars(importlib.import_module(module)))  # noqa: S307
    except Exception:
        raise Unresolved(where) from None
    if not isinstance(value, str):
        raise Unresolved(where)
    return {str(value)}


def assigned(node: ast.expr, fn: Func, depth: int) -> set[str]:
    """What the function assigns to this name or attribute (`a, b = x, y` included)."""
    target, out = ast.unparse(node), set()
    for stmt in ast.walk(fn):
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                pairs = zip(t.elts, stmt.value.elts, strict=False) \
                    if isinstance(t, ast.Tuple) and isinstance(stmt.value, ast.Tuple) \
                    else [(t, stmt.value)]
                for left, right in pairs:
                    if ast.unparse(left) == target:
                        out |= values(right, depth + 1)
    return out


def passed(node: ast.expr, fn: Func, depth: int) -> set[str]:
    """For a parameter: what every call of a function of this name passes for it."""
    names = [a.arg for a in fn.args.args]
    if not isinstance(node, ast.Name) or node.id not in names:
        return set()
    out: set[str] = set()
    for call in calls():
        callee = call.func.id if isinstance(call.func, ast.Name) else \
            getattr(call.func, "attr", None)
        given = argument(call, names.index(node.id), node.id) if callee == fn.name else None
        if given is not None:
            out |= values(given, depth + 1)
    return out


def recorded() -> tuple[set[str], set[str]]:
    """(action codes, explicit object types) of every audit.record call in pairing/."""
    actions: set[str] = set()
    types: set[str] = set()
    for call in calls():
        if ast.unparse(call.func) == "audit.record":
            actions |= values(argument(call, 1, "action"))
            given = argument(call, 99, "object_type")
            types |= values(given) if given is not None else set()
    return actions, types


# Functions whose result is recorded whole: the keys it has.
RETURNS = {"pairing.shop.badge.settings": set(badge.DEFAULTS)}


def constant(node: ast.expr) -> object:
    """A module-level constant, or one the enclosing function imports itself."""
    module, fn = owners()[node]
    namespace = dict(vars(importlib.import_module(module)))
    for stmt in ast.walk(fn) if fn is not None else ():
        if isinstance(stmt, ast.ImportFrom):
            package = importlib.import_module("." * stmt.level + (stmt.module or ""),
                                              module.rsplit(".", 1)[0])
            namespace |= {a.asname or a.name: getattr(package, a.name) for a in stmt.names}
    try:
        return eval(ast.unparse(node), namespace)  # noqa: S307
    except Exception:
        raise Unresolved(f"{module}:{node.lineno}: {ast.unparse(node)}") from None


def model(node: ast.expr) -> type:
    """The model class of a variable: its parameter's annotation, or what the function
    assigns to it (`x = Model(...)`, `x = session.get(Model, ...)`)."""
    _module, fn = owners()[node]
    name, found = ast.unparse(node), []
    if fn is not None:
        found += [a.annotation for a in fn.args.args + fn.args.kwonlyargs
                  if a.arg == name and a.annotation is not None]
        for stmt in ast.walk(fn):
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                    and any(ast.unparse(t) == name for t in stmt.targets):
                found += [stmt.value.func, *stmt.value.args[:1]]
    for candidate in found:
        try:
            cls = constant(candidate)
            inspect(cls).mapper  # noqa: B018  (raises unless a mapped class)
            return cls
        except Exception:  # noqa: S112
            continue
    raise Unresolved(f"{_module}:{node.lineno}: the model of {name}")


def keys(node: ast.expr) -> set[str]:
    """Every key the mapping (or list of names) `node` can hold."""
    module, fn = owners()[node]
    match node:
        case ast.Dict():
            return set().union(*(keys(v) if k is None else values(k)
                                 for k, v in zip(node.keys, node.values, strict=True)))
        case ast.BinOp(op=ast.BitOr(), left=a, right=b):
            return keys(a) | keys(b)
        case ast.List(elts=items) | ast.Tuple(elts=items):
            return set().union(*(values(item) for item in items))
        case ast.Call() if ast.unparse(node.func) == "audit.snapshot":
            names = argument(node, 1, "fields")
            if names is not None:
                return keys(names) if isinstance(names, ast.List | ast.Tuple) \
                    else set(constant(names))
            cls = model(argument(node, 0, "obj"))
            return {c.key for c in inspect(cls).mapper.column_attrs}
        case ast.Call(func=ast.Name(id=name)) if f"{module}.{name}" in RETURNS:
            return RETURNS[f"{module}.{name}"]
        case ast.Name(id=name) if fn is not None:
            found = [stmt.value for stmt in ast.walk(fn) if isinstance(stmt, ast.Assign)
                     and any(ast.unparse(t) == name for t in stmt.targets)]
            if found:
                return set().union(*(keys(v) for v in found))
    raise Unresolved(f"{module}:{node.lineno}: {ast.unparse(node)}")


def recorded_fields() -> set[str]:
    """Every field name an audit.record call in pairing/ can write."""
    out: set[str] = set()
    for call in calls():
        if ast.unparse(call.func) == "audit.record":
            for index, name in ((3, "before"), (4, "after"), (5, "changed")):
                given = argument(call, index, name)
                out |= keys(given) if given is not None else set()
    return out


def test_the_reader_finds_codes_however_they_are_built():
    actions, types = recorded()
    assert {"user.create", "shop.payout.reject", "proposal.decline", "village.verify",
            "enterprise.reject", "donation.refunded", "disbursement.approved",
            "complaint.dismissed", "help_request.funded", "shop.order.ship"} <= actions
    assert "disbursement.requested" in actions and "disbursement.rejected" in actions
    assert types == {"east_west_pairs", "shop_settings"}


def test_every_recorded_action_has_a_label():
    actions, _types = recorded()
    assert sorted(actions - set(ACTIONS)) == []


def test_every_audited_table_and_object_type_has_a_label():
    """A new table is labelled or declared not audited here; the names given as
    `object_type=` are labelled too."""
    _actions, types = recorded()
    assert sorted(set(db.metadata.tables) - NOT_AUDITED - set(OBJECT_TYPES)) == []
    assert sorted(types - set(OBJECT_TYPES)) == []


def test_the_form_offers_every_action_and_each_group_whole(app):
    with app.test_request_context():
        offered = [code for _name, options in action_choices() for code, _label in options]
    assert set(ACTIONS) <= set(offered) and len(offered) == len(set(offered))
    assert "shop.order.*" in offered and all(known_action(code) for code in offered)
    assert not known_action("legacy.thing") and not known_action("nothing.*")


def test_the_reader_finds_fields_however_they_are_written():
    found = recorded_fields()
    # a tuple constant, one imported inside a function, a model's columns, `|`, `**`, a
    # function's result, changed=[...]
    assert {"poor_population", "decision_note", "registration_no", "proposed", "lines",
            "taobao_sales_fen", "display_name", "prefix", "files", "returned_fen"} <= found
    # snapshot(obj) names personal columns too (their values stay out: test_audit.py)
    assert {"head_name", "id_number_hash", "token_hash", "diagnosis"} <= found


def test_every_recorded_field_has_a_label():
    assert sorted(recorded_fields() - set(FIELDS)) == []


def test_labels_of_one_table_name_a_labelled_type_and_field():
    assert set(TABLE_FIELDS) <= set(OBJECT_TYPES)
    assert all(set(columns) <= set(FIELDS) for columns in TABLE_FIELDS.values())


# Codes a column may hold where no CheckConstraint lists them.
STORED_LISTS = {("households", "causes"): set(CAUSES)}


def allowed_codes(table: str, column: str) -> set | None:
    """The codes the table's CheckConstraints let the column hold (`col in ('a','b')`,
    `col between 1 and 3`; every such list of the table), or None without one."""
    if (table, column) in STORED_LISTS:
        return STORED_LISTS[(table, column)]
    found: set | None = None
    for check in db.metadata.tables[table].constraints:
        if not isinstance(check, CheckConstraint):
            continue
        text = str(check.sqltext)
        for listed in re.findall(rf"\b{column} in \(([^)]*)\)", text):
            found = (found or set()) | set(re.findall(r"'([^']*)'", listed))
        for low, high in re.findall(rf"\b{column} between (\d+) and (\d+)", text):
            found = (found or set()) | set(range(int(low), int(high) + 1))
    return found


def test_coded_fields_name_real_audited_columns():
    tables = value_labels()
    assert set(tables) <= set(OBJECT_TYPES) and set(tables) <= set(db.metadata.tables)
    for table, columns in tables.items():
        assert set(columns) <= set(db.metadata.tables[table].columns.keys()), table
        assert set(columns) <= set(FIELDS), table


def test_each_coded_field_labels_every_code_its_constraint_allows():
    missing = {}
    for table, columns in value_labels().items():
        for column, labels in columns.items():
            allowed = allowed_codes(table, column)
            if allowed is not None and allowed - set(labels):
                missing[f"{table}.{column}"] = sorted(map(str, allowed - set(labels)))
    assert missing == {}
    # the reader understands the constraints it relies on
    assert allowed_codes("help_requests", "purpose") == {"medical", "education", "housing",
                                                         "other"}
    assert allowed_codes("proposals", "village_answer") == {"accept", "decline"}
    assert allowed_codes("needs", "priority") == {1, 2, 3}
    assert allowed_codes("offers", "kind") == set(KIND_LABELS)
    assert len(allowed_codes("users", "role")) == 5


def test_every_constrained_code_column_the_log_records_is_labelled():
    """A column whose CheckConstraint lists codes, in an audited table, written to the
    log: its codes have labels (a new one fails here until value_labels names it)."""
    recorded = recorded_fields()
    unlabelled = []
    for table in set(OBJECT_TYPES) & set(db.metadata.tables):
        for column in (c.key for c in db.metadata.tables[table].columns):
            if column in recorded and allowed_codes(table, column) is not None \
                    and column not in value_labels().get(table, {}):
                unlabelled.append(f"{table}.{column}")
    assert sorted(unlabelled) == []


def test_every_purpose_payments_are_started_for_has_a_label():
    """The purposes of every start_payment call in pairing/ (the audit log shows a
    payment's purpose by value_labels)."""
    purposes = set().union(*(values(argument(call, 0, "purpose")) for call in calls()
                             if ast.unparse(call.func).endswith("start_payment")))
    assert purposes == {"donation", "order"}
    assert sorted(purposes - set(value_labels()["payments"]["purpose"])) == []


def test_place_fields_are_fields_the_log_records():
    """A field shown by place names (labels.PLACE_FIELDS) is one the code writes."""
    from pairing.audit.labels import PLACE_FIELDS

    assert sorted(PLACE_FIELDS - recorded_fields()) == []
    assert set(FIELDS) >= PLACE_FIELDS


def test_every_weight_of_a_round_has_a_label():
    from pairing.matching.forms import WEIGHT_LABELS
    from pairing.matching.services import WEIGHT_FIELDS

    assert set(WEIGHT_LABELS) == set(WEIGHT_FIELDS)
