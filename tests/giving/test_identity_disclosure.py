"""A request's title and story must not tell who the household is (issue 24 item 3): the
head's name, ID numbers and phone numbers. The secretary is warned, the verifier cannot
approve, and the public page and the ledger downloads mask what was published before."""

from __future__ import annotations

import io
import uuid

import openpyxl
from giving_helpers import id_number, make_household, make_request, make_village, world

import support
from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.giving import disclosure
from pairing.giving import services as giving
from pairing.giving.models import HelpRequest

EN = {"Accept-Language": "en"}
PHONE = "13912345678"


def _retitle(app, rid, title, story):
    with app.app_context():
        req = db.session.get(HelpRequest, rid)
        req.title, req.story = title, story
        db.session.commit()


def test_the_check_finds_names_and_numbers():
    household = type("H", (), {"head_name": "张大山", "public_name": "张**"})()
    req = type("R", (), {"household": household, "title": "张大山的腿部手术",
                         "story": f"大山摔伤了，电话 {PHONE}，身份证 {id_number(3)}。"})()
    assert disclosure.identity_told(req) == ["张大山", "大山", id_number(3), PHONE]
    assert disclosure.masked(req, req.title) == "张**的腿部手术"
    story = disclosure.masked(req, req.story)
    assert "大山" not in story and PHONE not in story and "139****5678" in story
    assert id_number(3) not in story and id_number(3)[:6] in story
    req.title, req.story = "为母亲治病", "母亲需要长期透析，借款 20000 元。"
    assert disclosure.identity_told(req) == []


def test_the_secretary_is_warned_and_the_verifier_cannot_approve(app, make_user):
    secretary, verifier = make_user("secretary"), make_user("verifier", jurisdiction="43")
    household = make_household(app, secretary.id, make_village(app, secretary.id), name="张大山")
    rid = make_request(app, secretary.id, household, state="draft")
    _retitle(app, rid, "张大山的腿部手术", "腿伤需要手术。")
    with app.app_context():
        giving.submit_request(db.session.get(User, secretary.id),
                              db.session.get(HelpRequest, rid))
        db.session.commit()
    sec = app.test_client()
    support.login(sec, secretary.email)
    page = sec.get(f"/giving/requests/{rid}", headers=EN).get_data(as_text=True)
    assert "tells who the household is (张大山, 大山)" in page
    staff = app.test_client()
    support.login(staff, verifier.email)
    assert "tells who the household is" in staff.get(
        f"/giving/verify/requests/{rid}", headers=EN).get_data(as_text=True)
    r = support.post(staff, f"/giving/verify/requests/{rid}", {"decision": "approve"},
                     headers=EN, follow_redirects=True)
    assert "tells who the household is" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(HelpRequest, rid).status == "submitted"


def test_published_names_are_masked_on_the_public_page_and_in_the_ledger(app, make_user, client):
    w = world(app, make_user)  # head of household 龙德成
    _retitle(app, w.request_id, "龙德成的透析费用", f"德成每周透析三次。联系 {PHONE}。")
    donor = make_user("donor")
    with app.app_context():
        begin_write()
        giving.donate(db.session.get(User, donor.id), w.request_id, 5_000, uuid.uuid4().hex)
        db.session.commit()
    page = client.get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    assert "龙**的透析费用" in page and "139****5678" in page
    card = client.get(f"/crowdfunding/{w.request_id}.json").get_json()
    assert (card["title"], card["story"]) == ("龙**的透析费用", "**每周透析三次。联系 139****5678。")
    csv_text = client.get("/open-data/ledger.csv").get_data().decode("utf-8-sig")
    assert "龙**的透析费用" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/open-data/ledger.xlsx").get_data()))
    cells = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    assert "龙**的透析费用" in cells
    for text in (page, csv_text, cells, client.get("/ledger").get_data(as_text=True),
                 client.get(f"/ledger/requests/{w.request_id}").get_data(as_text=True)):
        assert "龙德成" not in text and "德成" not in text and PHONE not in text
