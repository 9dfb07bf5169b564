"""'Why no proposal' on the enterprise's own page: facts of the last round, never guesses."""

from __future__ import annotations

from enterprises import factories as f
from matching import mhelp as h

import support
from pairing.db import utcnow
from pairing.enterprises.models import Enterprise
from pairing.extensions import db


def _why(app, who, enterprise_id: int) -> str:  # noqa: ANN001
    html = h.client_for(app, who).get(f"/enterprises/{enterprise_id}").get_data(as_text=True)
    start = html.find('id="why-no-proposal"')
    return html[start:html.find("</section>", start)] if start >= 0 else ""


def test_a_pending_enterprise_is_told_it_was_not_in_the_round(app, make_user):
    m = h.market(app, make_user)
    late = make_user("enterprise")
    e = f.enterprise(app, late.id, status="pending", name="新来的公司")
    f.offer(app, e)
    rid = h.run_round(app, m.coordinator)
    why = _why(app, late, e)
    assert f"第 {rid} 轮" in why or f"匹配轮次 {rid}" in why or str(rid) in why
    assert "尚未通过核实" in why
    # Once verified (after the round), the same fact stands: it was not in that round.
    with app.app_context():
        ent = db.session.get(Enterprise, e)
        ent.status, ent.verified_at = "verified", utcnow()
        db.session.commit()
    assert "尚未通过核实" in _why(app, late, e)


def test_an_outranked_offer_is_told_what_the_round_did_with_its_kind(app, make_user):
    m = h.market(app, make_user, max_villages=1)
    rival = make_user("enterprise")
    e2 = f.enterprise(app, rival.id, name="远方公司", county=f.ZHAOJUE)
    with app.app_context():
        db.session.get(Enterprise, e2).verified_at = utcnow().replace(year=2020)
        db.session.get(Enterprise, m.enterprise_id).verified_at = utcnow().replace(year=2020)
        db.session.commit()
    f.offer(app, e2, quantity=50_000_000)
    h.run_round(app, m.coordinator)
    got = {o for _p, o, *_r in h.proposals(app)}
    loser, loser_owner = (e2, rival) if m.offer_id in got else (m.enterprise_id, m.officer)
    why = _why(app, loser_owner, loser)
    assert "提出了 1 个" in why and "得分最高" in why
    # The winner's page has no such section, nor does anyone else's view of the loser.
    winner_owner, winner = (m.officer, m.enterprise_id) if loser == e2 else (rival, e2)
    assert _why(app, winner_owner, winner) == ""
    c = app.test_client()
    support.login(c, make_user("donor").email)
    assert "why-no-proposal" not in c.get(f"/enterprises/{loser}").get_data(as_text=True)


def test_no_round_no_section(app, make_user):
    m = h.market(app, make_user)
    assert _why(app, m.officer, m.enterprise_id) == ""
