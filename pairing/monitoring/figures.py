"""Figures of monitoring: a verifier's view per cadre and per village beside the county's,
and the public counts (county and above, small numbers suppressed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import local_date, utcnow
from ..giving.models import Household
from ..places.models import Village
from .models import CadreRating, MonitoredHousehold, StandingEvent, Visit
from .policy import _s

QUARTER = timedelta(days=91)
YEAR = timedelta(days=365)
SUPPRESS_BELOW = 5  # public counts under this are shown as "fewer than 5"


@dataclass(frozen=True)
class VisitRow:
    household_id: int
    village_id: int
    cadre_id: int | None
    visited_on: date
    income: int
    figures: tuple  # everything a visit records but its date, to compare households
    recorded_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    village_id: int
    cadre_id: int | None
    registered_by_id: int | None
    secretary_id: int | None
    family_tie: bool
    watched: bool
    standing: str


@dataclass
class CountyData:
    """What the figures and the anti-fraud rules read of one county, loaded in four queries."""
    county_code: str
    households: list[HouseholdRow] = field(default_factory=list)
    visits: list[VisitRow] = field(default_factory=list)
    events: list[tuple[int, str, bool, datetime]] = field(default_factory=list)
    ratings: list[tuple[int, int | None, int, int]] = field(default_factory=list)
    villages: dict[int, str] = field(default_factory=dict)


def gather(county_code: str, session: Session | None = None) -> CountyData:
    session = _s(session)
    data = CountyData(county_code)
    rows = session.execute(
        select(Household.id, Household.village_id, MonitoredHousehold.cadre_id,
               Household.registered_by_id, Village.secretary_id, Household.family_tie,
               MonitoredHousehold.watched, MonitoredHousehold.standing, Village.name)
        .join(Village, Village.id == Household.village_id)
        .outerjoin(MonitoredHousehold, MonitoredHousehold.household_id == Household.id)
        .where(Village.county_code == county_code).order_by(Household.id))
    cadre = {}
    for r in rows:
        data.households.append(HouseholdRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]),
                                            bool(r[6]), r[7] or "poor"))
        data.villages[r[1]] = r[8]
        cadre[r[0]] = r[2]
    ids = list(cadre)
    if not ids:
        return data
    village_of = {h.id: h.village_id for h in data.households}
    for v in session.scalars(select(Visit).where(Visit.household_id.in_(ids))
                             .order_by(Visit.visited_on, Visit.id)):
        data.visits.append(VisitRow(
            v.household_id, village_of[v.household_id], cadre[v.household_id], v.visited_on,
            v.income_per_capita,
            (v.income_per_capita, v.workers_away, v.workers_local, v.causes, v.food_clothing,
             v.schooling, v.medical, v.housing, v.water, v.shock),
            v.recorded_by_id, v.created_at))
    data.events = [tuple(r) for r in session.execute(
        select(StandingEvent.household_id, StandingEvent.kind, StandingEvent.after_exit,
               StandingEvent.at).where(StandingEvent.household_id.in_(ids)))]
    data.ratings = [tuple(r) for r in session.execute(
        select(CadreRating.household_id, CadreRating.cadre_id, CadreRating.visits,
               CadreRating.help).where(CadreRating.household_id.in_(ids)))]
    return data


@dataclass
class Row:
    """One line of the verifier's table: a village, a cadre, or the whole county."""
    label: str
    households: int = 0
    visited_share: float | None = None  # visited in the last quarter
    income_change: float | None = None  # mean change of the latest income over a year, %
    exits: int = 0
    returns: int = 0
    watched: int = 0
    rating: float | None = None
    ratings: int = 0


