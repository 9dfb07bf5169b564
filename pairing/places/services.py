"""Reference data (provinces, counties, east–west pairs) and village helpers."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, joinedload

from ..audit import services as audit
from ..auth import is_national
from ..extensions import db
from .models import County, EastWestPair, Province

ROOT = Path(__file__).resolve().parent.parent.parent
ADCODES = ROOT / "solver" / "data" / "adcodes.csv"
EAST_WEST = ROOT / "solver" / "data" / "east_west.csv"
# Statistical groupings in the code list, not places anyone lives in.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
PROVINCES_EN = Path(__file__).resolve().parent / "data" / "provinces_en.csv"


def read_adcodes(path: Path = ADCODES) -> tuple[list[dict], list[dict]]:
    """Provinces and county-level rows with coordinates filled from their parents.

    The file has 12-digit codes; a county lacking coordinates takes its city's, else its
    province's. Prefecture cities without counties (东莞, 中山, 儋州) count as counties.
    """
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with PROVINCES_EN.open(encoding="utf-8") as f:
        english = {r["code"]: r["name_en"] for r in csv.DictReader(f)}
    coords: dict[str, tuple[float, float] | None] = {}
    names: dict[str, str] = {}
    for r in rows:
        code = r["adcode"]
        names[code] = r["name"]
        coords[code] = (float(r["longitude"]), float(r["latitude"])) if r["longitude"] else None
    provinces, counties = [], []
    county_prefixes = {c[:4] for c in names if c[4:6] != "00" and c[6:] == "000000"}
    for code, name in sorted(names.items()):
        prov, city = code[:2] + "0" * 10, code[:4] + "0" * 8
        if code == prov:
            lon, lat = coords[code] or (0.0, 0.0)
            provinces.append({"code": code[:2], "name": name, "lon": lon, "lat": lat,
                              "name_en": english.get(code[:2], name)})
            continue
        is_county = code[4:6] != "00" and code[6:] == "000000"
        childless_city = code == city and code[:4] not in county_prefixes
        if not (is_county or childless_city) or name in PLACEHOLDER_NAMES:
            continue
        lon, lat = coords[code] or coords.get(city) or coords[prov] or (0.0, 0.0)
        counties.append({
            "code": code[:6], "name": name, "province_code": code[:2], "lon": lon, "lat": lat,
            "city": "" if code == city else names.get(city, ""),
        })
    return provinces, counties


def read_east_west(path: Path = EAST_WEST) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [(r["east"].strip(), r["west"].strip()) for r in csv.DictReader(f)]


def load_reference_data(session: Session | None = None) -> bool:
    """Load provinces, counties and default east–west pairs when missing. Idempotent."""
    session = session or db.session
    loaded = False
    if not session.scalar(select(func.count()).select_from(County)):
        provinces, counties = read_adcodes()
        session.execute(insert(Province), provinces)
        session.execute(insert(County), counties)
        loaded = True
    if not session.scalar(select(func.count()).select_from(EastWestPair)):
        pairs = read_east_west()
        if pairs:
            session.execute(insert(EastWestPair), [{"east_code": e, "west_code": w}
                                                  for e, w in pairs])
            loaded = True
    session.flush()
    return loaded


def east_west_pairs(session: Session | None = None) -> list[tuple[str, str]]:
    session = session or db.session
    rows = session.execute(select(EastWestPair.east_code, EastWestPair.west_code)
                           .order_by(EastWestPair.east_code, EastWestPair.west_code))
    return [(e, w) for e, w in rows]


def replace_east_west_pairs(actor: object, pairs: Iterable[tuple[str, str]],
                            session: Session | None = None) -> None:
    """A national coordinator's new list of pairs; the change is audited. (actor None: the
    operator's command line.)"""
    session = session or db.session
    if actor is not None and not is_national(actor):
        raise PermissionError("national coordinators only")
    before = east_west_pairs(session)
    wanted = sorted(set(pairs))
    known = set(session.scalars(select(Province.code)))
    for east, west in wanted:
        if east not in known or west not in known:
            raise ValueError(_l("Unknown province code in the pair %(pair)s.", pair=east + "-" + west))
        if east == west:
            raise ValueError(_l("A province cannot pair with itself: %(code)s.", code=east))
    session.execute(delete(EastWestPair))
    if wanted:
        session.execute(insert(EastWestPair), [{"east_code": e, "west_code": w}
                                              for e, w in wanted])
    audit.record(actor, "east_west.replace", object_type="east_west_pairs", object_id="all",
                 before={"pairs": [f"{e}-{w}" for e, w in before]},
                 after={"pairs": [f"{e}-{w}" for e, w in wanted]}, session=session)
    session.flush()


def provinces(session: Session | None = None) -> list[Province]:
    session = session or db.session
    return list(session.scalars(select(Province).order_by(Province.code)))


def place_names(codes: Iterable[str], locale: str,
                session: Session | None = None) -> dict[str, str]:
    """{code: display name} of the province (2-digit) and county (6-digit) codes among
    `codes`, in two queries at most; a code of no known place is left out."""
    session = session or db.session
    wanted = set(codes)
    provinces = [c for c in wanted if len(c) == 2]
    counties = [c for c in wanted if len(c) == 6]
    names: dict[str, str] = {}
    if provinces:
        names |= {p.code: p.display_name(locale) for p in session.scalars(
            select(Province).where(Province.code.in_(provinces)))}
    if counties:
        names |= {c.code: c.display_name(locale) for c in session.scalars(
            select(County).where(County.code.in_(counties))
            .options(joinedload(County.province)))}
    return names


def counties_of(province_code: str, session: Session | None = None) -> list[County]:
    session = session or db.session
    return list(session.scalars(select(County).where(County.province_code == province_code)
                                .order_by(County.code)))
