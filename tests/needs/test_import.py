"""Spreadsheet import of villages and needs, and of offers: preview, all or nothing."""

from __future__ import annotations

import io
import re

from enterprises import factories as f
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

import support
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import Village

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
HEAD = ["county_code", "village", "population", "households", "poor_households",
        "poor_population", "income_per_capita", "kind", "quantity", "priority", "sector",
        "description"]


def _xlsx(rows: list[list[object]], head: list[str] = HEAD) -> bytes:
    book = Workbook()
    book.active.append(head)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, url, data: bytes, name: str, headers=None):  # noqa: ANN001
    return support.post(client, url, {"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data", headers=headers or EN)


def _count(app, model) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


GOOD = [["433124", "排碧村", 1200, 300, 90, 350, 3500, "procurement", "2000000", 3, "C", "茶叶销路"],
        ["433124", "排碧村", "", "", "", "", "", "jobs", "40", "高", "", "务工岗位"],
        ["522633", "加榜村", 2100, 520, 180, 700, 3100, "", "", "", "", ""]]


def test_preview_then_confirm_writes_all(app, secretary_client):
    r = _upload(secretary_client, "/villages/import", _xlsx(GOOD), "ledger.xlsx")
    page = r.get_data(as_text=True)
    assert "All 3 rows are correct" in page and _count(app, Village) == 0
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert token.startswith(f"{secretary_client.user.id}-")
    r = support.post(secretary_client, "/villages/import", {"token": token})
    assert r.status_code == 302
    assert _count(app, Village) == 2 and _count(app, Need) == 2
    with app.app_context():
        v = db.session.scalar(select(Village).where(Village.name == "排碧村"))
        assert v.secretary_id == secretary_client.user.id and v.status == "pending"


def test_one_bad_row_writes_nothing_and_is_explained_in_chinese(app, secretary_client):
    rows = [*GOOD, ["999999", "无名村", 10, 5, 1, 2, 3000, "gold", "5", 1, "", ""]]
    csv_text = "\n".join(",".join(str(c) for c in row) for row in [HEAD, *rows])
    r = _upload(secretary_client, "/villages/import", csv_text.encode("gb18030"), "ledger.csv",
                ZH)
    page = r.get_data(as_text=True)
    assert "没有代码为 999999 的县" in page and "未知的帮扶类型" in page and 'name="token"' not in page
    assert _count(app, Village) == 0 and _count(app, Need) == 0


def test_other_secretarys_village_refused(app, secretary_client):
    f.village(app, None, name="排碧村")
    r = _upload(secretary_client, "/villages/import", _xlsx(GOOD[:1]), "a.xlsx")
    assert "belongs to another secretary" in r.get_data(as_text=True)


def test_fake_and_oversized_files_refused(app, secretary_client):
    r = _upload(secretary_client, "/villages/import", b"%PDF-1.4 not a workbook", "x.xlsx")
    assert "not an .xlsx workbook" in r.get_data(as_text=True)
    r = _upload(secretary_client, "/villages/import", b"\x00\x01\x02binary", "x.csv")
    assert "not a text .csv" in r.get_data(as_text=True)
    r = _upload(secretary_client, "/villages/import", b"a,b\n", "x.exe")
    assert ".xlsx or .csv" in r.get_data(as_text=True)
    big = b"county_code\n" + b"433124\n" * 400_000
    r = _upload(secretary_client, "/villages/import", big, "x.csv")
    assert "too large" in r.get_data(as_text=True)
    assert _count(app, Village) == 0


def test_token_of_another_user_refused(app, secretary_client, make_user):
    page = _upload(secretary_client, "/villages/import", _xlsx(GOOD), "a.xlsx").get_data(
        as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    thief = app.test_client()
    support.login(thief, make_user("secretary").email)
    r = support.post(thief, "/villages/import", {"token": token}, headers=EN)
    assert "expired" in r.get_data(as_text=True) and _count(app, Village) == 0
    r = support.post(secretary_client, "/villages/import", {"token": "../../etc/passwd"},
                     headers=EN)
    assert "expired" in r.get_data(as_text=True)


def test_template_downloads_and_reads_back(app, secretary_client):
    r = secretary_client.get("/villages/import/template.xlsx", headers=ZH)
    sheet = load_workbook(io.BytesIO(r.data)).active
    assert sheet.cell(1, 2).value == "村名"
    r = _upload(secretary_client, "/villages/import", r.data, "template.xlsx")
    assert "All 2 rows are correct" in r.get_data(as_text=True)


def test_donor_and_officer_cannot_import_villages(app, donor_client, enterprise_client):
    for c in (donor_client, enterprise_client):
        assert c.get("/villages/import").status_code == 403
        assert _upload(c, "/villages/import", _xlsx(GOOD), "a.xlsx").status_code == 403


def test_offers_import(app, enterprise_client, make_user):
    mine = f.enterprise(app, enterprise_client.user.id)
    own_code = f.get(app, Enterprise, mine).credit_code
    other_code = f.get(app, Enterprise, f.enterprise(app, make_user("enterprise").id)).credit_code
    head = ["统一社会信用代码", "帮扶类型", "数量", "最多帮扶村数", "意向省份", "开始日期", "截止日期", "说明"]
    rows = [[own_code, "procurement", "5000000", 5, "52 53", "2026-01-01", "", "收购茶青"],
            [own_code, "jobs", "60", 3, "", "2026-03-01", "2026-12-31", "装配岗位"]]
    r = _upload(enterprise_client, "/offers/import",
                _xlsx([*rows, [other_code, "jobs", "5", 1, "", "2026-01-01", "", ""]], head),
                "offers.xlsx")
    assert "None of your enterprises" in r.get_data(as_text=True) and _count(app, Offer) == 0
    page = _upload(enterprise_client, "/offers/import", _xlsx(rows, head), "o.xlsx").get_data(
        as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    support.post(enterprise_client, "/offers/import", {"token": token})
    assert _count(app, Offer) == 2
    r = enterprise_client.get("/offers/import/template.csv")
    assert own_code in r.data.decode("utf-8-sig")
