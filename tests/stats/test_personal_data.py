"""Nothing personal in any public download or JSON answer: no ID numbers, phones,
e-mail addresses or names of people."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pairing.stats import opendata
from pairing.stats.privacy import personal_data_in


def test_the_scanner_finds_what_it_looks_for():
    assert personal_data_in("tel 13912345678, a@b.cn, 11010519491231002X, 陈经理",
                            ["陈经理"]) == ["13912345678", "a@b.cn", "11010519491231002X",
                                            "陈经理"]
    assert personal_data_in("91330106123456789Y 2026-11-29", []) == []


@pytest.fixture
def people(app, seeded, make_user):
    """Names, e-mails of users who own rows, and the enterprise's contact person."""
    user = make_user("secretary", name="王小明")
    return ["陈经理", "王小明", user.email]


def test_downloads_have_no_personal_data(client, people):
    for name in opendata.all_names():
        for params in ("", "?province=43", "?county=433124"):
            r = client.get(f"/open-data/{name}.csv{params}")
            assert personal_data_in(r.get_data().decode("utf-8-sig"), people) == [], name
            r = client.get(f"/open-data/{name}.xlsx{params}")
            book = load_workbook(io.BytesIO(r.get_data()))
            text = "\n".join(str(v) for s in book for row in s.values for v in row)
            assert personal_data_in(text, people) == [], name


def test_json_answers_have_no_personal_data(app, client, people, seeded):
    urls = ["/api/v1/villages?per_page=100", "/api/v1/enterprises?per_page=100",
            "/api/v1/figures", "/api/v1/figures/provinces/43", "/api/v1/openapi.json"]
    urls += [f"/api/v1/villages/{i}" for i in seeded["villages"][:2]]
    urls += [f"/api/v1/enterprises/{seeded['enterprises'][0]}"]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert personal_data_in(r.get_data(as_text=True), people) == [], url
        assert personal_data_in(r.get_data().decode("unicode_escape"), people) == [], url
