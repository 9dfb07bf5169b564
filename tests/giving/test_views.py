"""Giving pages: the demo path through the web, role checks, privacy of public pages."""

from __future__ import annotations

import re

from giving_helpers import PDF, figures, id_number, make_village
from giving_helpers import world as make_world
from sqlalchemy import select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving.models import Donation, HelpRequest, Household

EN = {"Accept-Language": "en"}


def test_secretary_registers_files_and_submits(app, secretary_client, make_user):
    village = make_village(app, secretary_client.user.id)
    number = id_number(3)
    page = support.post(secretary_client, "/giving/households/new", {
        "village": village, "registration_no": "431-0003", "head_name": "龙先生",
        "id_number": number, "address": "一组 3 号", "members": 3, "income_per_capita": 3100,
        "causes": ["illness"], "cadre_name": "石干部", "consent_publish": "y",
        "consent_sensitive": "y"})
    assert page.status_code == 302, page.get_data(as_text=True)[:2000]
    with app.app_context():
        hid = db.session.scalar(select(Household.id))
    detail = secretary_client.get(f"/giving/households/{hid}").get_data(as_text=True)
    assert number not in detail and number[:6] + "********" + number[-4:] in detail
    page = support.post(secretary_client, f"/giving/households/{hid}/requests/new", {
        "purpose": "education", "title": "孩子上大学的学费", "story": "考上了大学。",
        "amount": "8000", "deadline": "2099-09-01"})
    assert page.status_code == 302
    with app.app_context():
        rid = db.session.scalar(select(HelpRequest.id))
    support.post(secretary_client, f"/giving/requests/{rid}/evidence",
                 {"file": (__import__("io").BytesIO(PDF), "notice.pdf")},
                 content_type="multipart/form-data")
    support.post(secretary_client, f"/giving/requests/{rid}/submit")
    assert figures(app, rid)["status"] == "submitted"


def test_bad_id_number_gets_a_clear_message(app, secretary_client):
    make_village(app, secretary_client.user.id)
    page = support.post(secretary_client, "/giving/households/new", {
        "registration_no": "1", "head_name": "龙", "id_number": "433124197001010010",
        "members": 1, "income_per_capita": 0, "cadre_name": "x"}, headers=EN)
    assert "not a valid resident ID number" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Household.id)) is None


def test_roles_cannot_see_or_change_a_household(app, make_user, donor_client):
    w = make_world(app, make_user)
    other = app.test_client()
    other_sec = make_user("secretary")
    make_village(app, other_sec.id, name="排碧村")
    support.login(other, other_sec.email)
    for client in (donor_client, other):
        assert client.get(f"/giving/households/{w.household_id}").status_code in (403, 404)
        assert client.get(f"/giving/households/{w.household_id}/card").status_code == 404
        r = support.post(client, f"/giving/households/{w.household_id}/consent", {})
        assert r.status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Household, w.household_id).consent_publish


def test_verifier_view_is_logged(app, make_user):
    w = make_world(app, make_user, state="submitted")
    client = app.test_client()
    support.login(client, w.verifier.email)
    assert client.get(f"/giving/verify/requests/{w.request_id}").status_code == 200
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "household.viewed"))
        assert event.actor_id == w.verifier.id
    page = support.post(client, f"/giving/verify/requests/{w.request_id}",
                        {"decision": "approve", "reason": ""})
    assert page.status_code == 302 and figures(app, w.request_id)["status"] == "notice"


def test_double_click_gives_once_and_public_page_hides_personal_data(app, make_user,
                                                                    donor_client):
    w = make_world(app, make_user)
    page = donor_client.get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    form = {"amount": "50", "message": "加油", "provider": "sandbox", "fallback": "0",
            "key": key}
    first = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", form)
    second = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 5_000 and f["donors"] == 1
    public = app.test_client().get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    assert "龙德成" not in public and "龙**" in public
    assert id_number(1) not in public and "尿毒症" not in public
    assert "加油" in public
    with app.app_context():
        did = db.session.scalar(select(Donation.id))
    receipt = donor_client.get(f"/giving/receipts/{did}").get_data(as_text=True)
    assert "¥50.00" in receipt
    assert app.test_client().get(f"/giving/receipts/{did}").status_code == 302  # log in first


def test_too_large_gift_shows_remaining(app, make_user, donor_client):
    w = make_world(app, make_user, needed=20_000)
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "300", "provider": "sandbox", "fallback": "0", "key": "k" * 10},
        headers=EN, follow_redirects=True)
    assert "Only ¥200.00 is still needed" in r.get_data(as_text=True)
    assert figures(app, w.request_id)["raised"] == 0


