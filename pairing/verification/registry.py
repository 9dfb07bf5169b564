"""Sections of the verifier's queue. Each area that needs verification registers one
(enterprises and villages here; households and help requests later), so the queue page
needs no edit when an area is added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..accounts.models import User


@dataclass(frozen=True)
class Section:
    key: str  # in URLs: /verification/<key>/<id>
    title: object  # lazy translatable
    template: str  # renders one waiting entry: gets `item`, `warnings`, `form`
    pending: Callable[[User, int], list]  # oldest first, inside the verifier's jurisdiction
    warnings: Callable[[list], dict[int, list[object]]]  # by id, one query per section
    load: Callable[[int], object | None]
    decide: Callable[[User, object, bool, str], None]  # raises Invalid / NotAllowed
    order: int = 50


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
