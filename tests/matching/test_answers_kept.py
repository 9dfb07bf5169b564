"""Issue 19.3 for the proposal answers and the dispute forms: refused, the page comes back
(400) with what was chosen and typed, each error beside its field and named by it."""

from __future__ import annotations

import re

from matching import mhelp as h

import support


def _error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<div id="{field_id}-error" class="field-errors">(.*?)</div>', html, re.S)
    assert found, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_decline_without_reason_keeps_the_answer_and_the_note(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (pid, *_rest), = h.proposals(app)
    ent = h.client_for(app, m.officer, "zh")
    note = "我们今年的预算已经用完，明年再议"
    r = support.post(ent, f"/proposals/{pid}/answer", {"answer": "decline", "note": note})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    card = html[html.index(f'id="proposal-{pid}"'):]
    assert f"{note}</textarea>" in card                      # the note typed
    assert re.search(r'id="answer-\d+-1"[^>]*value="decline"|value="decline"[^>]*checked|'
                     r'checked[^>]*value="decline"', card)     # decline still chosen
    assert _error_of(card, f"reason-{pid}").startswith("拒绝原因：")  # beside it, named
    assert 'aria-invalid="true"' in card
    assert h.proposals(app)[0][4] == "pending"
    # Nothing chosen: the radios say so beside themselves and are required.
    html = support.post(ent, f"/proposals/{pid}/answer", {"note": note}).get_data(as_text=True)
    card = html[html.index(f'id="proposal-{pid}"'):]
    assert "接受或拒绝" in _error_of(card, f"answer-{pid}") and "required" in card
    assert f"{note}</textarea>" in card


def test_a_refused_dispute_and_decision_keep_what_was_typed(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    h.report(h.client_for(app, m.officer, "en"), pairing_id, "5000")
    (rid, *_x), = [(r,) for r in _report_ids(app)]
    village = h.client_for(app, m.secretary, "zh")
    long_reason = "只收到一半的茶叶，" * 120                      # over 1,000 characters
    r = support.post(village, f"/reports/{rid}/dispute", {"reason": long_reason})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and h.reports(app)[0][1] == "reported"
    assert long_reason in html and "1000" in _error_of(html, f"dispute-{rid}")
    assert 'maxlength="1000"' in html
    support.post(village, f"/reports/{rid}/dispute", {"reason": "只收到一半"})
    assert h.reports(app)[0][1] == "disputed"
    verifier = h.client_for(app, make_user("verifier", jurisdiction="43"), "zh")
    r = support.post(verifier, f"/reports/{rid}/decide", {"decision": "reject", "note": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and h.reports(app)[0][1] == "disputed"
    assert re.search(r'checked[^>]*value="reject"|value="reject"[^>]*checked', html)
    assert "理由" in _error_of(html, f"decision-note-{rid}")
    r = support.post(verifier, f"/reports/{rid}/decide", {"note": "单据与照片不符，仅一半"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "单据与照片不符，仅一半</textarea>" in html
    assert _error_of(html, f"decision-{rid}")
    told = support.post(verifier, f"/reports/{rid}/decide",
                        {"decision": "reject", "note": "单据不符"}, follow_redirects=True)
    assert "报告被驳回，不计入完成量；已通知双方。" in told.get_data(as_text=True)
    assert h.reports(app)[0][1] == "rejected"


def _report_ids(app) -> list[int]:  # noqa: ANN001
    from sqlalchemy import select

    from pairing.extensions import db
    from pairing.matching.models import ProgressReport

    with app.app_context():
        return list(db.session.scalars(select(ProgressReport.id).order_by(ProgressReport.id)))
