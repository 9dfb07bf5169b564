"""Registering keeps a donor's place (issue 19.2): the login page's register link carries
`next`, the role starts as donor when they came from a crowdfunding page, and the mailed
link lands them back on the request, never on another site."""

from __future__ import annotations

import re

import pytest

import support

EN = {"Accept-Language": "en"}
PASSWORD = "a long enough password"


def _selected_role(page: str) -> str:
    return re.search(r'<option selected value="(\w+)"|<option value="(\w+)" selected',
                     page).group(0)


def _register(client, next_url: str, email: str = "newdonor@example.org"):  # noqa: ANN001, ANN201
    page = client.get("/register?next=" + next_url, headers=EN).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    return client.post(action.replace("&amp;", "&"), data={
        "csrf_token": token, "role": "donor", "display_name": "新捐赠者", "email": email,
        "password": PASSWORD, "confirm": PASSWORD})


def _confirm_path(app) -> str:  # noqa: ANN001
    body = app.extensions["sent_mail"][-1].get_content()
    line = next(x for x in body.splitlines() if "/register/" in x)
    return line[line.index("/register/"):].strip()


def test_from_a_request_to_an_account_and_back(app, client):
    login = client.get("/login?next=/crowdfunding/7", headers=EN).get_data(as_text=True)
    assert 'href="/register?next=/crowdfunding/7"' in login.replace("%2F", "/")
    page = client.get("/register?next=/crowdfunding/7", headers=EN).get_data(as_text=True)
    assert 'value="donor"' in _selected_role(page)
    r = _register(client, "/crowdfunding/7")
    assert r.status_code == 302 and "next=" in r.headers["Location"]
    confirm = _confirm_path(app)
    done = support.post(client, confirm, {})
    assert done.status_code == 302 and done.headers["Location"] == "/crowdfunding/7"


def test_the_role_starts_as_enterprise_elsewhere_and_as_asked(client):
    plain = client.get("/register", headers=EN).get_data(as_text=True)
    assert 'value="enterprise"' in _selected_role(plain)
    asked = client.get("/register?role=secretary", headers=EN).get_data(as_text=True)
    assert 'value="secretary"' in _selected_role(asked)
    shop = client.get("/register?next=/shop/products/3", headers=EN).get_data(as_text=True)
    assert 'value="donor"' in _selected_role(shop)
    staff = client.get("/register?role=coordinator", headers=EN).get_data(as_text=True)
    assert 'value="enterprise"' in _selected_role(staff)  # staff roles never self-register


@pytest.mark.parametrize("evil", ["//evil.example/x", "https://evil.example/",
                                  "/\\evil.example", "javascript:alert(1)"])
def test_next_never_leads_to_another_site(app, client, evil):
    r = _register(client, evil, email=f"x{abs(hash(evil))}@example.org")
    assert "evil" not in r.headers["Location"]
    done = support.post(client, _confirm_path(app), {})
    assert done.headers["Location"] == "/"  # the home page, with the new account's first steps
    login = client.get("/login?next=" + evil, headers=EN).get_data(as_text=True)
    assert re.search(r'href="/register"', login)  # its register link drops what is refused
