"""A coordinator manages verifier and coordinator accounts; nobody else can."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.extensions import db


def _user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_coordinator_creates_a_county_verifier(app, coordinator_client):
    r = support.post(coordinator_client, "/admin/users", {
        "role": "verifier", "display_name": "李核查", "email": "li@example.org",
        "jurisdiction": "433124", "password": "initial password"})
    assert r.status_code == 302
    user = _user(app, "li@example.org")
    assert user.role == "verifier" and user.jurisdiction == "433124"
    assert support.login(app.test_client(), "li@example.org", "initial password").status_code == 302


@pytest.mark.parametrize("jurisdiction", ["99", "999999", "X", ""])
def test_unknown_jurisdiction_is_refused(app, coordinator_client, jurisdiction):
    r = support.post(coordinator_client, "/admin/users", {
        "role": "verifier", "display_name": "X", "email": "x@example.org",
        "jurisdiction": jurisdiction, "password": "initial password"},
        headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert _user(app, "x@example.org") is None


def test_province_coordinator_stays_inside_the_province(app, make_user):
    coordinator = make_user("coordinator", jurisdiction="43")
    client = app.test_client()
    support.login(client, coordinator.email)
    r = support.post(client, "/admin/users", {
        "role": "verifier", "display_name": "X", "email": "x@example.org",
        "jurisdiction": "52", "password": "initial password"}, headers={"Accept-Language": "en"})
    assert "outside your own" in r.get_data(as_text=True)
    assert _user(app, "x@example.org") is None
    national = make_user("verifier", jurisdiction="CN")
    r = support.post(client, f"/admin/users/{national.id}/active")
    assert _user(app, national.email).active


def test_deactivate_and_change_jurisdiction_are_audited(app, coordinator_client, make_user):
    verifier = make_user("verifier", jurisdiction="43")
    support.post(coordinator_client, f"/admin/users/{verifier.id}/jurisdiction",
                 {"jurisdiction": "433124"})
    support.post(coordinator_client, f"/admin/users/{verifier.id}/active")
    user = _user(app, verifier.email)
    assert user.jurisdiction == "433124" and not user.active
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)
                                     .where(AuditEvent.object_id == str(verifier.id))).all()
    assert {"user.jurisdiction", "user.deactivate"} <= set(actions)


def test_coordinator_cannot_deactivate_self(app, coordinator_client):
    me = coordinator_client.user
    support.post(coordinator_client, f"/admin/users/{me.id}/active")
    assert _user(app, me.email).active


@pytest.mark.parametrize("fixture", ["donor_client", "secretary_client", "enterprise_client",
                                     "verifier_client"])
def test_other_roles_cannot_manage_users(app, request, fixture, make_user):
    client = request.getfixturevalue(fixture)
    target = make_user("verifier", jurisdiction="43")
    assert client.get("/admin/users").status_code == 403
    r = support.post(client, "/admin/users", {
        "role": "coordinator", "display_name": "X", "email": "x@example.org",
        "jurisdiction": "CN", "password": "initial password"})
    assert r.status_code == 403
    assert support.post(client, f"/admin/users/{target.id}/active").status_code == 403
    assert support.post(client, f"/admin/users/{target.id}/jurisdiction",
                        {"jurisdiction": "CN"}).status_code == 403
    assert _user(app, "x@example.org") is None
    assert _user(app, target.email).active and _user(app, target.email).jurisdiction == "43"


def test_anonymous_is_sent_to_login(client):
    r = client.get("/admin/users")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_user_search(app, coordinator_client, make_user):
    make_user("donor", email="findme@example.org", name="Findable Person")
    page = coordinator_client.get("/admin/users?q=findme").get_data(as_text=True)
    assert "findme@example.org" in page
    page = coordinator_client.get("/admin/users?role=verifier").get_data(as_text=True)
    assert "findme@example.org" not in page


def test_user_list_pages(app, coordinator_client, make_user):
    for n in range(21):
        make_user("donor", email=f"page{n:02d}@example.org")
    page = coordinator_client.get("/admin/users?role=donor").get_data(as_text=True)
    found = re.search(r'<a href="([^"]+)" rel="next"', page)
    assert found and "after=" in found.group(1) and "role=donor" in found.group(1)
    second = coordinator_client.get(html.unescape(found.group(1))).get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    shown = re.findall(r"page(\d\d)@example.org", page + second)
    assert sorted(set(shown)) == [f"{n:02d}" for n in range(21)]
