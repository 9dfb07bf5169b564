"""Progress reports, evidence files, confirmation, disputes and lapsing."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from matching import mhelp as h
from sqlalchemy import select

import support
from pairing import housekeeping
from pairing.db import today, utcnow
from pairing.enterprises.models import Offer
from pairing.enterprises.rules import Invalid, NotAllowed
from pairing.extensions import db
from pairing.matching import delivery
from pairing.matching.models import EvidenceFile, Pairing, ProgressReport
from pairing.needs.models import Need


def _report(client, pairing_id: int, quantity: str = "100000", files=()):  # noqa: ANN001
    data = {"quantity": quantity, "delivered_on": today().isoformat(),
            "note": "第一批茶叶已收购", "files": list(files)}
    return support.post(client, f"/pairings/{pairing_id}/reports", data,
                        content_type="multipart/form-data", follow_redirects=True)


def _reports(app) -> list[tuple[int, int, str]]:  # noqa: ANN001
    with app.app_context():
        return [(r.id, r.quantity, r.status)
                for r in db.session.scalars(select(ProgressReport).order_by(ProgressReport.id))]


def _need(app, need_id: int) -> tuple[int, str]:  # noqa: ANN001
    with app.app_context():
        n = db.session.get(Need, need_id)
        return n.met_quantity, n.status


def test_report_with_photo_confirm_and_download(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer)
    page = _report(ent, pairing_id, "100000", [(io.BytesIO(h.PNG), "茶园.png")])
    assert page.status_code == 200
    (rid, qty, status), = _reports(app)
    assert (qty, status) == (10_000_000, "reported")
    with app.app_context():
        f = db.session.scalars(select(EvidenceFile)).one()
        stored = Path(app.config["UPLOAD_DIR"]) / "evidence" / f.stored_name
        assert stored.read_bytes() == h.PNG and f.content_type == "image/png"
        assert "茶园" not in f.stored_name and f.stored_name.endswith(".png")
        file_id = f.id
    village = h.client_for(app, m.secretary)
    got = village.get(f"/evidence/{file_id}")
    assert got.status_code == 200 and got.data == h.PNG
    assert got.headers["Content-Disposition"].startswith("attachment")
    for outsider in (make_user("enterprise"), make_user("secretary"), make_user("donor"),
                     make_user("verifier", jurisdiction="51")):
        assert h.client_for(app, outsider).get(f"/evidence/{file_id}").status_code == 404
    assert app.test_client().get(f"/evidence/{file_id}").status_code == 302  # log in first
    assert h.client_for(app, make_user("verifier", jurisdiction="43")).get(
        f"/evidence/{file_id}").status_code == 200
    # The enterprise cannot confirm its own report; the village can.
    assert support.post(ent, f"/reports/{rid}/confirm").status_code == 403
    page = support.post(village, f"/reports/{rid}/confirm", follow_redirects=True)
    assert "已确认交付：计入本结对的完成量，并已通知企业。" in page.get_data(as_text=True)
    assert _reports(app)[0][2] == "confirmed"
    assert _need(app, m.need_id) == (10_000_000, "partly_met")
    _report(ent, pairing_id, "100000")
    support.post(village, f"/reports/{_reports(app)[1][0]}/confirm")
    assert _need(app, m.need_id) == (20_000_000, "met")
    assert h.pairings(app)[0][4] == "fulfilled"


@pytest.mark.parametrize("name,data,message", [
    ("photo.jpg", b"just some text, not a picture", "not a photo"),
    ("../../../etc/cron.d/x.png", None, None),
    ("big.png", b"big", "larger than"),
])
def test_evidence_checks(app, make_user, name, data, message):
    app.config["EVIDENCE_MAX_BYTES"] = 1024 * 1024
    m, pairing_id = h.paired(app, make_user)
    if name == "big.png":
        data = h.PNG + b"\0" * (1024 * 1024 + 1)
    ent = h.client_for(app, m.officer, "en")
    page = _report(ent, pairing_id, "1000", [(io.BytesIO(data or h.PNG), name)])
    html = page.get_data(as_text=True)
    if message:
        assert message in html
        assert _reports(app) == []  # nothing changed
        assert not list((Path(app.config["UPLOAD_DIR"])).rglob("*.*"))
        return
    with app.app_context():
        f = db.session.scalars(select(EvidenceFile)).one()
        assert f.original_name == "x.png" and "/" not in f.stored_name
    files = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    assert [p.parent.name for p in files] == ["evidence"]


def test_report_rules(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer, "en")
    assert "More than is left" in _report(ent, pairing_id, "300000").get_data(as_text=True)
    assert "More than zero" in _report(ent, pairing_id, "0").get_data(as_text=True) or \
        "more than zero" in _report(ent, pairing_id, "0").get_data(as_text=True)
    assert _reports(app) == []
    for ref in (m.secretary, make_user("enterprise")):
        r = support.post(h.client_for(app, ref), f"/pairings/{pairing_id}/reports",
                         {"quantity": "1", "delivered_on": "2026-01-01"})
        assert r.status_code in (403, 404)
    assert _reports(app) == []


def test_dispute_goes_to_verifier_in_jurisdiction(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    hunan, sichuan = make_user("verifier", jurisdiction="43"), make_user("verifier",
                                                                          jurisdiction="51")
    _report(h.client_for(app, m.officer), pairing_id, "50000")
    (rid, *_x), = _reports(app)
    village = h.client_for(app, m.secretary)
    page = support.post(village, f"/reports/{rid}/dispute", {"reason": ""}, follow_redirects=True)
    assert _reports(app)[0][2] == "reported"
    told = support.post(village, f"/reports/{rid}/dispute", {"reason": "只收到一半"},
                        follow_redirects=True).get_data(as_text=True)
    assert "异议已提交给企业和本县核查员" in told
    assert _reports(app)[0][2] == "disputed"
    assert "只收到一半" in h.client_for(app, hunan).get("/disputes").get_data(as_text=True)
    assert support.post(h.client_for(app, sichuan), f"/reports/{rid}/decide",
                        {"decision": "uphold", "note": "x"}).status_code == 404
    assert support.post(village, f"/reports/{rid}/decide",
                        {"decision": "uphold", "note": "x"}).status_code == 403
    told = support.post(h.client_for(app, hunan), f"/reports/{rid}/decide",
                        {"decision": "uphold", "note": "照片与收购单据一致"},
                        follow_redirects=True).get_data(as_text=True)
    assert "报告属实，计入完成量；已通知双方。" in told
    assert _reports(app)[0][2] == "upheld"
    assert _need(app, m.need_id) == (5_000_000, "partly_met")
    with app.app_context():
        from pairing.matching.models import Notification

        kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (hunan.id, "report.disputed") in kinds and (sichuan.id, "report.disputed") not in kinds
    assert (m.officer.id, "report.decided") in kinds and (m.secretary.id, "report.new") in kinds
    del page


def test_lapse_returns_undelivered_capacity(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    with app.app_context():
        p = db.session.get(Pairing, pairing_id)
        p.delivered_quantity = 5_000_000
        end = p.ends_on
        db.session.commit()
        done = housekeeping.run_all(db.session, utcnow().replace(year=end.year + 1))
        assert done["matching.lapse_pairings"] == 1
        assert db.session.get(Pairing, pairing_id).status == "lapsed"
        assert db.session.get(Offer, m.offer_id).paired_quantity == 5_000_000


def test_services_refuse_wrong_sides(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    with app.app_context():
        p = db.session.get(Pairing, pairing_id)
        with pytest.raises(NotAllowed):
            delivery.report_progress(h.user(m.secretary), p, 100, today(), "", [])
        with pytest.raises(Invalid):
            delivery.report_progress(h.user(m.officer), p, 100, today() + timedelta(days=2),
                                     "", [])


def test_evidence_download_has_a_generated_name_and_the_checked_type(app, make_user):
    """A PDF uploaded as poly.pdf.html reaches the village as evidence-<id>.pdf, typed as
    a PDF, never sniffed; a stored file whose bytes no longer match its type is opaque."""
    m, pairing_id = h.paired(app, make_user)
    pdf = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    _report(h.client_for(app, m.officer), pairing_id, "1000",
            [(io.BytesIO(pdf), "poly.pdf.html")])
    with app.app_context():
        f = db.session.scalars(select(EvidenceFile)).one()
        file_id, stored = f.id, Path(app.config["UPLOAD_DIR"]) / "evidence" / f.stored_name
    village = h.client_for(app, m.secretary)
    got = village.get(f"/evidence/{file_id}")
    assert got.status_code == 200 and got.data == pdf
    disposition = got.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=evidence-{file_id}.pdf"
    assert "html" not in disposition and "poly" not in disposition
    assert got.mimetype == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    stored.write_bytes(b"<html><script>alert(1)</script></html>")  # changed on the volume
    got = village.get(f"/evidence/{file_id}")
    assert got.mimetype == "application/octet-stream"
    assert got.headers["Content-Disposition"] == f"attachment; filename=evidence-{file_id}.bin"
