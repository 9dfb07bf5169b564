"""The dashboard, its drill-down pages and the open-data downloads."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from pairing.extensions import db
from pairing.places.models import Village

EN = {"Accept-Language": "en"}


def test_dashboard_figures_come_from_verified_rows(client, seeded):
    page = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assert "Villages taking part" in page and "How the figures are computed" in page
    assert "1,333" in page  # 533 + 800 registered poor people in the two verified villages
    assert "Pending and rejected registrations are not counted" in page
    assert '<svg class="tile-map"' in page and "/dashboard/province/43" in page
    assert "style=" not in page and "<script>" not in page


def test_a_new_verified_row_changes_the_figure(app, client, seeded):
    with app.app_context():
        village = db.session.get(Village, seeded["villages"][2])
        village.status = "verified"
        db.session.commit()
    r = client.get("/api/v1/figures")
    assert r.json["national"]["villages"] == 3


@pytest.mark.parametrize("figure", ["villages", "poor_population", "enterprises", "nonsense"])
def test_map_can_be_coloured_by_each_figure(client, seeded, figure):
    r = client.get(f"/dashboard?figure={figure}", headers=EN)
    assert r.status_code == 200


def test_dashboard_in_chinese(client, seeded):
    page = client.get("/dashboard", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "参与村" in page and "湖南" in page


def test_province_and_county_pages_link_down(client, seeded):
    page = client.get("/dashboard/province/43", headers=EN).get_data(as_text=True)
    assert "/dashboard/county/433124" in page and "待核村" not in page
    page = client.get("/dashboard/county/433124", headers=EN).get_data(as_text=True)
    assert "十八洞村" in page and "待核村" not in page
    assert client.get("/dashboard/province/99").status_code == 404
    assert client.get("/dashboard/county/999999").status_code == 404


def _csv(client, url: str) -> list[dict[str, str]]:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig"))))


def test_figures_download_adds_up(client, seeded):
    rows = _csv(client, "/open-data/figures.csv")
    national = next(r for r in rows if r["code"] == "CN")
    assert int(national["villages"]) == 2 == sum(int(r["villages"]) for r in rows[:-1])
    counties = _csv(client, "/open-data/figures.csv?province=43")
    assert [r["code"] for r in counties] == ["433124"]


def test_villages_download_is_the_rows_behind_the_figure(client, seeded):
    rows = _csv(client, "/open-data/villages.csv")
    assert {r["name"] for r in rows} == {"十八洞村", "三河村"}
    assert sum(int(r["poor_population"]) for r in rows) == 1333
    assert [r["name"] for r in _csv(client, "/open-data/villages.csv?county=513431")] == ["三河村"]


def test_xlsx_opens_as_a_spreadsheet(client, seeded):
    r = client.get("/open-data/enterprises.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.get_data())).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("id", "name", "credit_code")
    assert [row[1] for row in rows[1:]] == ["杭州绿源茶业有限公司"]


def test_unknown_download_is_404(client):
    assert client.get("/open-data/households.csv").status_code == 404
    assert client.get("/open-data/villages.pdf").status_code == 404
    assert client.get("/open-data", headers=EN).status_code == 200


def test_open_data_page_says_what_a_row_is_for_every_table(client):
    """Each table carries its own description (pairings and reports once had none)."""
    import re

    from pairing.stats import opendata

    for lang, lead in (("en", "A pairing an enterprise"), ("zh", "企业与村庄双方已接受")):
        page = client.get("/open-data", headers={"Accept-Language": lang}).get_data(as_text=True)
        rows = re.findall(r"<tr><td[^>]*><code>(\w+)</code></td><td[^>]*>([^<]*)</td>", page)
        assert {name for name, _ in rows} == set(opendata.all_names())
        assert all(about.strip() for _, about in rows), rows
        assert lead in page
