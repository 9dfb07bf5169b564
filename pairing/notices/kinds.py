"""The registry of notice kinds: what the settings page lists and how a notice reads.

A kind's message is a lazy translatable string with %(name)s parameters; parameter
values that are registered words (WORDS: "accept", "upheld", ...) are translated too, so
an inbox row stores only the kind and its parameters and each reader sees their language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    key: str  # stored in notifications.kind (at most 30 characters)
    label: Any  # lazy: the settings page's line
    message: Any  # lazy, with %(param)s
    group: Any  # lazy: the settings page's heading
    roles: tuple[str, ...] = ()  # whose settings page lists it (empty: everyone's)


KINDS: dict[str, Kind] = {}
WORDS: dict[str, Any] = {}

PAIRINGS = _l("Pairings")
DECISIONS = _l("Decisions on what you submitted")
GIVING = _l("Gifts and help requests")
SHOP = _l("Shop")
COMPLAINTS = _l("Complaints, disputes and appeals")
MONITORING = _l("Monitoring")


def register(key: str, label: Any, message: Any, group: Any,
             roles: tuple[str, ...] = ()) -> Kind:
    if len(key) > 30:
        raise ValueError(f"notice kind too long: {key}")
    KINDS[key] = Kind(key, label, message, group, tuple(roles))
    return KINDS[key]


def only_for(roles: tuple[str, ...], *keys: str) -> None:
    """These kinds reach only people of these roles: other roles' settings pages skip them."""
    for key in keys:
        KINDS[key] = replace(KINDS[key], roles=roles)


def words(**found: Any) -> None:
    """Parameter values shown translated (e.g. answer="upheld")."""
    WORDS.update(found)


def render(kind: str, params: dict[str, Any]) -> str:
    """The notice's text in the current locale; an unknown kind (a module removed since)
    reads as its key rather than failing the inbox."""
    found = KINDS.get(kind)
    if found is None:
        return kind
    values = {k: (str(WORDS[v]) if isinstance(v, str) and v in WORDS else v)
              for k, v in params.items()}
    try:
        return str(found.message) % values
    except (KeyError, TypeError, ValueError):
        return str(found.label)


def for_role(role: str) -> list[Kind]:
    """The kinds a person of this role can receive (what their settings page lists)."""
    return [k for k in KINDS.values() if not k.roles or role in k.roles]


def groups(role: str) -> list[tuple[str, list[Kind]]]:
    """The role's kinds by group, for the settings page, in registration order."""
    out: dict[str, list[Kind]] = {}
    for kind in for_role(role):
        out.setdefault(str(kind.group), []).append(kind)
    return list(out.items())
