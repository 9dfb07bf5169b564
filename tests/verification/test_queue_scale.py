"""The verifier's queue at national scale: a fixed number of queries whatever waits (each
entry's owner, county and province come with their section's query), the oldest few of
each section shown with a sign that more wait, and on PostgreSQL the partial indexes of
what waits serve each section (migration 0036)."""

from __future__ import annotations

import re

import pytest
from enterprises import factories as f
from sqlalchemy import select

import support
from pairing.enterprises.models import Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import County
from pairing.verification import services
from support import BACKEND


def _waiting(app, count: int, start: int = 0) -> None:
    """`count` of each kind waiting in Hunan (43), each in a county of its own (the pending
    owners in other counties than the offers' and needs': none loads another's county)."""
    with app.app_context():
        counties = db.session.scalars(select(County.code).where(County.code.startswith("43"))
                                      .order_by(County.code)).all()
    for i in range(start, start + count):
        county = counties[(2 * i) % len(counties)]
        f.enterprise(app, None, status="pending", county=county, name=f"待核实企业{i}")
        f.village(app, None, status="pending", county=county, name=f"待核实村{i}")
        county = counties[(2 * i + 1) % len(counties)]
        e = f.enterprise(app, None, county=county, name=f"已核实企业{i}")
        v = f.village(app, None, county=county, name=f"已核实村{i}")
        f.offer(app, e, description=f"收购茶叶{i}")
        f.need(app, v, description=f"茶叶销路{i}")


def test_the_queue_costs_the_same_queries_for_3_or_12_entries_a_section(app, verifier_client,
                                                                        monkeypatch):
    monkeypatch.setattr(services, "LIMIT", 20)
    _waiting(app, 3)
    few = len(support.statements_of(app, verifier_client, "/verification"))
    _waiting(app, 9, start=3)
    many = support.statements_of(app, verifier_client, "/verification")
    page = verifier_client.get("/verification").get_data(as_text=True)
    assert page.count("待核实企业") == 12 and page.count("收购茶叶") >= 12
    assert len(many) == few, [s[:80] for s, _ in many]


def test_the_oldest_are_shown_and_the_page_says_more_wait(app, verifier_client,
                                                          monkeypatch):
    monkeypatch.setattr(services, "LIMIT", 3)
    _waiting(app, 4)
    page = verifier_client.get("/verification").get_data(as_text=True)
    offers = page[page.index('id="offers"'):page.index('id="needs"')]
    assert re.findall(r"收购茶叶(\d)", offers) == ["0", "1", "2"]  # oldest first
    assert '<span class="badge">3+</span>' in offers
    assert "此处显示最早的 3 条" in offers
    monkeypatch.setattr(services, "LIMIT", 4)
    page = verifier_client.get("/verification").get_data(as_text=True)
    offers = page[page.index('id="offers"'):page.index('id="needs"')]
    assert '<span class="badge">4</span>' in offers and "此处显示最早的" not in offers


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL only")
@pytest.mark.parametrize("jurisdiction", ["CN", "43", "433124"])
def test_each_section_reads_its_partial_index(app, make_user, jurisdiction):
    _waiting(app, 3)
    verifier = make_user("verifier", jurisdiction=jurisdiction)
    client = app.test_client()
    support.login(client, verifier.email)
    # Nationwide the owners' partial index of what waits; a province's or a county's staff
    # may equally be served by an owners' index led by their province or county (which
    # one PostgreSQL picks on a few test rows varies).
    place = {"CN": "", "43": "|status_province_\\w+",
             "433124": "|status_county|county_code|county_name"}[jurisdiction]
    queues = {"offers": r"ix_offers_unchecked", "needs": r"ix_needs_unchecked",
              "enterprises": rf"(ix|uq)_enterprises_(pending{place})\b",
              "villages": rf"(ix|uq)_villages_(pending{place})\b"}
    found = {}
    with app.app_context(), db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in support.statements_of(app, client, "/verification"):
            table = re.match(r"\s*SELECT .*?\sFROM\s+(\w+)", statement, re.S)
            if not table or table.group(1) not in queues or "ORDER BY" not in statement:
                continue
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement,
                                                                 parameters))
            found[table.group(1)] = bool(re.search(queues[table.group(1)], plan))
    assert found == dict.fromkeys(queues, True)


