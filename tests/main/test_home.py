"""The home page: light, with figures, in both languages."""

from __future__ import annotations

import re


def test_home_page_is_light(client, runner):
    runner.invoke(args=["demo", "load"])
    page = client.get("/")
    total = len(page.data)
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.get_data(as_text=True)):
        total += len(client.get(asset).data)
    assert total < 150 * 1024, f"home page weighs {total} bytes with its assets"


def test_home_shows_verified_figures(client, runner):
    runner.invoke(args=["demo", "load"])
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "verified villages" in page
    assert re.search(r'class="number">37<', page)  # 40 demo villages, 3 still pending


def test_no_external_resources(client):
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r'(?:href|src)="(?:https?:)?//', page)


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_error_pages_in_the_readers_language(client):
    r = client.get("/no-such-page", headers={"Accept-Language": "zh"})
    assert r.status_code == 404 and "此地址没有内容" in r.get_data(as_text=True)


def test_home_figures_come_from_the_stored_snapshot_once_there_is_one(app, client, runner):
    """With the dashboard's snapshot stored, the home page shows its figures and says when
    they were computed, instead of counting national rows on every visit."""
    from pairing.extensions import db
    from pairing.places.models import Village
    from pairing.stats import snapshot

    runner.invoke(args=["demo", "load"])
    with app.app_context():
        snapshot.refresh(db.session)
        db.session.commit()
        village = db.session.scalars(db.select(Village).where(Village.status == "verified")).first()
        village.status = "rejected"  # after the snapshot: shown at the next refresh
        db.session.commit()
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'class="number">37<', page) and "refreshed every few minutes" in page
    with app.app_context():
        snapshot.refresh(db.session)
        db.session.commit()
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'class="number">36<', page)
