"""The columns copied onto offers and needs for the public lists stay right through
verification, rejection, resubmission, moves and withdrawals; short and long searches."""

from __future__ import annotations

from datetime import date

import pytest
from enterprises import factories as f
from sqlalchemy import select, text

import support
from pairing.accounts.models import User
from pairing.enterprises import browse
from pairing.enterprises import services as enterprises
from pairing.enterprises.models import Offer, SearchGram
from pairing.extensions import db
from pairing.needs import browse as needs_browse
from pairing.needs import services as needs
from pairing.needs.models import Need
from pairing.pages import KeysetPage
from pairing.places import villages
from pairing.places.models import Village

JISHOU = "433101"  # 吉首市, Hunan: still inside the verifier's province


def _user(ref) -> User:  # noqa: ANN001
    return db.session.get(User, ref.id)


def _listing(row: Offer | Need) -> tuple:
    db.session.flush()
    db.session.refresh(row)  # what the database holds, not what Python set
    return row.county_code, row.province_code, row.mechanism, row.public


def _enterprise(**kw) -> dict:
    data = {"name": "湖南湘西茶业有限公司", "credit_code": f.code(), "county_code": f.HUAYUAN,
            "sector": "C", "employees": 80, "contact_name": "", "contact_phone": "",
            "description": "黄金茶加工"}
    data.update(kw)
    return data


def _village(**kw) -> dict:
    data = {"name": "排碧村", "county_code": f.HUAYUAN, "population": 1200, "households": 300,
            "poor_households": 90, "poor_population": 350, "income_per_capita": 3500,
            "deep_poverty": False, "description": "茶叶、猕猴桃"}
    data.update(kw)
    return data


def test_offer_follows_its_enterprise(app, make_user):
    officer = make_user("enterprise")
    verifier = make_user("verifier", jurisdiction="43")
    with app.app_context():
        e = enterprises.register_enterprise(_user(officer), _enterprise())
        o = enterprises.create_offer(_user(officer), e, {
            "kind": "jobs", "quantity": 30, "max_villages": 2, "provinces": [],
            "starts_on": date(2026, 1, 1), "ends_on": None, "description": "采茶工岗位"})
        assert _listing(o) == (f.HUAYUAN, "43", "employment", False)  # pending: not public
        enterprises.verify_enterprise(_user(verifier), e, False, "执照不清")
        assert _listing(o)[3] is False  # rejected
        enterprises.update_enterprise(_user(officer), e, _enterprise(
            credit_code=e.credit_code, county_code=JISHOU))
        assert _listing(o) == (JISHOU, "43", "employment", False)  # resubmitted, moved
        assert e.province_code == "43"
        enterprises.verify_enterprise(_user(verifier), e, True)
        assert _listing(o)[3] is True
        enterprises.update_enterprise(_user(officer), e, _enterprise(
            credit_code=e.credit_code, county_code=JISHOU, employees=90))
        assert _listing(o)[3] is False  # any change goes back to the verifier
        enterprises.verify_enterprise(_user(verifier), e, True)
        enterprises.withdraw_offer(_user(officer), o)
        assert _listing(o)[3] is False
        db.session.commit()


def test_need_follows_its_village(app, make_user):
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="43")
    with app.app_context():
        v = villages.register_village(_user(secretary), _village())
        n = needs.create_need(_user(secretary), v, {
            "kind": "infrastructure", "quantity": 5_000_000, "priority": 3, "sector": None,
            "description": "产业路硬化"})
        assert _listing(n) == (f.HUAYUAN, "43", "welfare", False)
        villages.verify_village(_user(verifier), v, True)
        assert _listing(n)[3] is True
        villages.update_village(_user(secretary), v, _village(county_code=JISHOU))
        assert _listing(n) == (JISHOU, "43", "welfare", False)  # back to pending
        villages.verify_village(_user(verifier), v, False, "人口数据有误")
        assert _listing(n)[3] is False
        villages.update_village(_user(secretary), v, _village(county_code=JISHOU,
                                                               population=1250))
        villages.verify_village(_user(verifier), v, True)
        assert _listing(n)[3] is True
        n.met_quantity = n.quantity  # as the pairing services will
        n.status = needs.status_for(n)
        assert _listing(n)[3] is False  # met: off the public lists
        db.session.commit()


def _ids(page: KeysetPage) -> list[int]:
    return [row.id for row in page.items]


@pytest.mark.parametrize("q, found", [
    ("茶", True), ("茶青", True), ("高山茶青", True), ("青茶", False), ("收购高山茶青", True),
    ("安吉", True), ("白茶产业", True), ("山白", False), ("x", False)])
def test_short_and_long_searches_of_offers(app, q, found):
    tea = f.offer(app, f.enterprise(app, None, name="安吉白茶产业发展有限公司"),
                  description="收购高山茶青")
    f.offer(app, f.enterprise(app, None, name="待审茶企", status="pending"),
            description="收购高山茶青")
    with app.app_context():
        assert _ids(browse.offers(browse.Filters(q=q))) == ([tea] if found else [])


def test_search_follows_edits_and_deletes(app, make_user):
    officer = make_user("enterprise")
    offer_id = f.offer(app, f.enterprise(app, officer.id, name="黔东南苗绣有限公司"),
                       description="收购苗绣")
    with app.app_context():
        o = db.session.get(Offer, offer_id)
        assert _ids(browse.offers(browse.Filters(q="苗绣"))) == [o.id]
        enterprises.update_offer(_user(officer), o, {
            "kind": "procurement", "quantity": o.quantity, "max_villages": 1, "provinces": [],
            "starts_on": o.starts_on, "ends_on": None, "description": "收购蜡染"})
        db.session.commit()
        assert _ids(browse.offers(browse.Filters(q="蜡染"))) == [o.id]
        assert _ids(browse.offers(browse.Filters(q="收购蜡染"))) == [o.id]
        assert _ids(browse.offers(browse.Filters(q="绣"))) == [o.id]  # still in the name
        assert _ids(browse.offers(browse.Filters(q="收购苗绣"))) == []
        db.session.delete(o)
        db.session.commit()
        assert db.session.scalars(select(SearchGram).where(
            SearchGram.source == "offers.text")).all() == []