def test_each_verifier_sees_only_the_queue_of_their_jurisdiction(app, make_user):
    """place_filter: a county's verifier reads that county by equality, a province's by
    its copied province code; neither reaches past them."""
    _waiting(app, 3)  # in the first six counties of Hunan, by their order
    with app.app_context():
        first = db.session.scalars(select(County.code).where(County.code.startswith("43"))
                                   .order_by(County.code)).first()
    seen = {}
    for jurisdiction in ("43", first, "51", "CN"):
        client = app.test_client()
        support.login(client, make_user("verifier", jurisdiction=jurisdiction).email)
        page = client.get("/verification").get_data(as_text=True)
        seen[jurisdiction] = sorted(set(re.findall(r"待核实企业(\d)", page)))
    # Pending enterprise i stands in Hunan's county 2i: only the first is in `first`.
    assert seen == {"43": ["0", "1", "2"], first: ["0"], "51": [], "CN": ["0", "1", "2"]}


def test_the_home_page_counts_what_waits_without_loading_it(app, make_user, monkeypatch):
    """A verifier's home page says how many entries wait in their jurisdiction: counted in
    SQL (a national verifier's home page loaded up to 100 full entries a section to count
    them), the same number of statements for 3 or 12 a section, no entry's text read."""
    _waiting(app, 3)
    with app.app_context():
        first = db.session.scalars(select(County.code).where(County.code.startswith("43"))
                                   .order_by(County.code)).first()
    clients = {}
    for jurisdiction in ("CN", first, "51"):
        clients[jurisdiction] = app.test_client()
        support.login(clients[jurisdiction], make_user("verifier",
                                                        jurisdiction=jurisdiction).email)

    def home(jurisdiction: str) -> str:
        return clients[jurisdiction].get("/").get_data(as_text=True)

    # In `first`: pending enterprise 0 and village 0; offer 0 and need 0 are in the next.
    assert "有 12 项待核实" in home("CN") and "有 2 项待核实" in home(first)
    assert "项待核实" not in home("51") and "暂无待审核事项" in home("51")
    few = support.statements_of(app, clients["CN"], "/")
    _waiting(app, 9, start=3)
    assert "有 48 项待核实" in home("CN")
    monkeypatch.setattr(services, "HOME_CAP", 12)
    assert "待核实超过 48 项" in home("CN") and "有 2 项待核实" in home(first)
    many = support.statements_of(app, clients["CN"], "/")
    assert len(many) == len(few)
    # Counts only: no statement selects an entry's columns.
    assert not [s for s, _ in many if re.search(r"SELECT\s+(offers|needs|enterprises|villages)"
                                                r"\.id\b", s)], [s[:80] for s, _ in many]


def test_the_decisions_that_may_be_undone_cost_the_same_queries_for_2_or_8(app,
                                                                          verifier_client):
    """The "your last decisions" list names each entry decided in the last two minutes:
    one query a section, not one for each entry and another for its owner."""
    _waiting(app, 8)
    with app.app_context():
        offers = db.session.scalars(select(Offer.id).order_by(Offer.id)).all()
        needs = db.session.scalars(select(Need.id).order_by(Need.id)).all()

    def decide(key: str, ident: int) -> None:
        r = support.post(verifier_client, f"/verification/{key}/{ident}",
                         {"decision": "verify", "confirmed": "1"})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]

    for key, ids in (("offers", offers[:1]), ("needs", needs[:1])):
        for ident in ids:
            decide(key, ident)
    few = support.statements_of(app, verifier_client, "/verification")
    for key, ids in (("offers", offers[1:4]), ("needs", needs[1:4])):
        for ident in ids:
            decide(key, ident)
    many = support.statements_of(app, verifier_client, "/verification")
    page = verifier_client.get("/verification").get_data(as_text=True)
    recent = page[page.index('id="recent-decisions"'):page.index('id="enterprises"')]
    assert recent.count("已批准") == 8 and recent.count("已核实企业") == 4
    assert len(many) == len(few), [s[:80] for s, _ in many]
