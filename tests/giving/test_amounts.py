"""Amount fields refuse what is not a plain number of yuan with a clear message, never a 500.

Decimal() takes "Infinity", "NaN" and "1e400"; quantize() then raised InvalidOperation (a
500) on the disbursement and request forms. Full-width digits, as Chinese input methods
type them, are read as digits."""

from __future__ import annotations

import io
import re

import pytest
from giving_helpers import PDF, figures
from giving_helpers import world as make_world
from sqlalchemy import func, select
from wtforms.validators import ValidationError

import support
from pairing.extensions import db
from pairing.giving.forms import to_fen
from pairing.giving.models import Disbursement, HelpRequest

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh"}
BAD = ["Infinity", "NaN", "inf", "-Infinity", "1e400", "1E2", "12.345", "0", "-5", "－５",
       "", "  ", "sNaN", "1_000", "12.", "٣"]
MESSAGE_EN = "Enter an amount in yuan, such as 100 or 12.50."


@pytest.mark.parametrize("text", BAD)
def test_to_fen_refuses(text):
    with pytest.raises(ValidationError):
        to_fen(text)


@pytest.mark.parametrize(("text", "fen"), [("100", 10_000), ("12.50", 1_250), ("12.5", 1_250),
                                           ("1,234.56", 123_456), ("¥8", 800), (" 0.01 ", 1),
                                           (".5", 50), ("１２", 1_200), ("１２．５", 1_250),
                                           ("￥８，０００", 800_000)])
def test_to_fen_takes_plain_yuan(text, fen):
    assert to_fen(text) == fen


@pytest.mark.parametrize("text", ["Infinity", "NaN", "1e400", "１e４"])
def test_new_request_form_refuses_bad_amount(app, make_user, text):
    w = make_world(app, make_user)
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    with app.app_context():
        before = db.session.scalar(select(func.count(HelpRequest.id)))
    r = support.post(sec, f"/giving/households/{w.household_id}/requests/new", {
        "purpose": "education", "title": "学费", "story": "考上了大学。", "amount": text,
        "deadline": "2099-09-01"}, headers=EN)
    assert r.status_code == 200
    assert MESSAGE_EN in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(HelpRequest.id))) == before


def _funded(app, make_user, donor_client):  # noqa: ANN001, ANN202
    """A request of 100 yuan with a gift of 100 yuan, and its secretary logged in."""
    w = make_world(app, make_user, needed=10_000)
    support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "100", "provider": "sandbox", "fallback": "0", "key": "abc"})
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    return w, sec


@pytest.mark.parametrize("text", ["Infinity", "-Infinity", "inf", "NaN", "1e400", "１e４"])
def test_disbursement_form_refuses_bad_amount(app, make_user, donor_client, text):
    w, sec = _funded(app, make_user, donor_client)
    r = support.post(sec, f"/giving/requests/{w.request_id}/disburse", {
        "amount": text, "note": "住院费", "file": (io.BytesIO(PDF), "fapiao.pdf")},
        content_type="multipart/form-data", headers=ZH, follow_redirects=True)
    assert r.status_code == 200
    assert "请输入以元为单位的金额" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Disbursement.id))) == 0
    assert figures(app, w.request_id)["disbursed"] == 0


@pytest.mark.parametrize("text", ["Infinity", "NaN", "1e400", "１e４"])
def test_donate_form_refuses_bad_amount(app, make_user, donor_client, text):
    w = make_world(app, make_user)
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": text, "provider": "sandbox", "fallback": "0", "key": "k" * 10},
        headers=EN)
    assert r.status_code == 400  # the page with the form as sent, not a redirect
    assert MESSAGE_EN in r.get_data(as_text=True) and f'value="{text}"' in r.get_data(as_text=True)
    assert figures(app, w.request_id)["raised"] == 0


