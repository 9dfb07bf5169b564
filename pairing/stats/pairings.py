"""Figures and open-data tables of the pairings: what enterprises committed to villages and
what the villages confirmed as delivered, by mechanism, and how far the poorest villages
are covered.

Delivered means: progress reports the village confirmed, or that a verifier upheld after a
dispute (states "confirmed" and "upheld"). Reports waiting for an answer, disputed,
rejected or withdrawn (the matched gift behind them was refunded) are not delivered.
Amounts are recomputed from the reports, not read from the pairing's running total.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from solver.taxonomy import KINDS, MECHANISMS

from .. import inputs
from ..db import local_date
from ..enterprises.kinds import MECHANISM_LABELS
from ..enterprises.kinds import MONEY_KINDS as MONEY
from ..enterprises.kinds import PEOPLE_KINDS as PEOPLE
from ..enterprises.models import Offer
from ..extensions import db
from ..matching.models import Pairing, ProgressReport
from ..needs.models import Need
from ..places.models import County, Village
from . import services
from .figures import Figure, _grouped, in_unit
from .figures import register as register_figure
from .opendata import Dataset, Row
from .opendata import register as register_dataset

DELIVERED = ("confirmed", "upheld")


def _committed(kinds: list[str]) -> dict[str, int]:
    return _grouped(select(Village.county_code, func.sum(Pairing.quantity))
                    .select_from(Pairing).join(Pairing.need).join(Need.village)
                    .where(Need.kind.in_(kinds)).group_by(Village.county_code))


def _delivered(kinds: list[str]) -> dict[str, int]:
    return _grouped(select(Village.county_code, func.sum(ProgressReport.quantity))
                    .select_from(ProgressReport).join(ProgressReport.pairing)
                    .join(Pairing.need).join(Need.village)
                    .where(Need.kind.in_(kinds), ProgressReport.status.in_(DELIVERED))
                    .group_by(Village.county_code))


FIGURES = [
    Figure("pairings", _l("Pairings"),
           _l("Pairings both sides accepted (active, fulfilled or lapsed), counted in the "
              "village's province."),
           "pairings", lambda: _grouped(
               select(Village.county_code, func.count()).select_from(Pairing)
               .join(Pairing.need).join(Need.village).group_by(Village.county_code)), group=2),
    Figure("yuan_committed", _l("Yuan committed"),
           _l("Sum of the money that enterprises committed in pairings (all money kinds)."),
           "pairings", lambda: _committed(MONEY), "yuan", group=2),
    Figure("yuan_delivered", _l("Yuan delivered"),
           _l("Sum of progress reports on money pairings that the village confirmed or a "
              "verifier upheld after a dispute; reports waiting, disputed or rejected do not "
              "count."),
           "reports", lambda: _delivered(MONEY), "yuan", group=2),
    Figure("places_committed", _l("Jobs and training places committed"),
           _l("Sum of the people committed in job and vocational-training pairings."),
           "pairings", lambda: _committed(PEOPLE), "people", group=2),
    Figure("places_filled", _l("Jobs and training places filled"),
           _l("Sum of people in progress reports on job and training pairings that the "
              "village confirmed or a verifier upheld."),
           "reports", lambda: _delivered(PEOPLE), "people", group=2),
]


@dataclass(frozen=True)
class Mechanism:
    key: str
    label: object
    money: bool
    committed: int  # fen or people
    delivered: int

    def shown(self, value: int) -> int:
        return in_unit(value, self.money)


def by_mechanism() -> list[Mechanism]:
    committed = dict(db.session.execute(
        select(Need.kind, func.sum(Pairing.quantity)).select_from(Pairing).join(Pairing.need)
        .group_by(Need.kind)).all())
    delivered = dict(db.session.execute(
        select(Need.kind, func.sum(ProgressReport.quantity)).select_from(ProgressReport)
        .join(ProgressReport.pairing).join(Pairing.need)
        .where(ProgressReport.status.in_(DELIVERED)).group_by(Need.kind)).all())
    out = []
    for mech in MECHANISMS:
        kinds = [k for k, (m, _u) in KINDS.items() if m == mech]
        out.append(Mechanism(mech, MECHANISM_LABELS[mech], all(k in MONEY for k in kinds),
                             sum(int(committed.get(k) or 0) for k in kinds),
                             sum(int(delivered.get(k) or 0) for k in kinds)))
    return out


@dataclass(frozen=True)
class Coverage:
    decile: int
    villages: int
    paired: int


def coverage() -> list[Coverage]:
    """Per poverty decile (10 = poorest): verified villages, and those with a pairing."""
    sub = services.decile_of_villages()
    paired = (select(Need.village_id).join(Pairing, Pairing.need_id == Need.id)
              .distinct().subquery())
    rows = db.session.execute(
        select(sub.c.decile, func.count(), func.count(paired.c.village_id))
        .select_from(sub).outerjoin(paired, paired.c.village_id == sub.c.village_id)
        .group_by(sub.c.decile).order_by(sub.c.decile.desc()))
    return [Coverage(int(d), int(n), int(p)) for d, n, p in rows]


def public_pairings() -> Select:
    return (select(Pairing).join(Pairing.need).join(Need.village).join(Village.county)
            .join(Pairing.offer).join(Offer.enterprise)
            .options(selectinload(Pairing.need).selectinload(Need.village)
                     .selectinload(Village.county),
                     selectinload(Pairing.offer).selectinload(Offer.enterprise)))


def delivered_of(pairing_ids: list[int]) -> dict[int, int]:
    if not pairing_ids:
        return {}
    return {pid: int(q) for pid, q in db.session.execute(
        select(ProgressReport.pairing_id, func.sum(ProgressReport.quantity))
        .where(ProgressReport.pairing_id.in_(pairing_ids),
               ProgressReport.status.in_(DELIVERED)).group_by(ProgressReport.pairing_id))}


def _number(args: dict[str, str], key: str) -> int | None:
    return inputs.number(args.get(key))


def _filtered(query: Select, args: dict[str, str]) -> Select:
    if args.get("county"):
        query = query.where(Village.county_code == args["county"])
    elif args.get("province"):
        query = query.where(County.province_code == args["province"])
    if _number(args, "village") is not None:
        query = query.where(Need.village_id == _number(args, "village"))
    if _number(args, "pairing") is not None:
        query = query.where(Pairing.id == _number(args, "pairing"))
    return query


def pairing_rows(args: dict[str, str]) -> Iterator[Row]:
    query = _filtered(public_pairings(), args).order_by(Pairing.id)
    # In batches, so that a download's memory does not grow with the number of pairings.
    for items in db.session.scalars(query.execution_options(yield_per=1000)).partitions():
        delivered = delivered_of([p.id for p in items])
        for p in items:
            v, e = p.need.village, p.offer.enterprise
            yield [p.id, e.id, e.name, v.id, v.name, v.county.province_code, v.county_code,
                   p.need.kind, KINDS[p.need.kind][0], p.quantity, delivered.get(p.id, 0),
                   "people" if p.need.kind in PEOPLE else "fen", p.status,
                   p.starts_on.isoformat(), p.ends_on.isoformat()]


def report_rows(args: dict[str, str]) -> Iterator[Row]:
    query = _filtered(public_pairings().with_only_columns(Pairing.id), args)
    reports = db.session.scalars(
        select(ProgressReport).where(ProgressReport.pairing_id.in_(query.scalar_subquery()))
        .options(selectinload(ProgressReport.pairing).selectinload(Pairing.need)
                 .selectinload(Need.village))
        .order_by(ProgressReport.pairing_id, ProgressReport.id))
    for r in reports:
        need = r.pairing.need
        yield [r.id, r.pairing_id, need.village.name, need.kind, r.quantity,
               "people" if need.kind in PEOPLE else "fen", r.delivered_on.isoformat(),
               r.status, r.status in DELIVERED,
               local_date(r.answered_at).isoformat() if r.answered_at else ""]


DATASETS = [
    Dataset("pairings", ["id", "enterprise_id", "enterprise", "village_id", "village",
                         "province_code", "county_code", "kind", "mechanism", "quantity",
                         "delivered", "unit", "status", "starts_on", "ends_on"], pairing_rows,
            _l("A pairing an enterprise and a village accepted: what was committed and how much of it "
               "was delivered; money in fen, jobs and training in people.")),
    Dataset("reports", ["id", "pairing_id", "village", "kind", "quantity", "unit",
                        "delivered_on", "status", "counts_as_delivered", "answered_on"],
            report_rows, _l("A progress report on a pairing: what was delivered when, and whether the village "
                            "confirmed it; money in fen, jobs and training in people.")),
]

for _figure in FIGURES:
    register_figure(_figure)
for _dataset in DATASETS:
    register_dataset(_dataset)

