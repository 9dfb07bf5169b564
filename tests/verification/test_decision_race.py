"""Verifiers deciding the same entry at once through a multi-worker gunicorn: one
decision wins; every other verifier is shown the confirmation page again with a clear
message; one decision row and one audit row. No 500s."""

from __future__ import annotations

import pytest
from enterprises import factories as f
from sqlalchemy import func, select

from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.verification.models import VerificationDecision
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow
DESKS = 6


def _count(app, model, *where) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_verifiers_deciding_one_offer_and_one_enterprise_at_once(app, database, tmp_path,
                                                                 make_user):
    officer = make_user("enterprise")
    checked = f.offer(app, f.enterprise(app, officer.id, county=f.HUAYUAN),
                      description="收购湘西黄金茶 50 吨")
    pending = f.enterprise(app, make_user("enterprise").id, status="pending",
                           county=f.HUAYUAN, name="待审企业有限公司")
    verifiers = [make_user("verifier", jurisdiction="43") for _ in range(DESKS)]
    with app_servers(database, tmp_path, workers=3, threads=4,
                     worker_class="gthread") as (site,):
        desks = [HttpClient(site.url) for _ in verifiers]
        for desk, v in zip(desks, verifiers, strict=True):
            desk.login(v.email)
        tokens = [d.csrf("/verification") for d in desks]
        for path, refused in ((f"/verification/offers/{checked}", "此条目不在待核实状态"),
                              (f"/verification/enterprises/{pending}", "该条目不在待审核状态")):
            # Half approve, half reject (with a reason): whichever is first decides.
            answers = release_together(DESKS, lambda i, path=path: desks[i].post_form(
                path, {"decision": "verify" if i % 2 else "reject", "confirmed": "1",
                       "reason": "" if i % 2 else "内容与企业经营范围不符"}, token=tokens[i]))
            assert server_errors(answers) == []
            assert sorted(a.status_code for a in answers) == [200] * (DESKS - 1) + [302]
            assert all(refused in a.text for a in answers if a.status_code == 200)
        running(site)
    assert _count(app, VerificationDecision) == 2
    assert _count(app, AuditEvent, AuditEvent.action.in_(
        ("offer.checked", "offer.check_withdrawn"))) == 1
    assert _count(app, AuditEvent, AuditEvent.action.in_(
        ("enterprise.verify", "enterprise.reject"))) == 1
