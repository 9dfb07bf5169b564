"""Money in the figures API: `values` and `national` keep their meaning (whole yuan), now
rounded half up from each place's exact total; `values_fen` and `national_fen` give that
total in fen."""

from __future__ import annotations

from public_rows import give


def _province(body: dict, code: str) -> dict:
    return next(p for p in body["provinces"] if p["code"] == code)


def test_money_is_whole_yuan_of_the_exact_fen_with_the_fen_beside(client, gifts):
    body = client.get("/api/v1/figures").json
    # ¥10.99 in each of two counties: 22 yuan, not 10 + 10 = 20 as before.
    assert body["national"]["money_raised"] == 22 and body["national_fen"]["money_raised"] == 2_198
    hunan = _province(body, "43")
    assert hunan["values"]["money_raised"] == 11 and hunan["values_fen"]["money_raised"] == 1_099
    money = {f["key"] for f in body["figures"] if f["unit"] == "yuan"}
    assert {"money_raised", "money_disbursed", "shop_sales", "yuan_offered"} <= money
    assert set(body["national_fen"]) == money and set(hunan["values_fen"]) == money
    assert body["national"]["villages"] == 2 and "villages" not in body["national_fen"]


def test_each_place_rounds_its_own_total_half_up(app, client, gifts):
    give(app, gifts[1], 151, "half")  # Sichuan: 10.99 + 1.51 = 12.50 yuan
    body = client.get("/api/v1/figures").json
    assert _province(body, "51")["values"]["money_raised"] == 13  # half a yuan rounds up
    assert _province(body, "43")["values"]["money_raised"] == 11
    # 23.49 yuan: the nation rounds its own exact total, not the provinces' 11 + 13.
    assert body["national"]["money_raised"] == 23 and body["national_fen"]["money_raised"] == 2_349
    sichuan = client.get("/api/v1/figures/provinces/51").json
    assert sichuan["values"]["money_raised"] == 13 and sichuan["values_fen"]["money_raised"] == 1_250
    [county] = sichuan["counties"]
    assert county["code"] == "513431" and county["values"] == sichuan["values"]
    assert county["values_fen"] == sichuan["values_fen"]


def test_the_docs_explain_the_fen_fields(client):
    spec = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert "values_fen" in spec["PlaceFigures"]["properties"]
    assert "national_fen" in spec["Figures"]["properties"]
    assert "values_fen" in spec["PlaceFigures"]["required"]
    for lang, words in (("en", "rounded half up"), ("zh", "四舍五入")):
        page = client.get("/api/v1/docs", headers={"Accept-Language": lang})
        assert words in page.get_data(as_text=True) and "values_fen" in page.get_data(as_text=True)
