"""Pages that show money only read: a write while rendering a GET runs in a read
transaction, which on SQLite fails with "database is locked" as soon as another request
writes (the payouts page used to create a village's sales account while rendering)."""

from __future__ import annotations

from sqlalchemy import event

from pairing.extensions import db

from .shop_helpers import make_village


def _writes_during(app, call) -> list[str]:  # noqa: ANN001
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "BEGIN", "WITH",
                                                      "SAVEPOINT", "RELEASE", "ROLLBACK",
                                                      "COMMIT", "SHOW", "SET")):
            seen.append(statement.split()[0] + " " + statement.split()[2])
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_payouts_page_of_villages_that_never_sold_writes_nothing(app, client, shop,
                                                                    make_user):
    import support

    make_village(app, shop.secretary.id, "新村")  # a second village, no sales yet
    support.login(client, shop.secretary.email)
    pages = []
    writes = _writes_during(app, lambda: pages.append(client.get("/shop/payouts")))
    assert pages[0].status_code == 200
    assert "¥0.00" in pages[0].get_data(as_text=True)
    assert writes == []
