"""Figures of the pairings: committed, delivered (confirmed or upheld only), coverage."""

from __future__ import annotations

import csv
import io

EN = {"Accept-Language": "en"}


def test_delivered_counts_confirmed_and_upheld_reports_only(client, paired):
    national = client.get("/api/v1/figures").json["national"]
    assert national["pairings"] == 2
    assert national["yuan_committed"] == 10_000 and national["yuan_delivered"] == 5_000
    assert national["places_committed"] == 10 and national["places_filled"] == 4


def test_dashboard_shows_mechanisms_and_coverage(client, paired):
    page = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assert "Committed and delivered, by mechanism" in page
    assert "Villages with a pairing" in page and "1 / 1" in page


def test_pairing_page_and_download_list_every_report(client, paired):
    page = client.get(f"/ledger/pairings/{paired['money']}", headers=EN).get_data(as_text=True)
    # Each report's state in words, not its code.
    for label in ("confirmed", "upheld by verifier", "awaiting confirmation", "rejected by verifier"):
        assert f">{label}</span>" in page
    body = client.get(f"/open-data/reports.csv?pairing={paired['money']}").get_data()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert sum(int(r["quantity"]) for r in rows if r["counts_as_delivered"] == "true") == 500_000
    assert client.get("/ledger/pairings/999999").status_code == 404
