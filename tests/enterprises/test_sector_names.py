"""Industry sectors (GB/T 4754 sections) read in the page's language wherever they appear:
the forms' selects, the lists' filters and columns, the enterprise page."""

from __future__ import annotations

import re

import pytest
from enterprises import factories as f

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _options(page: str) -> dict[str, str]:
    """value -> label of the options of the page's sector select."""
    select = re.search(r'<select[^>]*name="sector"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option[^>]*value="([A-T]?)"[^>]*>([^<]*)</option>', select))


def _check_chinese(options: dict[str, str]) -> None:
    assert options["A"] == "A · 农、林、牧、渔业"
    assert options["J"] == "J · 金融业"
    assert options["D"] == "D · 电力、热力、燃气及水生产和供应业"
    assert options["P"] == "P · 教育"  # the sector, not the kind 教育帮扶
    assert not any(re.search("[a-z]", label) for label in options.values()), options


def test_sector_select_of_forms_in_chinese(app, enterprise_client, secretary_client):
    ident = f.enterprise(app, enterprise_client.user.id)
    _check_chinese(_options(enterprise_client.get(f"/enterprises/{ident}/edit",
                                                  headers=ZH).get_data(as_text=True)))
    _check_chinese(_options(enterprise_client.get("/enterprises/new",
                                                  headers=ZH).get_data(as_text=True)))
    v = f.village(app, secretary_client.user.id)
    _check_chinese(_options(secretary_client.get(f"/villages/{v}/needs/new",
                                                 headers=ZH).get_data(as_text=True)))
    n = f.need(app, v, kind="investment", sector="C")
    _check_chinese(_options(secretary_client.get(f"/needs/{n}/edit",
                                                 headers=ZH).get_data(as_text=True)))


def test_sector_select_stays_english_in_english(app, enterprise_client):
    ident = f.enterprise(app, enterprise_client.user.id)
    options = _options(enterprise_client.get(f"/enterprises/{ident}/edit",
                                             headers=EN).get_data(as_text=True))
    assert options["J"] == "J · Finance" and options["P"] == "P · Education"


@pytest.mark.parametrize("path", ["/offers", "/needs", "/enterprises"])
def test_sector_filters_in_chinese(app, client, path):
    _check_chinese(_options(client.get(path, headers=ZH).get_data(as_text=True)))


def test_enterprise_list_names_the_sector(app, client):
    from pairing.enterprises.models import Enterprise
    from pairing.extensions import db

    ident = f.enterprise(app, None, name="浙江稠州商业银行")
    with app.app_context():
        db.session.get(Enterprise, ident).sector = "J"
        db.session.commit()
    page = client.get("/enterprises", headers=ZH).get_data(as_text=True)
    row = re.search(r"<tr>(?:(?!</tr>).)*浙江稠州商业银行.*?</tr>", page, re.S).group(0)
    assert ">金融业</td>" in row and ">J</td>" not in row
    page = client.get("/enterprises", headers=EN).get_data(as_text=True)
    row = re.search(r"<tr>(?:(?!</tr>).)*浙江稠州商业银行.*?</tr>", page, re.S).group(0)
    assert ">Finance</td>" in row


def test_education_sector_and_education_kind_read_differently(app, client):
    from pairing.enterprises.models import Enterprise
    from pairing.extensions import db

    ident = f.enterprise(app, None, name="新东方教育科技集团")
    f.offer(app, ident, kind="education", description="资助乡村学校")
    with app.app_context():
        db.session.get(Enterprise, ident).sector = "P"
        db.session.commit()
    page = client.get(f"/enterprises/{ident}", headers=ZH).get_data(as_text=True)
    sector = re.search(r"<dt>行业</dt><dd>([^<]*)</dd>", page).group(1)
    assert sector == "教育"
    assert ">教育帮扶</td>" in page  # the offer's kind keeps its name
    page = client.get("/enterprises?sector=P", headers=ZH).get_data(as_text=True)
    assert '<option value="P" selected>P · 教育</option>' in page


def test_village_page_and_need_list_name_the_wanted_sector(app, client, make_user):
    v = f.village(app, make_user("secretary").id)
    f.need(app, v, kind="investment", sector="C", description="引进茶叶加工企业")
    assert ">制造业</td>" in client.get(f"/villages/{v}", headers=ZH).get_data(as_text=True)
    assert ">制造业</td>" in client.get("/needs", headers=ZH).get_data(as_text=True)
