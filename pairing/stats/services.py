"""Queries behind the dashboard besides the figures: series over time, poverty deciles,
the rows of the open-data tables."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Float, cast, func, select

from ..db import is_sqlite
from ..enterprises.models import Enterprise
from ..extensions import db
from ..places.models import County, Province, Status, Village


def month_of(column) -> ColumnElement[str]:  # noqa: ANN001
    if is_sqlite():
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def monthly(model, column) -> list[tuple[str, int, int]]:  # noqa: ANN001
    """(month, verified that month, verified so far) for a model with a status."""
    month = month_of(column).label("month")
    rows = db.session.execute(select(month, func.count()).where(
        model.status == Status.VERIFIED, column.is_not(None)).group_by(month).order_by(month))
    series, total = [], 0
    for m, count in rows:
        total += count
        series.append((m, int(count), total))
    return series


def villages_monthly() -> list[tuple[str, int, int]]:
    return monthly(Village, Village.verified_at)


def enterprises_monthly() -> list[tuple[str, int, int]]:
    return monthly(Enterprise, Enterprise.verified_at)


@dataclass(frozen=True)
class Decile:
    decile: int  # 10: the poorest tenth of villages by poverty incidence
    villages: int
    poor_population: int
    min_incidence: float
    max_incidence: float


def incidence() -> ColumnElement[float]:
    return cast(Village.poor_population, Float) / func.nullif(Village.population, 0)


def decile_of_villages():  # noqa: ANN201
    """A subquery: (village id, decile 1..10), 10 the poorest, over verified villages."""
    rate = func.coalesce(incidence(), 0.0)
    return (select(Village.id.label("village_id"),
                   func.ntile(10).over(order_by=(rate, Village.id)).label("decile"),
                   rate.label("rate"), Village.poor_population.label("poor"))
            .where(Village.status == Status.VERIFIED).subquery())


def deciles() -> list[Decile]:
    sub = decile_of_villages()
    rows = db.session.execute(select(sub.c.decile, func.count(), func.sum(sub.c.poor),
                                     func.min(sub.c.rate), func.max(sub.c.rate))
                              .group_by(sub.c.decile).order_by(sub.c.decile.desc()))
    return [Decile(int(d), int(n), int(p or 0), float(lo or 0), float(hi or 0))
            for d, n, p, lo, hi in rows]


def provinces() -> dict[str, Province]:
    return {p.code: p for p in db.session.scalars(select(Province).order_by(Province.code))}


def counties(codes: list[str]) -> dict[str, County]:
    if not codes:
        return {}
    return {c.code: c for c in db.session.scalars(select(County).where(County.code.in_(codes)))}


def public_villages(province: str = "", county: str = ""):  # noqa: ANN201
    """Verified villages, the only ones the public sees, optionally within a place."""
    query = (select(Village).join(Village.county).where(Village.status == Status.VERIFIED)
             .order_by(Village.county_code, Village.name, Village.id))
    if county:
        query = query.where(Village.county_code == county)
    elif province:
        query = query.where(County.province_code == province)
    return query


def public_enterprises(province: str = "", county: str = "", sector: str = ""):  # noqa: ANN201
    query = (select(Enterprise).join(Enterprise.county)
             .where(Enterprise.status == Status.VERIFIED).order_by(Enterprise.name, Enterprise.id))
    if county:
        query = query.where(Enterprise.county_code == county)
    elif province:
        query = query.where(County.province_code == province)
    if sector:
        query = query.where(Enterprise.sector == sector)
    return query
