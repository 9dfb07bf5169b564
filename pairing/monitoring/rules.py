"""Anti-fraud checks on a county's monitoring figures, for verifiers only.

Each rule is named, reads the county's data (figures.CountyData) and returns flags: a
village (or a household) and what looked manufactured. A flag is a reason to look, not a
finding: the verifier visits and decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from .figures import CountyData, VisitRow
from .services import Line

MIN_HOUSEHOLDS = 5       # a village's pattern means something from this many households on
CLUSTER_BAND_PCT = 10    # "just above": within 10 % above the line
CLUSTER_SHARE = 0.6      # ... for at least 60 % of the village's latest incomes
IDENTICAL_GROUP = 3      # three households with every figure the same
BULK_VISITS = 10         # visits entered by one person within ...
BULK_WINDOW = timedelta(minutes=30)
INSPECTION_WINDOW = timedelta(days=30)
INSPECTION_SHARE = 0.5   # half a village's exits of the year in the month before an inspection
INSPECTION_MIN_EXITS = 3


@dataclass(frozen=True)
class Flag:
    rule: str
    village_id: int
    detail: object  # a lazy translatable string: shown in the reader's language
    household_ids: tuple[int, ...] = ()


def _latest(visits: list[VisitRow]) -> dict[int, VisitRow]:
    latest: dict[int, VisitRow] = {}
    for v in visits:  # gathered in date order
        latest[v.household_id] = v
    return latest


def clustered_above_line(data: CountyData, line_of: Callable[[int], Line],
                         inspections: list[date]) -> list[Flag]:
    """Most of a village's latest incomes lie just above that year's line."""
    by_village: dict[int, list[VisitRow]] = defaultdict(list)
    for v in _latest(data.visits).values():
        by_village[v.village_id].append(v)
    flags = []
    for vid, latest in by_village.items():
        if len(latest) < MIN_HOUSEHOLDS:
            continue
        near = [v for v in latest if (line := line_of(v.visited_on.year).line_yuan)
                < v.income <= line + line * CLUSTER_BAND_PCT // 100]
        if len(near) >= CLUSTER_SHARE * len(latest):
            flags.append(Flag("clustered", vid, _l(
                "%(near)s of %(all)s latest incomes lie within %(pct)s %% above the line.",
                near=len(near), all=len(latest), pct=CLUSTER_BAND_PCT),
                tuple(v.household_id for v in near)))
    return flags


def identical_figures(data: CountyData, line_of: Callable[[int], Line],
                      inspections: list[date]) -> list[Flag]:
    """Several households of a village whose latest visits record exactly the same figures."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for v in _latest(data.visits).values():
        groups[(v.village_id, v.figures)].append(v.household_id)
    return [Flag("identical", vid, _l("%(n)s households record exactly the same figures.",
                                          n=len(ids)), tuple(ids))
            for (vid, _f), ids in groups.items() if len(ids) >= IDENTICAL_GROUP]


def bulk_visits(data: CountyData, line_of: Callable[[int], Line],
                inspections: list[date]) -> list[Flag]:
    """One person entered many visits within half an hour: visits written at a desk."""
    by_recorder: dict[int | None, list[VisitRow]] = defaultdict(list)
    for v in data.visits:
        by_recorder[v.recorded_by_id].append(v)
    flags: dict[int, Flag] = {}
    for visits in by_recorder.values():
        visits.sort(key=lambda v: v.recorded_at)
        start = 0
        for end, v in enumerate(visits):
            while v.recorded_at - visits[start].recorded_at > BULK_WINDOW:
                start += 1
            if end - start + 1 >= BULK_VISITS:
                burst = visits[start:end + 1]
                vid = Counter(b.village_id for b in burst).most_common(1)[0][0]
                flags[vid] = Flag("bulk", vid, _l(
                    "%(n)s visits were entered within %(m)s minutes by one person.",
                    n=len(burst), m=int(BULK_WINDOW.total_seconds() // 60)),
                    tuple(sorted({b.household_id for b in burst})))
    return list(flags.values())


def exits_before_inspection(data: CountyData, line_of: Callable[[int], Line],
                            inspections: list[date]) -> list[Flag]:
    """Most of a village's exits of a year confirmed in the month before an inspection."""
    village_of = {h.id: h.village_id for h in data.households}
    exits: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for hid, kind, _after, at in data.events:
        if kind == "exit":
            exits[village_of[hid]].append((hid, at.date()))
    flags = []
    for vid, done in exits.items():
        for day in inspections:
            year = [e for e in done if e[1].year == day.year]
            rushed = [e for e in year if day - INSPECTION_WINDOW <= e[1] <= day]
            if len(rushed) >= INSPECTION_MIN_EXITS and len(rushed) >= INSPECTION_SHARE * len(year):
                flags.append(Flag("inspection", vid, _l(
                    "%(n)s of %(all)s exits of %(year)s were confirmed in the 30 days before "
                    "the inspection of %(day)s.", n=len(rushed), all=len(year), year=day.year,
                    day=day.isoformat()), tuple(h for h, _d in rushed)))
                break
    return flags


def family_tie(data: CountyData, line_of: Callable[[int], Line],
               inspections: list[date]) -> list[Flag]:
    """A household whose registrant declared a family tie and who is also its cadre or its
    village's secretary: the person who reports on it is family."""
    return [Flag("tie", h.village_id, _l(
        "A household related to its cadre or the village's secretary (declared tie)."),
        (h.id,)) for h in data.households
        if h.family_tie and h.registered_by_id is not None
        and h.registered_by_id in (h.cadre_id, h.secretary_id)]


RULES: dict[str, tuple[object, Callable[..., list[Flag]]]] = {
    "clustered": (_l("Incomes clustered just above the line"), clustered_above_line),
    "identical": (_l("Identical figures across households"), identical_figures),
    "bulk": (_l("Visits recorded in bulk"), bulk_visits),
    "inspection": (_l("Exits just before an inspection"), exits_before_inspection),
    "tie": (_l("Family tie to the cadre or secretary"), family_tie),
}


def check(data: CountyData, line_of: Callable[[int], Line],
          inspections: list[date]) -> list[Flag]:
    return [f for _label, rule in RULES.values() for f in rule(data, line_of, inspections)]
