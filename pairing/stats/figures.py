"""The public figures: each one a query over the rows it summarises, grouped by county.

No figure is a stored counter: every number on the dashboard, in the API and in the
downloads is recomputed from its rows, and each definition names the rows (a download)
and says in words how it is computed, so that anyone can check it.

Money figures (unit "yuan") are computed, carried and summed in fen, the ledger's unit: they
become yuan only where shown (`Figure.shown`), rounded once from the exact total of the
place shown, never per county before summing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from ..enterprises.models import Enterprise
from ..extensions import db
from ..places.models import Status, Village

ByCounty = dict[str, int]


@dataclass(frozen=True)
class Figure:
    key: str
    label: object  # lazy translatable
    how: object  # lazy translatable: how it is computed
    rows: str  # the open-data table whose rows it summarises
    compute: Callable[[], ByCounty]  # money figures: fen
    unit: str = "count"  # count | people | yuan (shown in yuan, computed in fen)
    # Where it stands on the dashboard: 0 places, 1 offers and needs, 2 pairings,
    # 3 crowdfunding, 4 the village shop.
    group: int = 0

    @property
    def money(self) -> bool:
        return self.unit == "yuan"

    def shown(self, value: int) -> int:
        return in_unit(value, self.money)


def to_yuan(fen: int) -> int:
    """Whole yuan, half a yuan rounded up: gifts of 0.99 and 0.99 yuan show as 2, not 0."""
    return (fen + 50) // 100


def in_unit(value: int, money: bool) -> int:
    """A value as shown: money (kept in fen) in whole yuan, rounded from its fen."""
    return to_yuan(value) if money else value


def shown(values: dict[str, int]) -> dict[str, int]:
    """A place's values (as a Table holds them) in the figures' units, for the API."""
    return {f.key: f.shown(values.get(f.key, 0)) for f in FIGURES}


def exact_fen(values: dict[str, int]) -> dict[str, int]:
    """A place's money figures in exact fen."""
    return {f.key: values.get(f.key, 0) for f in FIGURES if f.money}


def _grouped(stmt: Select) -> ByCounty:
    return {code: int(value or 0) for code, value in db.session.execute(stmt)}


GROUPS = {0: _l("Villages and enterprises"), 1: _l("Offers and needs"), 2: _l("Pairings"),
          3: _l("Crowdfunding for households"), 4: _l("Village shop")}


def _verified_villages(value) -> ByCounty:  # noqa: ANN001
    return _grouped(select(Village.county_code, value)
                    .where(Village.status == Status.VERIFIED).group_by(Village.county_code))


FIGURES: list[Figure] = [
    Figure("villages", _l("Villages taking part"),
           _l("Villages whose registration a county poverty-alleviation office verified. "
              "Pending and rejected registrations are not counted."),
           "villages", lambda: _verified_villages(func.count())),
    Figure("deep_poverty_villages", _l("Villages in deep-poverty areas"),
           _l("Verified villages in the deep-poverty areas (深度贫困地区) named by the State "
              "Council."),
           "villages", lambda: _grouped(
               select(Village.county_code, func.count())
               .where(Village.status == Status.VERIFIED, Village.deep_poverty.is_(True))
               .group_by(Village.county_code))),
    Figure("poor_population", _l("Registered poor people"),
           _l("Sum of the registered poor population (建档立卡贫困人口) that verified villages "
              "report."),
           "villages", lambda: _verified_villages(func.sum(Village.poor_population)),
           unit="people"),
    Figure("poor_households", _l("Registered poor households"),
           _l("Sum of the registered poor households that verified villages report."),
           "villages", lambda: _verified_villages(func.sum(Village.poor_households))),
    Figure("enterprises", _l("Enterprises taking part"),
           _l("Enterprises whose registration was verified, counted in the province of "
              "their registered address."),
           "enterprises", lambda: _grouped(
               select(Enterprise.county_code, func.count())
               .where(Enterprise.status == Status.VERIFIED)
               .group_by(Enterprise.county_code))),
]


def register(figure: Figure) -> None:
    """Later areas (offers, pairings, donations, shop) add their figures here."""
    if all(f.key != figure.key for f in FIGURES):
        FIGURES.append(figure)
        FIGURES.sort(key=lambda f: f.group)  # stable: each group keeps its own order


def by_key(key: str) -> Figure | None:
    return next((f for f in FIGURES if f.key == key), None)


@dataclass
class Table:
    """Every figure for every county that has rows; sums for provinces and the nation.
    Money is in fen here: the sums are exact."""

    counties: dict[str, dict[str, int]]

    def national(self) -> dict[str, int]:
        totals: dict[str, int] = {f.key: 0 for f in FIGURES}
        for values in self.counties.values():
            for key, value in values.items():
                totals[key] += value
        return totals

    def provinces(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: {f.key: 0 for f in FIGURES})
        for county, values in self.counties.items():
            for key, value in values.items():
                out[county[:2]][key] += value
        return dict(out)

    def within(self, province: str) -> dict[str, dict[str, int]]:
        return {c: v for c, v in self.counties.items() if c.startswith(province)}


def table(figures: Iterable[Figure] | None = None) -> Table:
    counties: dict[str, dict[str, int]] = defaultdict(lambda: {f.key: 0 for f in FIGURES})
    for figure in figures or FIGURES:
        for county, value in figure.compute().items():
            counties[county][figure.key] = value
    return Table(dict(counties))
