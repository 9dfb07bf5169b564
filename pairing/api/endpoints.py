"""Read endpoints over what is public: verified villages and enterprises, the figures."""

from __future__ import annotations

from datetime import datetime

from flask import g, url_for
from flask_smorest import abort
from sqlalchemy.orm import selectinload

from ..enterprises.models import Enterprise
from ..extensions import db
from ..i18n import current_language
from ..places.models import County, Status, Village
from ..stats import figures as figs
from ..stats import services as stats
from ..stats import snapshot
from . import schemas as s
from .core import SECURITY, sorted_page, token_required, v1


@v1.get("/villages")
@v1.arguments(s.VillageArgs, location="query", as_kwargs=False)
@v1.response(200, s.VillagePage)
def villages(args: dict):
    """Verified villages, filtered by province, county or deep poverty."""
    query = stats.public_villages(args.get("province", ""), args.get("county", ""))
    if "deep_poverty" in args:
        query = query.where(Village.deep_poverty.is_(args["deep_poverty"]))
    return sorted_page(query.options(selectinload(Village.county)), args, Village.id,
                       {"name": Village.name, "updated_at": Village.updated_at},
                       updated=Village.updated_at)


@v1.get("/villages/<int(max=2147483647):village_id>")
@v1.response(200, s.VillageSchema)
def village(village_id: int):
    """One verified village."""
    row = db.session.get(Village, village_id)
    if row is None or row.status != Status.VERIFIED:
        abort(404)
    return row


@v1.get("/enterprises")
@v1.arguments(s.EnterpriseArgs, location="query", as_kwargs=False)
@v1.response(200, s.EnterprisePage)
def enterprises(args: dict):
    """Verified enterprises, filtered by province, county or sector."""
    query = stats.public_enterprises(args.get("province", ""), args.get("county", ""),
                                     args.get("sector", ""))
    return sorted_page(query.options(selectinload(Enterprise.county)), args, Enterprise.id,
                       {"name": Enterprise.name, "updated_at": Enterprise.updated_at},
                       updated=Enterprise.updated_at)


@v1.get("/enterprises/<int(max=2147483647):enterprise_id>")
@v1.response(200, s.EnterpriseSchema)
def enterprise(enterprise_id: int):
    """One verified enterprise."""
    row = db.session.get(Enterprise, enterprise_id)
    if row is None or row.status != Status.VERIFIED:
        abort(404)
    return row


def _definitions() -> list[dict]:
    return [{"key": f.key, "label": str(f.label), "how": str(f.how), "unit": f.unit,
             "rows": url_for("stats.download", name=f.rows, fmt="csv")} for f in figs.FIGURES]


@v1.get("/figures")
@v1.response(200, s.FiguresSchema)
def figures():
    """National and per-province figures, each computed from its rows."""
    view = snapshot.nation(whole=False)
    names = stats.provinces()
    lang = current_language()
    by_province = view.provinces
    national = view.national
    return {"figures": _definitions(), "computed_at": _when(view.computed_at),
            "national": figs.shown(national),
            "national_fen": figs.exact_fen(national),
            "provinces": [_place(c, p.display_name(lang), by_province[c])
                          for c, p in names.items() if c in by_province]}


def _when(at: datetime | None) -> str | None:
    """When the stored figures were computed (UTC, ISO 8601); None: computed just now."""
    return at.isoformat(timespec="seconds") + "Z" if at else None


def _place(code: str, name: str, values: dict[str, int]) -> dict:
    """Money rounded to whole yuan from this place's own exact total, and that total."""
    return {"code": code, "name": name, "values": figs.shown(values),
            "values_fen": figs.exact_fen(values)}


@v1.get("/figures/provinces/<code>")
@v1.response(200, s.ProvinceFiguresSchema)
def province_figures(code: str):
    """A province's figures and those of each of its counties that has rows."""
    names = stats.provinces()
    if code not in names:
        abort(404)
    view = snapshot.province(code)
    counties = view.counties
    county_names = {c.code: c.name for c in db.session.query(County).filter(
        County.code.in_(list(counties)))}
    return {**_place(code, names[code].display_name(current_language()),
                     view.provinces.get(code, {})),
            "computed_at": _when(view.computed_at),
            "counties": [_place(c, county_names.get(c, c), v)
                         for c, v in sorted(counties.items())]}


@v1.get("/me")
@token_required()
@v1.response(200, s.MeSchema)
@v1.doc(security=SECURITY)
def me():
    """Who the token belongs to: check that a token works."""
    token = g.api_token
    return {"user_id": g.api_user.id, "role": g.api_user.role,
            "token": {"id": token.id, "name": token.name, "prefix": token.prefix}}