def test_report_a_problem_without_login_is_queued_without_stopping_gifts(app, make_user,
                                                                        donor_client):
    """Issue 18: an anonymous visitor could freeze any fundraiser; now the report waits for
    a verifier and gifts go on (rate-limited per address as before)."""
    w = make_world(app, make_user)
    anon = app.test_client()
    codes = [support.post(anon, f"/crowdfunding/{w.request_id}/report",
                          {"body": "这户的情况不属实", "kind": "fraud"}).status_code
             for _ in range(7)]
    assert codes[0] == 302 and 429 in codes
    page = donor_client.get(f"/crowdfunding/{w.request_id}", headers=EN).get_data(as_text=True)
    assert "takes no gifts" not in page and 'name="key"' in page
    queue = app.test_client()
    support.login(queue, w.verifier.email)
    assert "这户的情况不属实" in queue.get("/giving/verify").get_data(as_text=True)


def test_withdrawn_consent_takes_request_off_public_pages(app, make_user):
    w = make_world(app, make_user)
    client = app.test_client()
    assert client.get(f"/crowdfunding/{w.request_id}").status_code == 200
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    support.post(sec, f"/giving/households/{w.household_id}/consent", {})
    assert client.get(f"/crowdfunding/{w.request_id}").status_code == 404
    assert f"/crowdfunding/{w.request_id}\"" not in client.get("/crowdfunding").get_data(
        as_text=True)


def test_crowdfunding_filters_and_contact_card(app, make_user):
    w = make_world(app, make_user)
    client = app.test_client()
    page = client.get("/crowdfunding?purpose=medical&province=43&sort=nearly")
    assert "为母亲治病" in page.get_data(as_text=True) and "<progress" in page.get_data(
        as_text=True)
    assert "为母亲治病" not in client.get("/crowdfunding?province=52").get_data(as_text=True)
    assert client.get("/crowdfunding.json").get_json()[0]["household"] == "龙**"
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    card = sec.get(f"/giving/households/{w.household_id}/card").get_data(as_text=True)
    assert "<svg" in card and "施金通" in card


def test_invoice_download_only_for_parties(app, make_user, donor_client):
    w = make_world(app, make_user, needed=10_000)
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "100", "provider": "sandbox", "fallback": "0", "key": "abc"})
    assert r.status_code == 302
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    import io

    r = support.post(sec, f"/giving/requests/{w.request_id}/disburse", {
        "amount": "100", "note": "住院费", "file": (io.BytesIO(PDF), "fapiao.pdf")},
        content_type="multipart/form-data")
    assert r.status_code == 302
    from pairing.giving.models import GivingFile

    with app.app_context():
        fid = db.session.scalar(select(GivingFile.id))
    assert sec.get(f"/giving/files/{fid}").data.startswith(b"%PDF")
    assert donor_client.get(f"/giving/files/{fid}").status_code == 404
    assert app.test_client().get(f"/giving/files/{fid}").status_code == 302


def test_shared_verification_queue_lists_and_decides(app, make_user):
    w = make_world(app, make_user, state="submitted")
    client = app.test_client()
    support.login(client, w.verifier.email)
    page = client.get("/verification").get_data(as_text=True)
    assert "为母亲治病" in page and "龙德成" not in page
    r = support.post(client, f"/verification/help_requests/{w.request_id}",
                     {"decision": "reject", "reason": "", "confirmed": "1"})
    assert r.status_code == 200 and figures(app, w.request_id)["status"] == "submitted"
    support.post(client, f"/verification/help_requests/{w.request_id}",
                 {"decision": "verify", "confirmed": "1"})
    assert figures(app, w.request_id)["status"] == "notice"
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    assert "为母亲治病" not in sec.get("/verification").get_data(as_text=True)


def test_secretary_sees_a_village_need_in_yuan_not_fen(app, secretary_client):
    """Needs hold money in fen: the list of needs that may become projects and the project
    form show ¥1,500,000.00 for a need of 150,000,000 fen, not the fen as yuan."""
    from pairing.needs.models import Need

    village = make_village(app, secretary_client.user.id)
    with app.app_context():
        need = Need(village_id=village, kind="infrastructure", quantity=150_000_000,
                    description="修建产业路和灌溉水渠")
        db.session.add(need)
        db.session.commit()
        need_id = need.id
    for path in ("/giving/households", f"/giving/needs/{need_id}/project"):
        page = secretary_client.get(path, headers=EN).get_data(as_text=True)
        assert "¥1,500,000.00" in page, path
        assert "150000000" not in page and "150,000,000" not in page, path


def test_place_of_a_request_reads_in_the_pages_language(app, make_user):
    """Cards and request pages name the place as the other pages do: 湖南省花垣县十八洞村 in
    Chinese, 'Hunan · 花垣县 · 十八洞村' in English (it once read in Chinese on English pages)."""
    w = make_world(app, make_user)
    client = app.test_client()
    for path in ("/crowdfunding", f"/crowdfunding/{w.request_id}"):
        en = client.get(path, headers=EN).get_data(as_text=True)
        zh = client.get(path, headers={"Accept-Language": "zh"}).get_data(as_text=True)
        assert "Hunan · 花垣县 · 十八洞村" in en and "湖南省花垣县" not in en, path
        assert "湖南省花垣县十八洞村" in zh, path
    assert client.get(f"/crowdfunding/{w.request_id}.json").json["province_en"] == "Hunan"
