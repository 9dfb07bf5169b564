"""Money figures keep every fen: counties' fen are added up before anything is rounded, the
figure cards show the exact amount as the public ledger does, and tables, map, bars, series
and downloads show whole yuan rounded half up from each place's own exact total."""

from __future__ import annotations

import csv
import io
import re

import pytest

from pairing.stats import figures, timeline

EN = {"Accept-Language": "en"}


def _csv(client, url: str) -> list[dict[str, str]]:
    r = client.get(url)
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig"))))


def _card(page: str, label: str) -> str:
    match = re.search(r'<span class="number[^"]*">([^<]+)</span>\s*<span>'
                      + re.escape(label) + "</span>", page)
    assert match, label
    return match.group(1)


def _row(page: str, first_cell: str) -> dict[str, str]:
    """A row of a figures table (provinces, counties or the whole country) by figure key."""
    match = re.search(re.escape(first_cell) + r"(?:</a>)?</t[dh]>(.*?)</tr>", page, re.S)
    assert match, first_cell
    cells = re.findall(r"<t[dh]>([^<]*)</t[dh]>", match.group(1))
    return dict(zip([f.key for f in figures.FIGURES], cells, strict=True))


@pytest.mark.parametrize(("fen", "yuan"), [(0, 0), (49, 0), (50, 1), (99, 1), (149, 1),
                                           (150, 2), (1_099, 11), (2_198, 22)])
def test_whole_yuan_round_half_up(app, fen, yuan):
    assert figures.to_yuan(fen) == yuan
    money, people = figures.by_key("money_raised"), figures.by_key("poor_population")
    assert money.shown(fen) == yuan and people.shown(fen) == fen


def test_two_counties_gifts_of_10_99_make_21_98_not_20(app, client, gifts):
    """The dashboard once cut each county to whole yuan before adding: 10 + 10 = 20."""
    page = client.get("/dashboard?figure=money_raised", headers=EN).get_data(as_text=True)
    ledger = sum(int(r["amount_fen"]) for r in _csv(client, "/open-data/ledger.csv"))
    assert ledger == 2_198
    assert _card(page, "Money raised (yuan)") == "21.98"  # the public ledger's total, to the fen
    assert _card(page, "Money paid out (yuan)") == "0"  # exact: whole yuan need no fen
    assert _row(page, "Whole country")["money_raised"] == "22"
    assert _row(page, "Hunan")["money_raised"] == "11"  # 10.99
    assert "<title>Hunan: 11</title>" in page and "<title>Sichuan: 11</title>" in page
    with app.app_context():
        assert timeline.money_raised()[-1][2] == 22
    county = client.get("/dashboard/county/433124", headers=EN).get_data(as_text=True)
    assert _card(county, "Money raised (yuan)") == "10.99"
    province = client.get("/dashboard/province/43?figure=money_raised", headers=EN)
    assert _row(province.get_data(as_text=True), "花垣县")["money_raised"] == "11"


def test_chinese_dashboard_shows_the_same_money(client, gifts):
    page = client.get("/dashboard", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert _card(page, "筹得善款（元）") == "21.98"
    assert _row(page, "全国")["money_raised"] == "22"
    assert "资金按分累加" in page
    assert "表中各行相加可能与合计相差几元" in page  # each row is rounded on its own


def test_figures_download_gives_whole_yuan_and_exact_fen(client, gifts):
    rows = {r["code"]: r for r in _csv(client, "/open-data/figures.csv")}
    assert (rows["CN"]["money_raised"], rows["CN"]["money_raised_fen"]) == ("22", "2198")
    assert (rows["43"]["money_raised"], rows["43"]["money_raised_fen"]) == ("11", "1099")
    assert rows["43"]["villages"] == "1" and "villages_fen" not in rows["43"]
    counties = _csv(client, "/open-data/figures.csv?province=51")
    assert [(r["money_raised"], r["money_raised_fen"]) for r in counties] == [("11", "1099")]
