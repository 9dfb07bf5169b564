"""National-scale data for load tests: 130,000 villages and 110,000 enterprises in real
counties, with their offers and needs (`flask demo load --scale national`).

Enterprises sit mostly in the east, villages mostly in the west and centre (as in the
programme); almost all are verified so the public pages have the full load. Rows go in
with bulk inserts of a few thousand at a time; nothing is loaded twice. The loader lives
in needs, the highest of the areas whose rows it writes (places, enterprises, needs).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import date

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, DropIndex

from ..db import utcnow
from ..enterprises import credit_code
from ..enterprises.kinds import KINDS, is_money, mechanism
from ..enterprises.models import SECTORS, Enterprise, Offer, SearchGram, grams
from ..extensions import db
from ..places.models import County, Village
from ..places.services import load_reference_data
from .models import Need

VILLAGES = 130_000
ENTERPRISES = 110_000
EAST = {"11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46"}
WEST = {"15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
SYLLABLES = "安平石河龙凤山水桥坪沟坝岭田塘湾寨溪林花泉坡口台堡营庄新和兴民乐福丰红青白金云松柏竹梅杨黄马高"
PRODUCTS = ["茶叶", "猕猴桃", "核桃", "花椒", "中药材", "马铃薯", "牛羊养殖", "蜂蜜", "食用菌", "脐橙",
            "苹果", "刺绣", "油茶", "辣椒", "生猪养殖", "乡村旅游"]
TRADES = {"A": "农业发展", "C": "食品", "E": "建设", "F": "商贸", "G": "物流", "I": "科技",
          "L": "人力资源", "P": "职业培训", "Q": "健康产业", "R": "文旅"}
KIND_WEIGHTS = {"investment": 15, "procurement": 15, "ecommerce": 10, "jobs": 15,
                "training": 10, "donation": 15, "infrastructure": 8, "education": 7,
                "medical": 5}


def _chunks(rows: list[dict], size: int = 5000) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _bulk(session: Session, model: type, rows: list[dict]) -> None:
    """Insert in chunks; on PostgreSQL the secondary indexes are dropped first and built
    once at the end (maintaining a GIN index row by row is what makes loads slow)."""
    table = model.__table__  # type: ignore[attr-defined]
    gin = list(table.indexes) if session.get_bind().dialect.name == "postgresql" else []
    for index in gin:
        session.execute(DropIndex(index, if_exists=True))
    if gin:  # PostgreSQL: COPY is several times faster than INSERT ... VALUES
        columns = list(rows[0])
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    else:
        for chunk in _chunks(rows):
            session.execute(insert(model), chunk)
    for index in gin:
        session.execute(CreateIndex(index))


def _load_grams(session: Session,
                tables: list[tuple[str, int, Iterator[list[str | None]]]]) -> int:
    """search_grams for the bulk rows (ids are consecutive from `first`; each row's
    searched texts, as pairing/needs/listing.py writes them), streamed."""
    def rows() -> Iterator[tuple[str, str, int]]:
        for table, first, texts in tables:
            for offset, row_texts in enumerate(texts):
                found: set[str] = set()
                for value in row_texts:
                    found |= grams(value)
                for gram in found:
                    yield f"{table}.text", gram, first + offset

    count = 0
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE search_grams DROP CONSTRAINT pk_search_grams"))
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy("COPY search_grams (source, gram, ref_id) FROM STDIN") as copy:
            for row in rows():
                copy.write_row(row)
                count += 1
        session.execute(text("ALTER TABLE search_grams ADD CONSTRAINT pk_search_grams"
                             " PRIMARY KEY (source, gram, ref_id)"))
        return count
    batch: list[dict] = []
    for source, gram, ref_id in rows():
        batch.append({"source": source, "gram": gram, "ref_id": ref_id})
        if len(batch) == 5000:
            session.execute(insert(SearchGram), batch)
            count, batch = count + len(batch), []
    if batch:
        session.execute(insert(SearchGram), batch)
    return count + len(batch)


def _quantity(rng: random.Random, kind: str) -> int:
    if is_money(kind):
        yuan = int(rng.lognormvariate(12.6, 1.1))  # median about 300,000 yuan
        return max(10_000, min(yuan, 500_000_000) // 1000 * 1000) * 100
    return max(1, min(int(rng.lognormvariate(3.0, 0.9)), 5000))


def _kind(rng: random.Random) -> str:
    return rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]


def _listing(owner: dict, kind: str, public: bool) -> dict:
    """The columns listing.py keeps for ORM writes (bulk rows bypass it)."""
    return {"county_code": owner["county_code"], "province_code": owner["county_code"][:2],
            "mechanism": mechanism(kind), "public": public}


def load_national(echo: Callable[[str], None] = print, session: Session | None = None,
                  villages: int = VILLAGES, enterprises: int = ENTERPRISES,
                  seed: int = 2020) -> None:
    session = session or db.session
    started = time.monotonic()
    load_reference_data(session)
    if (session.scalar(select(func.count()).select_from(Village)) or 0) >= villages:
        echo("national data already loaded: nothing changed")
        return
    rng = random.Random(seed)
    counties = session.execute(select(County.code, County.province_code)).all()
    west = [c for c, p in counties if p in WEST]
    central = [c for c, p in counties if p not in WEST and p not in EAST]
    east = [c for c, p in counties if p in EAST]
    now = utcnow()
    start = date(now.year, 1, 1)

    taken = set(session.execute(select(Village.county_code, Village.name)).all())
    first_village = (session.scalar(select(func.max(Village.id))) or 0) + 1
    rows = []
    for _ in range(villages):
        county = rng.choice(west if rng.random() < 0.7 else central)
        while True:
            name = "".join(rng.sample(SYLLABLES, 2)) + "村"
            if (county, name) not in taken:
                break
            name = "".join(rng.sample(SYLLABLES, 3)) + "村"
            if (county, name) not in taken:
                break
        taken.add((county, name))
        population = rng.randint(400, 4000)
        households = max(1, round(population / rng.uniform(3.2, 4.3)))
        poor_households = round(households * rng.uniform(0.05, 0.45))
        products = "、".join(rng.sample(PRODUCTS, 2))
        rows.append({
            "name": name, "county_code": county, "province_code": county[:2],
            "population": population,
            "households": households, "poor_households": poor_households,
            "poor_population": min(population, round(poor_households * rng.uniform(3.0, 4.2))),
            "income_per_capita": rng.randint(2300, 7000), "deep_poverty": rng.random() < 0.2,
            "description": f"主要产业：{products}",
            "status": "verified" if rng.random() < 0.95 else "pending",
            "reject_reason": "", "created_at": now, "updated_at": now})
    _bulk(session, Village, rows)
    echo(f"villages: {villages:,} ({time.monotonic() - started:.0f} s)")

    village_rows = rows  # needs copy their village's place and status
    first_enterprise = (session.scalar(select(func.max(Enterprise.id))) or 0) + 1
    rows = []
    for number in range(enterprises):
        r = rng.random()
        county = rng.choice(east if r < 0.7 else central if r < 0.9 else west)
        sector = rng.choice(list(TRADES))
        rows.append({
            # "N" + serial keeps national codes apart from the demo's random ones.
            "name": "".join(rng.sample(SYLLABLES, 2)) + TRADES[sector]
            + rng.choice(["有限公司", "股份有限公司", "集团有限公司"]),
            "credit_code": credit_code.make("91", county, f"N{number:08d}"),
            "county_code": county, "province_code": county[:2], "sector": sector, "employees": int(rng.lognormvariate(5, 1.2)),
            "contact_name": "", "contact_phone": "", "description": f"{SECTORS[sector]}",
            "status": "verified" if rng.random() < 0.95 else "pending", "reject_reason": "",
            "created_at": now, "updated_at": now})
    _bulk(session, Enterprise, rows)
    echo(f"enterprises: {enterprises:,} ({time.monotonic() - started:.0f} s)")

    enterprise_rows, rows = rows, []
    first_offer = (session.scalar(select(func.max(Offer.id))) or 0) + 1
    for enterprise_id in range(first_enterprise, first_enterprise + enterprises):
        owner = enterprise_rows[enterprise_id - first_enterprise]
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            kind = _kind(rng)
            provinces = ",".join(sorted(rng.sample(sorted(WEST), rng.randint(1, 3)))) \
                if rng.random() < 0.33 else ""
            rows.append({
                "enterprise_id": enterprise_id, "kind": kind, "quantity": _quantity(rng, kind),
                "paired_quantity": 0, "max_villages": rng.choice((1, 2, 3, 5, 10, 20)),
                "provinces": provinces, "starts_on": start, "ends_on": None,
                "description": f"{rng.choice(PRODUCTS)}{'收购' if kind == 'procurement' else '帮扶'}",
                "status": "active", "created_at": now, "updated_at": now,
                **_listing(owner, kind, owner["status"] == "verified")})
    _bulk(session, Offer, rows)
    echo(f"offers: {len(rows):,} ({time.monotonic() - started:.0f} s)")
    offer_rows = rows
    first_need = (session.scalar(select(func.max(Need.id))) or 0) + 1

    rows = []
    for village_id in range(first_village, first_village + villages):
        owner = village_rows[village_id - first_village]
        for _ in range(rng.choice((1, 2, 2, 3))):
            kind = _kind(rng)
            product = rng.choice(PRODUCTS)
            rows.append({
                "village_id": village_id, "kind": kind, "quantity": _quantity(rng, kind),
                "met_quantity": 0, "priority": rng.choice((1, 2, 2, 3)),
                "sector": rng.choice(("A", "C", "F")) if mechanism(kind) == "industry"
                and rng.random() < 0.5 else None,
                "description": f"{product}{'销路' if kind == 'procurement' else '项目'}",
                "status": "open", "created_at": now, "updated_at": now,
                **_listing(owner, kind, owner["status"] == "verified")})
    _bulk(session, Need, rows)
    echo(f"needs: {len(rows):,} ({time.monotonic() - started:.0f} s)")
    need_rows = rows
    count = _load_grams(session, [
        ("villages", first_village, ([r["name"], r["description"]] for r in village_rows)),
        ("enterprises", first_enterprise,
         ([r["name"], r["description"]] for r in enterprise_rows)),
        ("offers", first_offer, ([r["description"], enterprise_rows[
            r["enterprise_id"] - first_enterprise]["name"]] for r in offer_rows)),
        ("needs", first_need, ([r["description"], village_rows[
            r["village_id"] - first_village]["name"]] for r in need_rows))])
    echo(f"search grams: {count:,} ({time.monotonic() - started:.0f} s)")
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        # VACUUM sets the visibility map, without which search_grams lookups are not
        # index-only (a heap visit per gram); it cannot run inside a transaction.
        with session.get_bind().connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("villages", "enterprises", "offers", "needs", "search_grams"):
                conn.execute(text(f"VACUUM (ANALYZE) {table}"))
    assert set(KINDS) == set(KIND_WEIGHTS)
    echo(f"national data loaded in {time.monotonic() - started:.0f} s")
