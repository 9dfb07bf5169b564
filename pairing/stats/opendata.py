"""Open data: the public tables as rows, written as CSV or XLSX.

Only public columns are listed here, by name: a new personal column of a model never
reaches a download by accident. Headers are stable English keys for programs; the
dashboard explains them in both languages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import downloads
from ..db import local_date
from ..enterprises.models import Enterprise
from ..extensions import db
from ..places.models import County, Village
from . import figures, services

Row = list[object]


@dataclass(frozen=True)
class Dataset:
    name: str
    header: list[str]
    rows: Callable[[dict[str, str]], Iterator[Row]]
    about: str  # what a row is, for the open-data page (a lazy translated string)


def _place(county: County) -> list[object]:
    return [county.province_code, county.province.name, county.code, county.name]


def village_rows(args: dict[str, str]) -> Iterator[Row]:
    query = services.public_villages(args.get("province", ""), args.get("county", ""))
    for v in db.session.scalars(query.options(selectinload(Village.county)
                                              .selectinload(County.province))
                                              .execution_options(yield_per=1000)):
        yield [v.id, v.name, *_place(v.county), v.population, v.households,
               v.poor_households, v.poor_population, round(v.poverty_incidence, 4),
               v.income_per_capita, v.deep_poverty,
               local_date(v.verified_at).isoformat() if v.verified_at else ""]


def enterprise_rows(args: dict[str, str]) -> Iterator[Row]:
    query = services.public_enterprises(args.get("province", ""), args.get("county", ""),
                                        args.get("sector", ""))
    for e in db.session.scalars(query.options(selectinload(Enterprise.county)
                                              .selectinload(County.province))
                                              .execution_options(yield_per=1000)):
        yield [e.id, e.name, e.credit_code, *_place(e.county), e.sector, e.employees,
               local_date(e.verified_at).isoformat() if e.verified_at else ""]


def _figure_cells(values: dict[str, int]) -> list[object]:
    """Each figure as shown (money in whole yuan), then the money figures in exact fen."""
    return [*figures.shown(values).values(), *figures.exact_fen(values).values()]


def figure_rows(args: dict[str, str]) -> Iterator[Row]:
    """One row per province, then the nation; per county within a province if asked."""
    table = figures.table()
    province = args.get("province", "")
    if province:
        names = services.counties(sorted(table.within(province)))
        for code, values in sorted(table.within(province).items()):
            county = names.get(code)
            yield [code, county.name if county else code, *_figure_cells(values)]
        return
    provinces = services.provinces()
    by_province = table.provinces()
    for code, province_row in provinces.items():
        yield [code, province_row.name, *_figure_cells(by_province.get(code, {}))]
    yield ["CN", "全国", *_figure_cells(table.national())]


PLACE = ["province_code", "province", "county_code", "county"]


def datasets() -> dict[str, Dataset]:
    return {
        "figures": Dataset("figures", ["code", "name", *(f.key for f in figures.FIGURES),
                                       *(f"{f.key}_fen" for f in figures.FIGURES if f.money)],
                           figure_rows, _l("A province (and the whole country) with every public figure; "
                                           "add ?province=43 for its counties. Money is in whole yuan, "
                                           "rounded half up from the exact amount in the columns "
                                           "ending in _fen.")),
        "villages": Dataset("villages", ["id", "name", *PLACE, "population", "households",
                                         "poor_households", "poor_population",
                                         "poverty_incidence", "income_per_capita_yuan",
                                         "deep_poverty", "verified_on"], village_rows,
                            _l("A verified village with its poverty figures.")),
        "enterprises": Dataset("enterprises", ["id", "name", "credit_code", *PLACE, "sector",
                                               "employees", "verified_on"], enterprise_rows,
                               _l("A verified enterprise: name, unified social credit code, place and sector.")),
    }


def register(dataset: Dataset) -> None:
    """Later areas add their tables (the public ledger, offers, pairings)."""
    EXTRA[dataset.name] = dataset


EXTRA: dict[str, Dataset] = {}


def find(name: str) -> Dataset | None:
    return datasets().get(name) or EXTRA.get(name)


def all_names() -> list[str]:
    return [d.name for d in all_datasets()]


def all_datasets() -> list[Dataset]:
    return [*datasets().values(), *EXTRA.values()]


def stream(dataset: Dataset, fmt: str, args: dict[str, str], filename: str) -> Response:
    """The dataset as a streamed CSV or XLSX attachment (pairing/downloads.py)."""
    return downloads.response(fmt, filename, dataset.name, dataset.header, dataset.rows(args),
                              cache="public, max-age=300")
