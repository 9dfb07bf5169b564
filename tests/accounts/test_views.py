"""Registration, log-in, log-out, sessions, passwords: what a person at the browser sees."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

import support
from pairing.accounts.models import LoginSession, User
from pairing.extensions import db


def _count_users(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.email == email.lower()))


REGISTER = {"role": "donor", "display_name": "刘女士", "password": "a long password",
            "confirm": "a long password"}


def _link(message, part: str) -> str:
    line = next(x for x in message.get_content().splitlines() if part in x)
    return line[line.index(part):].strip()


def test_register_mails_a_link_that_creates_the_account(client, app):
    r = support.post(client, "/register", REGISTER | {"email": "Liu@Example.org"})
    assert r.status_code == 302
    assert _count_users(app, "liu@example.org") == 0  # nothing until the address is proven
    (message,) = app.extensions["sent_mail"]
    assert message["To"] == "Liu@Example.org"
    path = _link(message, "/register/")
    assert message.get_content().count("http://127.0.0.1:5000/register/") == 1
    assert support.post(client, path, {}).status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "刘女士" in page and "liu@example.org" in page
    # The link works once: the account exists now.
    assert support.post(app.test_client(), path, {}).status_code == 302
    assert _count_users(app, "liu@example.org") == 1
    assert support.login(app.test_client(), "liu@example.org", "a long password"
                         ).status_code == 302


def test_register_answers_the_same_for_a_taken_address_and_tells_its_owner(client, app,
                                                                          make_user):
    make_user("donor", email="taken@example.org")
    answers = []
    for email in ("TAKEN@example.org", "free@example.org"):
        c = app.test_client()
        r = support.post(c, "/register", REGISTER | {"email": email},
                         headers={"Accept-Language": "en"})
        page = c.get(r.headers["Location"], headers={"Accept-Language": "en"})
        text = re.sub(r'(csrf[-_]token"?[^>]*(content|value)=")[^"]+', r"\1", page.get_data(
            as_text=True))
        answers.append((r.status_code, r.headers["Location"], text.replace(email, "EMAIL")))
    assert answers[0] == answers[1]
    assert "Check your e-mail" in answers[0][2]
    assert _count_users(app, "taken@example.org") == 1
    taken, free = app.extensions["sent_mail"]
    assert taken["To"] == "taken@example.org" and "/register/" not in taken.get_content()
    assert "已有账户" in taken.get_content()  # the owner's language (zh), not the sender's
    assert "/register/" in free.get_content()


@pytest.mark.parametrize("role", ["verifier", "coordinator", "admin"])
def test_register_cannot_choose_staff_roles(client, app, role):
    r = support.post(client, "/register", {
        "role": role, "display_name": "X", "email": "x@example.org",
        "password": "a long password", "confirm": "a long password"})
    assert r.status_code == 200
    assert _count_users(app, "x@example.org") == 0


def test_register_short_password_and_mismatch(client, app):
    r = support.post(client, "/register", {
        "role": "donor", "display_name": "X", "email": "x@example.org",
        "password": "short", "confirm": "other"}, headers={"Accept-Language": "en"})
    text = r.get_data(as_text=True)
    assert "Use 10 to 128 characters." in text and "The two passwords differ." in text
    assert _count_users(app, "x@example.org") == 0


def test_login_and_logout(client, make_user):
    user = make_user("donor")
    r = support.login(client, user.email.upper())
    assert r.status_code == 302
    assert client.get("/account").status_code == 200
    support.post(client, "/logout")
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "inactive"])
def test_login_failures(client, make_user, case):
    user = make_user("donor", active=case != "inactive")
    email = "nobody@example.org" if case == "unknown email" else user.email
    password = "wrong password!" if case == "wrong password" else support.PASSWORD
    r = support.login(client, email, password, headers={"Accept-Language": "en"})
    assert r.status_code == 401
    assert "Wrong e-mail or password" in r.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user("donor")
    r = client.post("/login", data={"email": user.email, "password": support.PASSWORD})
    assert r.status_code == 400
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)",
    "\\\\evil.example", "/\t/evil.example", "http:/evil.example", " //evil.example",
])
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user("donor")
    r = support.post(client, "/login?next=" + target,
                     {"email": user.email, "password": support.PASSWORD})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


def test_next_local_path_is_followed(client, make_user):
    user = make_user("donor")
    r = support.post(client, "/login?next=/account",
                     {"email": user.email, "password": support.PASSWORD})
    assert r.headers["Location"] == "/account"


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_copied_cookie_is_refused_after_logout(app, make_user):
    user = make_user("donor")
    browser = app.test_client()
    support.login(browser, user.email)
    stolen = _session_cookie(browser)
    support.post(browser, "/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account").status_code == 302


def test_copied_cookie_is_refused_after_password_change(app, make_user):
    user = make_user("donor")
    first, second = app.test_client(), app.test_client()
    support.login(first, user.email)
    support.login(second, user.email)
    stolen = _session_cookie(first)
    r = support.post(second, "/account/password", {
        "current": support.PASSWORD, "password": "a new long password",
        "confirm": "a new long password"})
    assert r.status_code == 302
    assert second.get("/account").status_code == 200  # the changing browser stays in
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account").status_code == 302
    assert first.get("/account").status_code == 302


def test_wrong_current_password_changes_nothing(app, client, make_user):
    user = make_user("donor")
    support.login(client, user.email)
    r = support.post(client, "/account/password", {
        "current": "not my password", "password": "a new long password",
        "confirm": "a new long password"}, headers={"Accept-Language": "en"})
    assert "The current password is wrong." in r.get_data(as_text=True)
    other = app.test_client()
    assert support.login(other, user.email).status_code == 302


def test_logout_everywhere_ends_every_session(app, make_user):
    user = make_user("secretary")
    a, b = app.test_client(), app.test_client()
    support.login(a, user.email)
    support.login(b, user.email)
    support.post(a, "/account/logout-everywhere")
    assert a.get("/account").status_code == 302
    assert b.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_deactivated_user_is_logged_out(app, client, make_user):
    user = make_user("donor")
    support.login(client, user.email)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/account").status_code == 302


def test_password_reset_by_one_time_link(app, client, make_user):
    user = make_user("enterprise")
    r = support.post(client, "/forgot", {"email": user.email})
    assert r.status_code == 302
    sent = app.extensions["sent_mail"]
    assert len(sent) == 1 and sent[0]["To"] == user.email
    link = next(line for line in sent[0].get_content().splitlines() if "/reset/" in line)
    path = link[link.index("/reset/"):].strip()
    r = support.post(client, path, {"password": "brand new password",
                                    "confirm": "brand new password"}, )
    assert r.status_code == 302
    # The link works once.
    r = client.get(path)
    assert r.status_code == 302 and "/forgot" in r.headers["Location"]
    assert support.login(app.test_client(), user.email, "brand new password").status_code == 302
    assert support.login(app.test_client(), user.email).status_code == 401


def test_forgot_answers_the_same_for_unknown_addresses(app, client):
    r = support.post(client, "/forgot", {"email": "nobody@example.org"})
    assert r.status_code == 302
    assert not app.extensions.get("sent_mail")


def test_bad_reset_token(client):
    r = client.get("/reset/not-a-token")
    assert r.status_code == 302


def test_failures_against_unknown_accounts_never_block_a_known_one(app, make_user):
    user = make_user("coordinator")
    client = app.test_client()
    # Ten bad attempts against ten unknown accounts from one address (a proxy's, say).
    for n in range(10):
        r = support.login(client, f"guess{n}@example.org", "wrong password!")
        assert r.status_code == 401
    # The coordinator behind the same address still logs in.
    assert support.login(client, user.email).status_code == 302


def test_login_rate_limit_per_address_for_known_accounts(app, make_user):
    users = [make_user("donor") for _ in range(10)]
    client = app.test_client()
    for user in users:
        assert support.login(client, user.email, "wrong password!").status_code == 401
    victim = make_user("donor")
    assert support.login(client, victim.email).status_code == 429
    # Another address still logs in: the account itself saw no bad attempt.
    other = app.test_client()
    r = support.login(other, victim.email, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert r.status_code == 302


def test_login_rate_limit_per_account(app, make_user):
    user = make_user("donor")
    for n in range(10):
        c = app.test_client()
        r = support.login(c, user.email, "wrong password!",
                          environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
        assert r.status_code == 401
    c = app.test_client()
    r = support.login(c, user.email, "wrong password!", environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert r.status_code == 429


def test_successful_logins_do_not_count(app, make_user):
    user = make_user("donor")
    for _ in range(12):
        c = app.test_client()
        assert support.login(c, user.email).status_code == 302


def test_session_older_than_thirty_days_is_refused_before_housekeeping(app, client, make_user):
    from datetime import timedelta

    from pairing.db import utcnow

    user = make_user("donor")
    support.login(client, user.email)
    with app.app_context():
        for row in db.session.scalars(select(LoginSession)):
            row.created_at = utcnow() - timedelta(days=31)
        db.session.commit()
    assert client.get("/account").status_code == 302
