"""Why a pair was proposed, in words, from the parts of its score."""

from __future__ import annotations

from flask_babel import gettext as _

from ..enterprises.kinds import KIND_LABELS
from ..i18n import current_language
from .models import Proposal


def reasons(p: Proposal) -> list[str]:
    parts = p.parts or {}
    offer, need = p.offer, p.need
    village, county_e = need.village, offer.enterprise.county
    lang = current_language()
    lines = [_("Same kind of help: %(kind)s.", kind=KIND_LABELS[offer.kind])]
    lines.append(_("%(km)s km between the enterprise and the village (%(points)s points).",
                   km=format(p.distance_km, ","), points=parts.get("distance", 0)))
    if parts.get("east_west"):
        lines.append(_("East–west cooperation: %(east)s helps %(west)s.",
                       east=county_e.province.display_name(lang),
                       west=village.county.province.display_name(lang)))
    depth = _("%(share)s%% of the villagers are registered as poor",
              share=round(village.poverty_incidence * 100))
    if village.deep_poverty:
        depth += _(", in a deep-poverty area")
    lines.append(_("Poverty depth: %(depth)s (%(points)s points).", depth=depth,
                   points=parts.get("poverty", 0)))
    if parts.get("preferred"):
        lines.append(_("The village lies in a province the enterprise prefers."))
    if parts.get("sector"):
        lines.append(_("The village asked for help from the enterprise's sector."))
    return lines
