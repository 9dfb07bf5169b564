"""Place codes by their names in the audit log (found by pairing.areas)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..accounts.models import COUNTRY
from ..audit.labels import register_places
from ..i18n import current_language
from .services import place_names


def names(codes: set[str]) -> dict[str, str]:
    """{code: name} in the page's language (two queries at most); "CN" the whole country."""
    found = place_names(codes, current_language())
    found[COUNTRY] = _("Nationwide")
    return found


register_places(names)
