"""The dashboard's figures at national scale: stored per place, refreshed by housekeeping.

Every figure stays a query over its rows (figures.py), and its download still re-derives
it. Computing them all over national data takes seconds, so the `stats.snapshot`
housekeeping job stores the result once per STATS_REFRESH_S: one row per scope (the nation,
each province, each county), written in one transaction, so that a reader sees the old
snapshot or the new one, never half of each. The dashboard, its province and county pages
and /api/v1/figures read only the rows of the scope they show and say when they were
computed. Before the first snapshot (a new site, the tests) figures are computed live.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..enterprises.kinds import MECHANISM_LABELS
from ..extensions import db
from ..places.models import Status, Village
from . import figures, pairings, services, timeline
from .models import FigureSnapshot

NATION = "CN"
DEFAULT_REFRESH_S = 300


@dataclass
class View:
    """What the dashboard pages show of one scope. `computed_at` None: computed live."""

    national: dict[str, int] = field(default_factory=dict)
    provinces: dict[str, dict[str, int]] = field(default_factory=dict)
    counties: dict[str, dict[str, int]] = field(default_factory=dict)
    deciles: list[services.Decile] = field(default_factory=list)
    coverage: list[pairings.Coverage] = field(default_factory=list)
    villages_series: list[tuple[str, int, int]] = field(default_factory=list)
    enterprises_series: list[tuple[str, int, int]] = field(default_factory=list)
    charts: list[timeline.Chart] = field(default_factory=list)
    mechanisms: list[pairings.Mechanism] = field(default_factory=list)
    registered: int = 0  # villages verified or waiting for it
    computed_at: datetime | None = None


def _blank() -> dict[str, int]:
    return {f.key: 0 for f in figures.FIGURES}


def _complete(values: dict[str, int]) -> dict[str, int]:
    """A stored row with every figure of today's list (a figure added since reads 0 until
    the next refresh)."""
    return {**_blank(), **{k: int(v) for k, v in values.items()}}


def refresh(session: Session, now: datetime | None = None) -> int:
    """Recompute every figure from its rows and replace the stored snapshot; returns the
    number of scopes written. The caller commits."""
    now = now or utcnow()
    table = figures.table()
    extra = {"deciles": [asdict(d) for d in services.deciles()],
             "coverage": [asdict(c) for c in pairings.coverage()],
             "villages_series": services.villages_monthly(),
             "enterprises_series": services.enterprises_monthly(),
             "charts": {c.key: c.series for c in timeline.charts()},
             "mechanisms": [{"key": m.key, "money": m.money, "committed": m.committed,
                             "delivered": m.delivered} for m in pairings.by_mechanism()],
             "registered": registered(session)}
    rows = [{"scope": NATION, "level": "nation", "values": table.national(), "extra": extra,
             "computed_at": now}]
    rows += [{"scope": code, "level": "province", "values": values, "extra": None,
              "computed_at": now} for code, values in sorted(table.provinces().items())]
    rows += [{"scope": code, "level": "county", "values": values, "extra": None,
              "computed_at": now} for code, values in sorted(table.counties.items())]
    session.execute(delete(FigureSnapshot))
    for start in range(0, len(rows), 1000):
        session.execute(insert(FigureSnapshot), rows[start:start + 1000])
    return len(rows)


def registered(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Village).where(
        Village.status.in_([Status.VERIFIED, Status.PENDING]))) or 0


def refresh_due(session: Session, now: datetime) -> bool:
    every = int(current_app.config.get("STATS_REFRESH_S", DEFAULT_REFRESH_S))
    last = session.scalar(select(func.max(FigureSnapshot.computed_at)))
    return last is None or last <= now - timedelta(seconds=every)


def _stored(session: Session, *where) -> list[FigureSnapshot]:  # noqa: ANN002
    return list(session.scalars(select(FigureSnapshot).where(*where)))


def _live(province: str = "", county: str = "", whole: bool = False) -> View:
    table = figures.table()
    view = View(national=table.national(), provinces=table.provinces())
    if province:
        view.counties = table.within(province)
    elif county:
        view.counties = {county: table.counties.get(county, _blank())}
    if whole:
        view.deciles, view.coverage = services.deciles(), pairings.coverage()
        view.villages_series = services.villages_monthly()
        view.enterprises_series = services.enterprises_monthly()
        view.charts, view.mechanisms = timeline.charts(), pairings.by_mechanism()
        view.registered = registered(db.session)
    return view


def nation(session: Session | None = None, whole: bool = True) -> View:
    """The nation and every province (and, with `whole`, the deciles and coverage)."""
    session = session or db.session
    rows = _stored(session, FigureSnapshot.level.in_(("nation", "province")))
    top = next((r for r in rows if r.level == "nation"), None)
    if top is None:
        return _live(whole=whole)
    extra = top.extra or {}
    return View(national=_complete(top.values),
                provinces={r.scope: _complete(r.values) for r in rows if r.level == "province"},
                deciles=[services.Decile(**d) for d in extra.get("deciles", [])],
                coverage=[pairings.Coverage(**c) for c in extra.get("coverage", [])],
                villages_series=[tuple(p) for p in extra.get("villages_series", [])],
                enterprises_series=[tuple(p) for p in extra.get("enterprises_series", [])],
                charts=timeline.charts(extra.get("charts", {})),
                mechanisms=[pairings.Mechanism(m["key"], MECHANISM_LABELS[m["key"]], m["money"],
                                               m["committed"], m["delivered"])
                            for m in extra.get("mechanisms", [])],
                registered=int(extra.get("registered", 0)),
                computed_at=top.computed_at)


def stamp(session: Session | None = None) -> datetime | None:
    """When the stored snapshot was computed (None before the first): what a page
    rendered from it is keyed on."""
    session = session or db.session
    return session.scalar(select(FigureSnapshot.computed_at).where(
        FigureSnapshot.scope == NATION, FigureSnapshot.level == "nation"))


HEADLINE = ("villages", "enterprises", "poor_population")


def headline(session: Session | None = None) -> tuple[dict[str, int], datetime | None]:
    """The home page's three figures: the nation's stored row alone (one indexed read, no
    province rows or charts), or computed live before the first snapshot."""
    session = session or db.session
    top = session.scalar(select(FigureSnapshot).where(FigureSnapshot.scope == NATION,
                                                      FigureSnapshot.level == "nation"))
    if top is not None:
        values = _complete(top.values)
        return {k: values[k] for k in HEADLINE}, top.computed_at
    return {f.key: sum(f.compute().values()) for f in figures.FIGURES if f.key in HEADLINE}, None


def province(code: str, session: Session | None = None) -> View:
    """One province's figures and those of its counties that have rows."""
    session = session or db.session
    rows = _stored(session, FigureSnapshot.scope.in_((NATION, code))
                   | ((FigureSnapshot.level == "county") & FigureSnapshot.scope.startswith(code)))
    if not any(r.level == "nation" for r in rows):
        return _live(province=code)
    return View(provinces={r.scope: _complete(r.values) for r in rows if r.level == "province"},
                counties={r.scope: _complete(r.values) for r in rows if r.level == "county"},
                computed_at=next(r.computed_at for r in rows if r.level == "nation"))


def county(code: str, session: Session | None = None) -> View:
    session = session or db.session
    rows = _stored(session, FigureSnapshot.scope.in_((NATION, code)))
    if not any(r.level == "nation" for r in rows):
        return _live(county=code)
    return View(counties={code: _complete(next((r.values for r in rows if r.scope == code),
                                               {}))},
                computed_at=next(r.computed_at for r in rows if r.level == "nation"))
