"""Spreadsheets written as people write them: the kinds' Chinese labels as the site shows
them ("就业岗位"), counties and provinces by name ("花垣县", "湖南省花垣县", "贵州、云南"),
amounts in 万. Codes keep working; an unknown or ambiguous name is explained."""

from __future__ import annotations

import re

import pytest
from enterprises import factories as f
from needs.test_import import _count, _upload, _xlsx
from sqlalchemy import select

import support
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places import lookup
from pairing.places.models import Village

HEAD_ZH = ["县", "村名", "人口", "户数", "建档立卡贫困户数", "建档立卡贫困人口", "人均纯收入",
           "需求类型", "数量", "优先级", "行业", "需求说明"]


def _confirm(client, url: str, page: str) -> None:  # noqa: ANN001
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert support.post(client, url, {"token": token}).status_code == 302


def test_needs_by_county_name_and_chinese_kind_labels(app, secretary_client):
    rows = [["湖南省花垣县", "排碧村", 1200, 300, 90, 350, 3500, "消费扶贫（采购农产品）", "200万",
             "高", "制造业", "茶叶销路"],
            ["花垣县", "排碧村", "", "", "", "", "", "就业岗位", "40人", "中", "", "务工岗位"],
            ["522633", "加榜村", 2100, 520, 180, 700, 3100, "", "", "", "", ""]]
    page = _upload(secretary_client, "/villages/import", _xlsx(rows, HEAD_ZH), "v.xlsx"
                   ).get_data(as_text=True)
    assert "All 3 rows are correct" in page, page
    _confirm(secretary_client, "/villages/import", page)
    with app.app_context():
        village = db.session.scalar(select(Village).where(Village.name == "排碧村"))
        assert village.county_code == "433124"
        needs = {n.kind: (n.quantity, n.priority, n.sector)
                 for n in db.session.scalars(select(Need))}
    assert needs == {"procurement": (200_000_000, 3, "C"), "jobs": (40, 2, None)}


def test_unknown_and_ambiguous_counties_are_explained(app, secretary_client):
    rows = [["鼓楼区", "甲村", 100, 30, 9, 35, 3500, "", "", "", "", ""],
            ["不存在县", "乙村", 100, 30, 9, 35, 3500, "", "", "", "", ""]]
    page = _upload(secretary_client, "/villages/import", _xlsx(rows, HEAD_ZH), "v.xlsx"
                   ).get_data(as_text=True)
    assert "Several counties are called “鼓楼区”" in page
    assert "No county is called “不存在县”" in page
    assert _count(app, Village) == 0


def test_offers_by_chinese_kind_and_province_names(app, enterprise_client):
    mine = f.enterprise(app, enterprise_client.user.id)
    code = f.get(app, Enterprise, mine).credit_code
    head = ["统一社会信用代码", "帮扶类型", "数量", "最多帮扶村数", "意向省份", "开始日期", "截止日期", "说明"]
    rows = [[code, "消费扶贫（采购农产品）", "50万", 5, "贵州、云南省", "2026-01-01", "", "收购茶青"],
            [code, "就业岗位", "60", 3, "湖南 52", "2026-03-01", "2026-12-31", "装配岗位"]]
    page = _upload(enterprise_client, "/offers/import", _xlsx(rows, head), "o.xlsx"
                   ).get_data(as_text=True)
    assert "None of your enterprises" not in page and "Unknown kind" not in page, page
    _confirm(enterprise_client, "/offers/import", page)
    with app.app_context():
        offers = {o.kind: (o.quantity, sorted(o.provinces.split(",")))
                  for o in db.session.scalars(select(Offer))}
    assert offers == {"procurement": (50_000_000, ["52", "53"]), "jobs": (60, ["43", "52"])}
    bad = [[code, "就业岗位", "60", 3, "火星", "2026-03-01", "", ""]]
    page = _upload(enterprise_client, "/offers/import", _xlsx(bad, head), "o.xlsx"
                   ).get_data(as_text=True)
    assert "No province is called “火星”" in page


@pytest.mark.parametrize("text,code", [("33", "33"), ("浙江", "33"), ("浙江省", "33"),
                                       ("Zhejiang", "33"), ("广西", "45"), ("北京", "11")])
def test_province_names(app, text, code):
    with app.app_context():
        assert lookup.province_code(text) == code
