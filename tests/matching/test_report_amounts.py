"""Delivered, reported and remaining amounts of a pairing, as the pages show them.

A yearly commitment (procurement, e-commerce: "yuan per year") is delivered in plain yuan:
the pages say "4,830元" for what was delivered, reported or is left, and keep "元/年" for
the commitment itself. From 1万 yuan on, Chinese pages count in 万, exactly (20万元/年,
19.517万元)."""

from __future__ import annotations

import re

from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.matching.models import ProgressReport

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _dd(page: str, term: str) -> str:
    html = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", html).strip()


def _report_rows(app) -> list[ProgressReport]:  # noqa: ANN001
    with app.app_context():
        rows = list(db.session.scalars(select(ProgressReport).order_by(ProgressReport.id)))
        for r in rows:
            db.session.expunge(r)
        return rows


def test_delivered_reported_and_left_are_plain_yuan(app, make_user):
    m, pairing_id = h.paired(app, make_user)   # procurement: 200,000 yuan per year
    ent = h.client_for(app, m.officer, "zh")
    h.report(ent, pairing_id, "4830", headers=ZH)
    village = h.client_for(app, m.secretary, "zh")
    page = ent.get(f"/pairings/{pairing_id}", headers=ZH).get_data(as_text=True)
    assert _dd(page, "数量") == "20万元/年"               # the commitment
    assert re.search(r"</strong> · 4,830元\s*·", page) and "4,830元/年" not in page  # report
    assert "尚待报告：19.517万元。" in page                     # what is left
    (rid, *_rest), = [(r.id,) for r in _report_rows(app)]
    support.post(village, f"/reports/{rid}/confirm")
    page = ent.get(f"/pairings/{pairing_id}", headers=ZH).get_data(as_text=True)
    assert _dd(page, "已交付（已确认）") == "4,830元"
    assert _dd(page, "村的需求").startswith("4,830元 / 20万元/年")
    for url in ("/pairings", f"/enterprises/{m.enterprise_id}", f"/villages/{m.village_id}"):
        text = ent.get(url, headers=ZH).get_data(as_text=True)
        assert "4,830元/年" not in text, url
        assert "4,830元" in text, url
    text = ent.get("/pairings", headers=ZH).get_data(as_text=True)
    assert re.search(r"4,830元 / 20万元/年", text)
    text = app.test_client().get(f"/enterprises/{m.enterprise_id}",
                                 headers=EN).get_data(as_text=True)   # the public page
    assert "4,830 yuan / 200,000 yuan per year" in text


def test_disputed_report_shows_plain_yuan(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    h.report(h.client_for(app, m.officer), pairing_id, "4830")
    (rid, *_rest), = [(r.id,) for r in _report_rows(app)]
    support.post(h.client_for(app, m.secretary), f"/reports/{rid}/dispute",
                 {"reason": "只收到一半"})
    verifier = make_user("verifier", jurisdiction="43")
    page = h.client_for(app, verifier, "zh").get("/disputes", headers=ZH).get_data(as_text=True)
    assert ">4,830元</td>" in page


def test_people_kinds_still_count_people(app, make_user):
    from pairing.enterprises.kinds import format_amount, format_quantity

    assert format_amount("jobs", 30) == format_quantity("jobs", 30) == "30 people"
    assert format_amount("procurement", 483_000) == "4,830 yuan"
    assert format_quantity("procurement", 483_000) == "4,830 yuan per year"
    assert format_amount("investment", 150) == "1.50 yuan"