def test_payout_without_invoice_names_the_field_and_keeps_the_input(app, make_user,
                                                                    donor_client):
    w, sec = _funded(app, make_user, donor_client)
    r = support.post(sec, f"/giving/requests/{w.request_id}/disburse", {
        "amount": "88.50", "note": "住院押金"}, content_type="multipart/form-data", headers=EN)
    assert r.status_code == 200  # the page with the form, not a redirect that loses it
    page = r.get_data(as_text=True)
    assert "This field is required." not in page
    assert "Choose the invoice file (PDF, JPEG or PNG)." in page
    assert 'value="88.50"' in page and 'value="住院押金"' in page
    zh = support.post(sec, f"/giving/requests/{w.request_id}/disburse", {
        "amount": "88.50", "note": ""}, content_type="multipart/form-data",
        headers=ZH).get_data(as_text=True)
    assert "发票文件" in zh and "This field is required" not in zh
    with app.app_context():
        assert db.session.scalar(select(func.count(Disbursement.id))) == 0
    reload = sec.get(f"/giving/requests/{w.request_id}/disburse")  # the address bar's URL
    assert reload.status_code == 302
    assert reload.headers["Location"].endswith(f"/giving/requests/{w.request_id}#payout")


def test_payout_refused_by_the_service_keeps_the_input(app, make_user, donor_client):
    w, sec = _funded(app, make_user, donor_client)
    r = support.post(sec, f"/giving/requests/{w.request_id}/disburse", {
        "amount": "500", "note": "住院押金", "file": (io.BytesIO(PDF), "fapiao.pdf")},
        content_type="multipart/form-data", headers=EN)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert 'value="500"' in page and 'value="住院押金"' in page
    assert figures(app, w.request_id)["disbursed"] == 0


def test_public_diagnosis_is_labelled_as_the_condition_not_a_cause(app, make_user):
    """The cause of poverty "Illness" reads 因病 (because of illness); the diagnosis shown
    with consent is the household's condition: 病情."""
    w = make_world(app, make_user)
    with app.app_context():
        db.session.get(HelpRequest, w.request_id).show_diagnosis = True
        db.session.commit()
    client = app.test_client()
    zh = client.get(f"/crowdfunding/{w.request_id}", headers=ZH).get_data(as_text=True)
    assert "<strong>病情：</strong> 尿毒症" in zh and "因病" not in zh
    en = client.get(f"/crowdfunding/{w.request_id}", headers=EN).get_data(as_text=True)
    assert "<strong>Medical condition:</strong> 尿毒症" in en


def test_donors_and_days_are_counted_in_words(app, make_user, donor_client):
    w = make_world(app, make_user, needed=100_000)
    support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "10", "provider": "sandbox", "fallback": "0", "key": "one"})
    with app.app_context():
        from pairing.db import utcnow

        req = db.session.get(HelpRequest, w.request_id)
        req.deadline = utcnow() + __import__("datetime").timedelta(days=1, hours=2)
        db.session.commit()
    client = app.test_client()
    for path in ("/crowdfunding", f"/crowdfunding/{w.request_id}"):
        en = client.get(path, headers=EN).get_data(as_text=True)
        assert re.search(r"\b1 donor\b", en) and "1 donors" not in en, path
        assert "1 day left" in en and "1 days left" not in en, path
        zh = client.get(path, headers=ZH).get_data(as_text=True)
        assert "1 位爱心人士" in zh and "剩余 1 天" in zh, path
    support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "10", "provider": "sandbox", "fallback": "0", "key": "two"})
    assert "2 donors" in client.get("/crowdfunding", headers=EN).get_data(as_text=True)


def test_village_project_card_names_the_project_once(app, make_user):
    from giving_helpers import open_project

    pid = open_project(app, make_world(app, make_user))
    client = app.test_client()
    for headers, label in ((EN, "Village project"), (ZH, "村级公益项目")):
        page = client.get("/crowdfunding", headers=headers).get_data(as_text=True)
        card = page[page.index(f'/crowdfunding/{pid}"'):]
        card = card[:card.index("</article>")]
        assert card.count(label) == 1, card
        detail = client.get(f"/crowdfunding/{pid}", headers=headers).get_data(as_text=True)
        assert detail.count(label) == 1


def test_my_gifts_are_newest_first(app, make_user, donor_client):
    from datetime import datetime

    w = make_world(app, make_user)
    for key in ("a", "b", "c"):
        support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
            "amount": "10", "provider": "sandbox", "fallback": "0", "key": key})
    from pairing.giving.models import Donation

    dates = [datetime(2026, 11, 29, 8), datetime(2025, 9, 17, 8), datetime(2026, 3, 13, 8)]
    with app.app_context():
        gifts = db.session.scalars(select(Donation).order_by(Donation.id)).all()
        assert len(gifts) == 3
        for gift, when in zip(gifts, dates, strict=True):
            gift.created_at = when
        db.session.commit()
    page = donor_client.get("/giving/my-gifts").get_data(as_text=True)
    shown = re.findall(r"<td[^>]*>(\d{4}-\d\d-\d\d)</td>", page)
    assert shown == ["2026-11-29", "2026-03-13", "2025-09-17"]