def _row(label: str, members: set[int], data: CountyData, now: datetime,
         cadre_id: int | None = None) -> Row:
    """A cadre's row (cadre_id given) counts the ratings of that cadre, wherever the rating
    household's cadre is now: a rating judges the cadre who did the visits."""
    row = Row(label, households=len(members))
    scores = [(v + h) / 2 for hid, c, v, h in data.ratings
              if (c == cadre_id if cadre_id is not None else hid in members)]
    row.ratings = len(scores)
    row.rating = sum(scores) / len(scores) if scores else None
    if not members:
        return row
    visits = [v for v in data.visits if v.household_id in members]
    recent = {v.household_id for v in visits if v.visited_on >= local_date(now - QUARTER)}
    row.visited_share = len(recent) / len(members)
    changes = []
    for hid in members:
        mine = [v for v in visits if v.household_id == hid]
        if not mine:
            continue
        last = mine[-1]
        earlier = [v for v in mine if v.visited_on <= last.visited_on - YEAR]
        if earlier and earlier[-1].income > 0:
            changes.append((last.income - earlier[-1].income) / earlier[-1].income * 100)
    row.income_change = sum(changes) / len(changes) if changes else None
    for hid, kind, after_exit, _at in data.events:
        if hid in members:
            row.exits += kind == "exit"
            row.returns += kind == "watch_in" and after_exit
    row.watched = sum(1 for h in data.households if h.id in members and h.watched)
    return row


def review(data: CountyData, cadre_names: Callable[[int], str], county_label: str,
           now: datetime | None = None) -> tuple[Row, list[tuple[int, Row]], list[Row]]:
    """(the county, [(village id, its row)], [a row per cadre]) of a county's data."""
    now = now or utcnow()
    by_village: dict[int, set[int]] = defaultdict(set)
    by_cadre: dict[int, set[int]] = defaultdict(set)
    for h in data.households:
        by_village[h.village_id].add(h.id)
        if h.cadre_id is not None:
            by_cadre[h.cadre_id].add(h.id)
    for _hid, cid, _v, _h in data.ratings:  # a former cadre keeps the ratings they had
        if cid is not None:
            by_cadre.setdefault(cid, set())
    county = _row(county_label, {h.id for h in data.households}, data, now)
    villages = [(vid, _row(data.villages[vid], ids, data, now))
                for vid, ids in sorted(by_village.items())]
    cadres = [_row(cadre_names(cid), ids, data, now, cadre_id=cid)
              for cid, ids in sorted(by_cadre.items())]
    return county, villages, cadres


# --- public counts ----------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    exits: int
    returns: int
    watched: int


def counts_by(level: str, session: Session | None = None,
              within: str | None = None) -> dict[str, Counts]:
    """{province or county code: counts}; `within` limits counties to one province."""
    session = _s(session)
    key = Village.province_code if level == "province" else Village.county_code
    scope = [] if within is None else [Village.province_code == within]

    def grouped(query) -> dict[str, int]:  # noqa: ANN001
        return {k: int(n) for k, n in session.execute(query.where(*scope).group_by(key))}

    events = (select(key, func.count(StandingEvent.id))
              .join(Household, Household.id == StandingEvent.household_id)
              .join(Village, Village.id == Household.village_id))
    exits = grouped(events.where(StandingEvent.kind == "exit"))
    returns = grouped(events.where(StandingEvent.kind == "watch_in",
                                   StandingEvent.after_exit.is_(True)))
    watched = grouped(select(key, func.count(MonitoredHousehold.household_id))
                      .join(Household, Household.id == MonitoredHousehold.household_id)
                      .join(Village, Village.id == Household.village_id)
                      .where(MonitoredHousehold.watched.is_(True)))
    codes: Iterable[str] = set(exits) | set(returns) | set(watched)
    return {c: Counts(exits.get(c, 0), returns.get(c, 0), watched.get(c, 0))
            for c in sorted(codes)}


def shown(n: int) -> str | int:
    """A public count, or the words for a small one (a handful of households in a county
    can be recognised by their neighbours)."""
    return n if n == 0 or n >= SUPPRESS_BELOW else "<5"
