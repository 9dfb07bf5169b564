"""Header navigation by role. Areas add their entries with `add`; only endpoints that
exist in the running app are shown, so an area can register before its views land."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class Item:
    endpoint: str
    label: object  # a lazy translatable string
    roles: tuple[str, ...] = ()  # empty: everybody; "anonymous" for logged-out visitors
    order: int = 50


ITEMS: list[Item] = [
    Item("main.home", _l("Home"), order=0),
    Item("admin.users", _l("Users"), ("coordinator",), order=90),
    Item("audit.search", _l("Audit log"), ("coordinator",), order=91),
    Item("places.east_west", _l("East–west pairs"), ("coordinator",), order=92),
]


def add(endpoint: str, label: object, roles: tuple[str, ...] = (), order: int = 50) -> None:
    if all(i.endpoint != endpoint for i in ITEMS):
        ITEMS.append(Item(endpoint, label, roles, order))


def visible() -> list[Item]:
    endpoints = current_app.view_functions
    role = current_user.role if current_user.is_authenticated else "anonymous"
    return sorted((i for i in ITEMS if i.endpoint in endpoints and (not i.roles or role in i.roles)),
                  key=lambda i: i.order)


def split() -> tuple[list[Item], list[Item]]:
    """(pages for everybody, the signed-in role's own pages): the header shows the second
    group folded under one "My work" entry, so a coordinator's dozen links do not fill a
    phone's screen."""
    items = visible()
    return [i for i in items if not i.roles], [i for i in items if i.roles]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"nav_groups": split,
                                   "config_endpoints": lambda: current_app.view_functions})
