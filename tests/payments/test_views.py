"""Payment pages: the demo notice, the bank details, and who may confirm."""

from __future__ import annotations

import support
from pairing.extensions import db
from pairing.payments import services as payments
from pairing.payments.models import Payment


def _start(app, payer_id, provider):
    from pairing.accounts.models import User

    with app.app_context():
        p = payments.start_payment("order", 2_500, db.session.get(User, payer_id),
                                   f"order:{provider}", provider=provider)
        db.session.commit()
        return p.id, p.transfer_code


def test_sandbox_page_says_it_is_a_demo(app, donor_client):
    pid, _ = _start(app, donor_client.user.id, "sandbox")
    page = donor_client.get(f"/payments/{pid}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "No real money" in page.get_data(as_text=True)


def test_manual_page_shows_the_transfer_code_only_to_the_payer(app, donor_client, make_user):
    pid, code = _start(app, donor_client.user.id, "manual")
    assert code in donor_client.get(f"/payments/{pid}").get_data(as_text=True)
    other = app.test_client()
    support.login(other, make_user("donor").email)
    assert other.get(f"/payments/{pid}").status_code == 404


def test_only_coordinators_confirm(app, donor_client, coordinator_client):
    pid, code = _start(app, donor_client.user.id, "manual")
    assert support.post(donor_client, f"/payments/{pid}/confirm").status_code == 403
    assert code in coordinator_client.get("/payments/pending").get_data(as_text=True)
    response = support.post(coordinator_client, f"/payments/{pid}/confirm")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Payment, pid).status == "confirmed"


def test_large_amounts_are_shown_with_thousands_separators(app, donor_client, coordinator_client):
    """A bank transfer of 1,234,567.89 yuan must be readable where the payer copies it and
    where staff match it."""
    from pairing.accounts.models import User

    with app.app_context():
        p = payments.start_payment("order", 123_456_789, db.session.get(User, donor_client.user.id),
                                   "order:large", provider="manual")
        db.session.commit()
        pid = p.id
    assert "¥1,234,567.89" in donor_client.get(f"/payments/{pid}").get_data(as_text=True)
    assert "¥1,234,567.89" in coordinator_client.get("/payments/pending").get_data(as_text=True)


def test_queue_says_what_each_payment_is_for_in_words(app, donor_client, coordinator_client,
                                                      make_user):
    """The 'For' column showed the raw code 'order order:7'."""
    import sys
    from pathlib import Path

    sys.path.append(str(Path(__file__).parent.parent / "giving"))
    from giving_helpers import world as make_world

    from pairing.accounts.models import User

    w = make_world(app, make_user)
    with app.app_context():
        payments.start_payment("order", 2_500, db.session.get(User, donor_client.user.id),
                               "order:7", provider="manual")
        db.session.commit()
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "30", "provider": "manual", "fallback": "0", "key": "bank1"})
    assert r.status_code == 302
    en = coordinator_client.get("/payments/pending", headers={"Accept-Language": "en"})
    text = en.get_data(as_text=True)
    assert "Shop order #7" in text and f"Donation to request #{w.request_id}" in text
    assert "order:7" not in text and "donation:" not in text
    zh = coordinator_client.get("/payments/pending", headers={"Accept-Language": "zh"})
    text = zh.get_data(as_text=True)
    assert "消费帮扶订单 #7" in text and f"捐给求助 #{w.request_id}" in text
    assert "龙德成" not in text  # no personal data of the household


def test_every_purpose_is_described_in_words(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for purpose in ("order", "donation"):
            text = payments.describe(Payment(purpose=purpose, reference=f"{purpose}:12",
                                             amount_fen=100, provider="manual"))
            assert "12" in text and ":" not in text and purpose not in text.split()[0]


def test_queue_describes_donations_with_one_query(app, donor_client, coordinator_client,
                                                  make_user):
    """Five pending bank gifts cost the queue no more queries than one (a describer sees
    its purpose's payments at once)."""
    import sys
    from pathlib import Path

    from sqlalchemy import event

    sys.path.append(str(Path(__file__).parent.parent / "giving"))
    from giving_helpers import world as make_world

    w = make_world(app, make_user)
    with app.app_context():
        engine = db.engine

    def queries_for_queue() -> int:
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):  # noqa: ANN001
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert coordinator_client.get("/payments/pending").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    def give(key: str) -> None:
        assert support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
            "amount": "30", "provider": "manual", "fallback": "0", "key": key}).status_code == 302

    give("bank-0")
    one = queries_for_queue()
    for n in range(1, 5):
        give(f"bank-{n}")
    page = coordinator_client.get("/payments/pending", headers={"Accept-Language": "en"})
    assert page.get_data(as_text=True).count(f"Donation to request #{w.request_id}") == 5
    assert queries_for_queue() == one