@pytest.mark.parametrize("q", ["十八", "洞", "十八洞村", "猕猴桃"])
def test_short_and_long_searches_of_villages_and_needs(app, q):
    v = f.village(app, None, description="发展猕猴桃产业")
    f.village(app, None, name="待审村", status="pending", description="十八洞猕猴桃")
    n = f.need(app, v, description="冷库")
    with app.app_context():
        assert _ids(needs_browse.villages(browse.Filters(q=q))) == [v]
        expected = [n] if q != "猕猴桃" else []  # needs match their village's name only
        assert _ids(needs_browse.needs(browse.Filters(q=q))) == expected


def test_filters_use_copied_columns(app):
    hunan = f.village(app, None, county=f.HUAYUAN)
    sichuan = f.village(app, None, county=f.ZHAOJUE, name="三河村")
    f.need(app, hunan, kind="jobs")
    road = f.need(app, sichuan, kind="infrastructure")
    with app.app_context():
        assert _ids(needs_browse.needs(browse.Filters(province="51"))) == [road]
        assert _ids(needs_browse.needs(browse.Filters(mechanism="welfare"))) == [road]
        assert _ids(needs_browse.villages(browse.Filters(kind="jobs"))) == [hunan]
        assert _ids(needs_browse.villages(browse.Filters(province="51", kind="jobs"))) == []
        assert db.session.get(Village, sichuan).province_code == "51"


@pytest.mark.skipif(support.BACKEND != "sqlite", reason="FTS5 is SQLite's trigram index")
def test_sqlite_fts_tables_follow_the_rows(app):
    offer_id = f.offer(app, f.enterprise(app, None), description="收购高山茶青")
    with app.app_context():
        def found(phrase: str) -> list[int]:
            return db.session.scalars(text("SELECT rowid FROM offers_fts WHERE offers_fts"
                                           " MATCH :q"), {"q": f'"{phrase}"'}).all()

        assert found("高山茶") == [offer_id]
        db.session.get(Offer, offer_id).description = "收购蜂蜜"
        db.session.commit()
        assert found("高山茶") == [] and found("购蜂蜜") == [offer_id]
        db.session.delete(db.session.get(Offer, offer_id))
        db.session.commit()
        assert found("购蜂蜜") == []


@pytest.mark.parametrize("old, new", [("苗", "瑶"), ("苗绣坊", "瑶绣坊")])
def test_offers_and_needs_follow_their_owners_new_name(app, old, new):
    """The owner's name is part of an offer's or need's searched text: renaming the
    enterprise or the village moves its rows from the old name's search to the new one's."""
    company = f.enterprise(app, None, name=f"{old}有限公司")
    offer = f.offer(app, company, description="收购")
    village = f.village(app, None, name=f"{old}村")
    need = f.need(app, village, description="冷库")
    with app.app_context():
        assert _ids(browse.offers(browse.Filters(q=old))) == [offer]
        assert _ids(needs_browse.needs(browse.Filters(q=old))) == [need]
        db.session.get(type(db.session.get(Offer, offer).enterprise), company).name = \
            f"{new}有限公司"
        db.session.get(Village, village).name = f"{new}村"
        db.session.commit()
        assert _ids(browse.offers(browse.Filters(q=old))) == []
        assert _ids(needs_browse.needs(browse.Filters(q=old))) == []
        assert _ids(browse.offers(browse.Filters(q=new))) == [offer]
        assert _ids(needs_browse.needs(browse.Filters(q=new))) == [need]


@pytest.mark.parametrize("q", ["茶 叶", "50%", "a_b", "收购茶"])
def test_long_searches_match_the_whole_text_literally(app, q):
    """3+ characters: a row must hold every 2-character piece of q and then q itself, so
    a blank inside q, or % and _, match as written; a text holding each piece of q apart
    (购茶 and 收购 in "购茶叶，收购") is not a match."""
    hit = f.offer(app, f.enterprise(app, None, name="某某有限公司"),
                  description=f"收购{q}，长期")
    f.offer(app, f.enterprise(app, None, name="另一有限公司"),
            description="购茶叶，收购 a-b 茶、叶 500")
    with app.app_context():
        assert _ids(browse.offers(browse.Filters(q=q))) == [hit]


def test_list_counts_stop_at_the_list_cap(app, monkeypatch, client):
    """Lists count to their cap, searches to a lower one (each match counted is a join of
    its pieces and a check of its text)."""
    monkeypatch.setattr(browse, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(browse, "SEARCH_COUNT_CAP", 2)
    company = f.enterprise(app, None, name="山茶有限公司")
    for _ in range(3):
        f.offer(app, company, description="收购茶青")
    f.offer(app, company, description="核桃 500 斤")
    with app.app_context():
        page = browse.offers(browse.Filters(q="茶"))
        assert (page.total, page.capped, len(page.items)) == (2, True, 4)
        page = browse.offers(browse.Filters())
        assert (page.total, page.capped, len(page.items)) == (3, True, 4)
        page = browse.offers(browse.Filters(q="核桃"))
        assert (page.total, page.capped, len(page.items)) == (1, False, 1)
    client.set_cookie("lang", "en")
    assert "More than 3 found" in client.get("/offers").get_data(as_text=True)
    assert "More than 2 found" in client.get("/offers?q=茶").get_data(as_text=True)
