"""The public dashboard, its drill-down pages and the open-data downloads."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from .. import downloads, nav, pages
from ..extensions import db
from ..giving.models import HelpRequest
from ..i18n import current_language
from ..matching.models import Pairing
from ..places.models import County, Status, Village
from . import (  # noqa: F401
    charts,
    figures,
    ledger,
    market,
    opendata,
    pairings,
    services,
    shop,
    snapshot,
    timeline,
)

bp = Blueprint("stats", __name__)
nav.add("stats.dashboard", _l("Dashboard"), order=10)



def _chosen() -> figures.Figure:
    return figures.by_key(request.args.get("figure", "")) or figures.FIGURES[0]


# Rendered parts of the dashboard's pages by (page, language, figure, snapshot time): they
# show a stored snapshot, so their tables and charts are the same until the next refresh
# (rendering them was 20-40 ms of a page's 22-45). The monitoring counts between the two
# parts of /dashboard are live and rendered on each view. Per app and process; emptied
# when a new snapshot appears.
_PARTS_LIMIT = 512


def _kept(key: tuple, render: Callable[[], tuple[Markup, ...]]) -> tuple[Markup, ...]:
    stamp = snapshot.stamp()
    if stamp is None:  # figures computed live: nothing to keep
        return render()
    kept: dict[tuple, tuple[Markup, ...]] = current_app.extensions.setdefault(
        "pairing.dashboard_parts", {})
    parts = kept.get((*key, stamp))
    if parts is None:
        parts = render()
        if any(k[-1] != stamp for k in list(kept)) or len(kept) >= _PARTS_LIMIT:
            kept.clear()
        kept[(*key, stamp)] = parts
    return parts


def _dashboard_parts(chosen: figures.Figure, lang: str, names: dict) -> tuple[Markup, ...]:
    view = snapshot.nation()
    by_province = view.provinces
    # The map and bars draw what they label: whole yuan of each province's exact fen.
    values = {code: chosen.shown(row[chosen.key]) for code, row in by_province.items()}
    tiles, width, height = charts.tile_map(values, lang)
    bars = charts.bars([(names[c].display_name(lang), v, url_for("stats.province", code=c))
                        for c, v in values.items() if c in names])
    context = dict(
        figures=figures.FIGURES, groups=figures.GROUPS, chosen=chosen,
        national=view.national, provinces=names, by_province=by_province,
        tiles=tiles, map_width=width, map_height=height, legend=charts.legend(values),
        bars=bars, villages_series=view.villages_series,
        enterprises_series=view.enterprises_series,
        time_charts=view.charts, deciles=view.deciles, mechanisms=view.mechanisms,
        coverage={c.decile: c for c in view.coverage},
        registered_villages=view.registered, computed_at=view.computed_at)
    return (Markup(render_template("stats/_dashboard_top.html", **context)),
            Markup(render_template("stats/_dashboard_bottom.html", **context)))


@bp.get("/dashboard")
def dashboard():
    chosen = _chosen()
    lang = current_language()
    names = services.provinces()
    top, bottom = _kept(("dashboard", lang, chosen.key),
                        lambda: _dashboard_parts(chosen, lang, names))
    return render_template("stats/dashboard.html", top=top, bottom=bottom, provinces=names)


def _province_body(place, chosen: figures.Figure, lang: str) -> tuple[Markup, ...]:  # noqa: ANN001
    view = snapshot.province(place.code)
    counties = view.counties
    county_names = services.counties(sorted(counties))
    bars = charts.bars([(county_names[c].name if c in county_names else c,
                         chosen.shown(v[chosen.key]), url_for("stats.county", code=c))
                        for c, v in counties.items()])
    return (Markup(render_template(
        "stats/_province_body.html", province=place, figures=figures.FIGURES, chosen=chosen,
        totals=view.provinces.get(place.code, {f.key: 0 for f in figures.FIGURES}),
        counties=sorted(counties.items()), county_names=county_names, bars=bars, lang=lang,
        computed_at=view.computed_at)),)


@bp.get("/dashboard/province/<code>")
def province(code: str):
    names = services.provinces()
    if code not in names:
        abort(404)
    chosen = _chosen()
    lang = current_language()
    (body,) = _kept(("province", code, lang, chosen.key),
                    lambda: _province_body(names[code], chosen, lang))
    return render_template("stats/province.html", province=names[code], lang=lang, body=body)


@bp.get("/dashboard/county/<code>")
def county(code: str):
    place = db.session.get(County, code)
    if place is None:
        abort(404)
    view = snapshot.county(code)
    villages = pages.request_page(services.public_villages(county=code), scope="county",
                                  per_page=current_app.config["PAGE_SIZE"])
    enterprises = db.session.scalars(services.public_enterprises(county=code)).all()
    paired = db.session.scalars(pairings.public_pairings().where(Village.county_code == code)
                                .order_by(Pairing.id).limit(200)).all()
    return render_template(
        "stats/county.html", county=place, figures=figures.FIGURES, pairings=paired,
        delivered=pairings.delivered_of([p.id for p in paired]),
        totals=view.counties.get(code, {f.key: 0 for f in figures.FIGURES}),
        villages=villages, enterprises=enterprises, computed_at=view.computed_at)


@bp.get("/open-data")
def open_data():
    return render_template("stats/open_data.html", datasets=opendata.all_datasets(),
                           figures=figures.FIGURES)


@bp.get("/open-data/<name>.<fmt>")
def download(name: str, fmt: str):
    dataset = opendata.find(name)
    if dataset is None or fmt not in downloads.MIME:
        abort(404)
    args = {k: request.args.get(k, "") for k in ("province", "county", "sector", "village",
                                                 "request", "pairing")}
    suffix = "-".join(v for v in args.values() if v)
    filename = f"{name}{'-' + suffix if suffix else ''}.{fmt}"
    return opendata.stream(dataset, fmt, args, filename)


@bp.get("/ledger")
def ledger_index():
    query = (ledger.public_requests().join(HelpRequest.village).join(Village.county)
             .options(selectinload(HelpRequest.village)
                      .selectinload(Village.county))
             .order_by(HelpRequest.verified_at.desc(), HelpRequest.id.desc()))
    province = request.args.get("province", "")
    if province:
        query = query.where(County.province_code == province)
    page = pages.request_page(query, scope="ledger", per_page=50)
    return render_template("stats/ledger_index.html", page=page, province=province,
                           provinces=services.provinces(),
                           totals=ledger.request_totals([r.id for r in page.items]))


@bp.get("/ledger/requests/<int:request_id>")
def ledger_request(request_id: int):
    req = db.session.scalar(ledger.public_requests().where(HelpRequest.id == request_id))
    if req is None:
        abort(404)
    items = ledger.lines(request_id=request_id)
    return render_template("stats/ledger.html", req=req, village=req.village,
                           items=items, summary=ledger.summary(items),
                           download={"request": request_id}, kind_labels=ledger.KIND_LABELS)


@bp.get("/ledger/villages/<int:village_id>")
def ledger_village(village_id: int):
    village = db.session.get(Village, village_id)
    if village is None or village.status != Status.VERIFIED:
        abort(404)
    items = ledger.lines(village_id=village_id)
    return render_template("stats/ledger.html", req=None, village=village, items=items,
                           summary=ledger.summary(items), download={"village": village_id},
                           kind_labels=ledger.KIND_LABELS)


@bp.get("/ledger/pairings/<int:pairing_id>")
def ledger_pairing(pairing_id: int):
    pairing = db.session.scalar(pairings.public_pairings().where(Pairing.id == pairing_id))
    if pairing is None:
        abort(404)
    return render_template("stats/pairing.html", pairing=pairing,
                           delivered=pairings.delivered_of([pairing.id]).get(pairing.id, 0))
