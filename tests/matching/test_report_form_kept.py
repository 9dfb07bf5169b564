"""A progress report with errors comes back as it was typed, each error beside its field
and naming it; the chosen files are kept server-side for the retry (only for the same
account). Amounts are written as people write them ("50万", "１２００元")."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.db import today as beijing_today
from pairing.extensions import db
from pairing.matching import pending
from pairing.matching.models import ProgressReport


def _send(client, pairing_id: int, data: dict, files=()):  # noqa: ANN001, ANN202
    return support.post(client, f"/pairings/{pairing_id}/reports",
                        {**data, "files": list(files)}, content_type="multipart/form-data",
                        follow_redirects=True)


def _value(page: str, name: str) -> str | None:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>([^<]*)', page)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else tag.group(1).strip()


def test_two_errors_keep_the_typed_values_and_name_their_fields(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer, "zh")
    future = (beijing_today() + timedelta(days=5)).isoformat()
    got = _send(ent, pairing_id, {"quantity": "五十多块", "delivered_on": future,
                                  "note": "第一批茶叶已收购，共 120 箱"},
                [(io.BytesIO(h.PNG), "茶园.png")])
    page = got.get_data(as_text=True)
    assert got.status_code == 200 and h.reports(app) == []
    # The typed values are back in their fields.
    assert _value(page, "quantity") == "五十多块"
    assert _value(page, "delivered_on") == future
    assert "第一批茶叶已收购，共 120 箱" in page
    # Each error stands beside its field, named by the field's label.
    errors = re.findall(r'<div id="([a-z_]+)-error" class="field-errors">(.*?)</div>', page, re.S)
    named = {field: text for field, text in errors}
    assert set(named) == {"quantity", "delivered_on"}
    assert "交付数量：" in named["quantity"] and "交付日期：" in named["delivered_on"]
    assert 'aria-describedby="quantity-hint quantity-error"' in page
    # The photo waits on the server: named beside the field, sent again without choosing.
    hint = re.search(r'<small id="files-hint" class="hint">([^<]*)</small>', page).group(1)
    assert "茶园.png" in hint and "无需再次选择" in hint
    kept = _value(page, "kept")
    assert kept and re.fullmatch(r"[0-9a-f]{32}", kept)
    # Only the same account finds the kept files; its retry sends them without choosing.
    with app.app_context():
        assert pending.take(make_user("enterprise").id, kept) == []
        assert [n for n, _d in pending.take(m.officer.id, kept)] == ["茶园.png"]
    today = beijing_today().isoformat()
    _send(ent, pairing_id, {"quantity": "100", "delivered_on": today, "note": "",
                            "kept": kept})
    with app.app_context():
        files = [f.original_name for r in db.session.scalars(select(ProgressReport))
                 for f in r.files]
        assert files == ["茶园.png"] and pending.take(m.officer.id, kept) == []


def test_an_empty_report_says_which_fields_are_required(app, make_user):
    m, pairing_id = h.paired(app, make_user)
    ent = h.client_for(app, m.officer, "zh")
    page = _send(ent, pairing_id, {"quantity": "", "delivered_on": "", "note": "备注"}
                 ).get_data(as_text=True)
    for message in re.findall(r'<p class="error" role="alert">([^<]*)</p>', page):
        assert "：" in message and not message.startswith("该字段"), message
    assert "交付数量：" in page and "交付日期：" in page
    assert _value(page, "note") == "备注"
    assert h.reports(app) == []


def test_amounts_in_wan_are_accepted_where_money_is_reported(app, make_user):
    m, pairing_id = h.paired(app, make_user)  # procurement: yuan; 200,000 yuan paired
    ent = h.client_for(app, m.officer, "zh")
    today = beijing_today().isoformat()
    _send(ent, pairing_id, {"quantity": "1.2万", "delivered_on": today, "note": ""})
    _send(ent, pairing_id, {"quantity": "１２００元", "delivered_on": today, "note": ""})
    assert h.reports(app) == [(1_200_000, "reported"), (120_000, "reported")]
