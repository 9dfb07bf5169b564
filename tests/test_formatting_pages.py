"""What people read on the pages: times in Beijing time, Chinese content marked as such on
English pages, quantities with their unit in the audit log, the round's score on 0–100."""

from __future__ import annotations

import re
from datetime import datetime

from enterprises import factories as f
from matching import mhelp as h

from pairing.extensions import db
from pairing.matching.models import Notification

EN = {"Accept-Language": "en"}


def test_a_known_utc_time_reads_eight_hours_later_in_beijing_time(app, make_user):
    officer = make_user("enterprise")
    with app.app_context():
        db.session.add(Notification(user_id=officer.id, kind="proposals.new",
                                    params={"count": 2}, link="/proposals",
                                    created_at=datetime(2026, 12, 6, 18, 18)))
        db.session.commit()
    page = h.client_for(app, officer, "zh").get("/inbox").get_data(as_text=True)
    assert "2026-12-07 02:18 (北京时间)" in page and "18:18" not in page
    assert 'datetime="2026-12-07T02:18:00+08:00"' in page


def test_english_pages_mark_chinese_content(app, make_user):
    village_id = f.village(app, make_user("secretary").id, name="十八洞村")
    page = app.test_client().get(f"/villages/{village_id}", headers=EN).get_data(as_text=True)
    assert '<span lang="zh-Hans">十八洞村</span>' in page
    page = app.test_client().get(f"/villages/{village_id}",
                                 headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert '<span lang="zh-Hans">十八洞村</span>' not in page and "十八洞村" in page


def test_audit_log_shows_a_reported_quantity_in_yuan_not_fen(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    h.report(h.client_for(app, m.officer), pairing_id, "4830")
    coordinator = h.client_for(app, m.coordinator, "zh")
    page = coordinator.get("/admin/audit?object_type=progress_reports").get_data(as_text=True)
    assert "4,830元" in page
    assert not re.search(r"<dd>483000</dd>", page)


def test_round_page_explains_the_score_on_0_to_100(app, make_user):
    m = h.market(app, make_user)
    round_id = h.run_round(app, m.coordinator)
    page = h.client_for(app, m.coordinator, "zh").get(f"/rounds/{round_id}").get_data(
        as_text=True)
    assert "得分的含义" in page and "结对平均得分（0–100）" in page
    average = int(re.search(r'<span class="number">(\d+)</span>结对平均得分', page).group(1))
    assert 0 <= average <= 100
    assert "总得分" not in page
