"""The public read endpoints: only verified rows, filters, pages, errors, limits."""

from __future__ import annotations

import pytest

import support
from pairing import create_app


def test_villages_lists_only_verified_with_filters_and_pages(client, seeded):
    r = client.get("/api/v1/villages")
    assert r.status_code == 200
    names = {v["name"] for v in r.json["items"]}
    assert names == {"十八洞村", "三河村"} and r.json["total"] == 2
    assert client.get("/api/v1/villages?province=43").json["total"] == 1
    assert client.get("/api/v1/villages?county=513431").json["items"][0]["name"] == "三河村"
    assert client.get("/api/v1/villages?deep_poverty=true").json["total"] == 1
    page = client.get("/api/v1/villages?per_page=1&page=2").json
    assert page["pages"] == 2 and page["page"] == 2 and len(page["items"]) == 1
    assert client.get("/api/v1/villages?page=9").json["items"] == []


def test_pending_rows_are_not_found(client, seeded):
    assert client.get(f"/api/v1/villages/{seeded['villages'][0]}").status_code == 200
    r = client.get(f"/api/v1/villages/{seeded['villages'][2]}")
    assert r.status_code == 404
    assert r.json["error"]["status"] == 404 and r.json["error"]["message"]
    assert client.get(f"/api/v1/enterprises/{seeded['enterprises'][1]}").status_code == 404


def test_enterprises_show_no_contact(client, seeded):
    r = client.get("/api/v1/enterprises?sector=C")
    assert r.status_code == 200 and r.json["total"] == 1
    item = r.json["items"][0]
    assert item["name"] == "杭州绿源茶业有限公司" and item["province_code"] == "33"
    assert "contact_phone" not in item and "13912345678" not in r.get_data(as_text=True)


def test_figures_count_only_verified_rows(client, seeded):
    r = client.get("/api/v1/figures")
    assert r.status_code == 200
    national = r.json["national"]
    assert national["villages"] == 2 and national["enterprises"] == 1
    assert national["poor_population"] == 533 + 800 and national["deep_poverty_villages"] == 1
    hunan = next(p for p in r.json["provinces"] if p["code"] == "43")
    assert hunan["values"]["villages"] == 1 and hunan["values"]["poor_households"] == 136
    assert all(f["how"] and f["rows"].startswith("/open-data/") for f in r.json["figures"])
    r = client.get("/api/v1/figures/provinces/43")
    assert r.json["counties"] == [{"code": "433124", "name": "花垣县",
                                   "values": hunan["values"], "values_fen": hunan["values_fen"]}]
    assert client.get("/api/v1/figures/provinces/99").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/villages?province=4", "/api/v1/villages?per_page=500",
                                 "/api/v1/enterprises?sector=Z", "/api/v1/villages?page=0"])
def test_bad_arguments_get_a_422_naming_the_field(client, url):
    r = client.get(url)
    assert r.status_code == 422
    assert r.json["error"]["status"] == 422 and r.json["error"]["fields"]["query"]


def test_errors_have_one_shape(client):
    for url, code in (("/api/v1/nothing", 404), ("/api/v1/me", 401)):
        r = client.get(url)
        assert r.status_code == code and r.is_json
        assert set(r.json["error"]) == {"status", "code", "message"} and r.json["error"]["status"] == code
    r = client.post("/api/v1/villages")
    assert r.status_code == 405 and r.json["error"]["status"] == 405
    r = client.get("/api/v1/villages", headers={"Authorization": "Bearer pt_wrong"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    r = client.get("/api/v1/villages", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_a_browser_session_is_not_an_api_login(enterprise_client):
    assert enterprise_client.get("/api/v1/me").status_code == 401


def test_rate_limit_is_per_token(database, tmp_path, token_for):
    # A day's window: a minute's could end between the requests on a loaded machine and
    # let the fourth through; what is proven (3 pass, the 4th is refused, another token
    # still passes) does not depend on the window's length.
    app = create_app(support.test_config(database, tmp_path) | {"API_RATE_LIMIT": "3 per day"})
    try:
        user = support.make_user(app, "enterprise")
        browser = app.test_client()
        support.login(browser, user.email)
        first, second = token_for(app, browser), token_for(app, browser)
        api = app.test_client()
        codes = [api.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = api.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"})
        assert r.json["error"]["status"] == 429
        assert api.get("/api/v1/me", headers={
            "Authorization": f"Bearer {second}"}).status_code == 200
    finally:
        with app.app_context():
            support.empty_tables()


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/villages" in spec["paths"] and "bearerAuth" in spec["components"][
        "securitySchemes"]
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page and "https://" not in page.split(
        "<main")[1].split("</main>")[0]
    assert "<script>" not in page
