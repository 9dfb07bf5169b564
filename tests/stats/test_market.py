"""Figures and tables of offers and needs: only public rows, money in yuan."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from pairing.db import today as beijing_today
from pairing.enterprises.models import Offer
from pairing.extensions import db
from pairing.needs.models import Need


def _add(app, seeded) -> None:
    with app.app_context():
        verified, pending = seeded["enterprises"]
        today = beijing_today()
        db.session.add_all([
            Offer(enterprise_id=verified, kind="investment", quantity=50_000_000,  # 500,000 yuan
                  starts_on=today),
            Offer(enterprise_id=verified, kind="jobs", quantity=40, starts_on=today),
            Offer(enterprise_id=verified, kind="jobs", quantity=99, starts_on=today,
                  status="withdrawn"),
            Offer(enterprise_id=verified, kind="training", quantity=7,
                  starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=1)),
            Offer(enterprise_id=pending, kind="donation", quantity=10_000, starts_on=today),
            Need(village_id=seeded["villages"][0], kind="jobs", quantity=20),
            Need(village_id=seeded["villages"][1], kind="medical", quantity=100_000,
                 status="met", met_quantity=100_000),
            Need(village_id=seeded["villages"][2], kind="jobs", quantity=5),
        ])
        db.session.commit()


def test_offer_and_need_figures_count_public_rows_only(app, client, seeded):
    _add(app, seeded)
    national = client.get("/api/v1/figures").json["national"]
    assert national["offers"] == 2
    assert national["yuan_offered"] == 500_000
    assert national["places_offered"] == 40
    assert national["needs"] == 1
    zhejiang = next(p for p in client.get("/api/v1/figures").json["provinces"]
                    if p["code"] == "33")
    assert zhejiang["values"]["offers"] == 2


def test_offer_and_need_rows_download(app, client, seeded):
    _add(app, seeded)
    body = client.get("/open-data/offers.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["kind"] for r in rows) == ["investment", "jobs"]
    assert {r["unit"] for r in rows} == {"fen", "people"}
    body = client.get("/open-data/needs.csv?province=43").get_data().decode("utf-8-sig")
    assert [r["village"] for r in csv.DictReader(io.StringIO(body))] == ["十八洞村"]
    page = client.get("/dashboard?figure=yuan_offered", headers={"Accept-Language": "en"})
    assert "Yuan offered" in page.get_data(as_text=True)