def _household_form(**changes):
    from giving_helpers import id_number

    form = {"registration_no": "431-0009", "head_name": "龙先生", "id_number": id_number(9),
            "address": "一组 3 号", "members": "3", "income_per_capita": "3100",
            "causes": ["illness"], "cadre_name": "石干部"}
    form.update(changes)
    return form


def _no_household(app):
    from pairing.giving.models import Household

    with app.app_context():
        return db.session.scalar(select(func.count(Household.id))) == 0


@pytest.mark.parametrize(("headers", "message", "wrong"), [
    (ZH, "请输入以元为单位的整数收入，例如 2800。", "数值大小必须介于"),
    (EN, "Enter the income in whole yuan, such as 2800.", "Number must be between")])
def test_income_with_decimals_gets_one_true_message(app, secretary_client, headers, message,
                                                    wrong):
    from giving_helpers import make_village

    make_village(app, secretary_client.user.id)
    r = support.post(secretary_client, "/giving/households/new",
                     _household_form(income_per_capita="1500.5"), headers=headers)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and message in page
    assert wrong not in page and "不是有效的整数" not in page and "Not a valid integer" not in page
    assert _no_household(app)
    r = support.post(secretary_client, "/giving/households/new",
                     _household_form(income_per_capita="2000000"), headers=headers)
    assert wrong in r.get_data(as_text=True) and _no_household(app)


def test_full_width_digits_are_whole_numbers(app, secretary_client):
    """Chinese input methods often type full-width digits: they read as digits."""
    from giving_helpers import make_village

    from pairing.giving.models import Household

    make_village(app, secretary_client.user.id)
    r = support.post(secretary_client, "/giving/households/new",
                     _household_form(members="３", income_per_capita="２８００"), headers=EN)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    with app.app_context():
        household = db.session.scalars(select(Household)).one()
        assert (household.members, household.income_per_capita) == (3, 2800)


@pytest.mark.parametrize(("number", "message"), [
    ("433124", "居民身份证号码为 18 位，这个号码有 6 位。"),
    ("4331241970010100101", "居民身份证号码为 18 位，这个号码有 19 位。"),
    ("43312419700101001Y", "居民身份证号码由 17 位数字加最后一位数字或 X 组成。"),
    ("433124197002300017", "出生日期（第 7 至 14 位）不存在"),
    ("433124197001010010", "请检查最后一位校验码")])
def test_id_number_message_says_what_is_wrong(app, secretary_client, number, message):
    from giving_helpers import make_village

    make_village(app, secretary_client.user.id)
    page = support.post(secretary_client, "/giving/households/new",
                        _household_form(id_number=number), headers=ZH).get_data(as_text=True)
    assert message in page
    if "校验码" not in message:
        assert "校验码" not in page
    assert _no_household(app)


def test_states_read_as_labels_in_english(app, make_user, donor_client):
    """The receipt read 'Status received'; gift and payout states are capitalised labels."""
    w = make_world(app, make_user)
    support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "10", "provider": "sandbox", "fallback": "0", "key": "cap"})
    from pairing.giving.models import Donation

    with app.app_context():
        did = db.session.scalar(select(Donation.id))
    receipt = donor_client.get(f"/giving/receipts/{did}", headers=EN).get_data(as_text=True)
    assert "<dd>Received</dd>" in receipt and ">received<" not in receipt
    gifts = donor_client.get("/giving/my-gifts", headers=EN).get_data(as_text=True)
    assert ">Received</td>" in gifts
    zh = donor_client.get(f"/giving/receipts/{did}", headers=ZH).get_data(as_text=True)
    assert "<dd>已到账</dd>" in zh
    with app.app_context():
        pid = db.session.get(Donation, did).payment_id
    payment = donor_client.get(f"/payments/{pid}", headers=EN).get_data(as_text=True)
    assert ">Received</span>" in payment
