"""The crowdfunding page loads its cards' villages and households with the requests."""

from __future__ import annotations

from sqlalchemy import event

from pairing.extensions import db


def test_crowdfunding_page_does_not_query_per_card(app, runner, client):
    runner.invoke(args=["demo", "load"])
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/crowdfunding")
        cards = page.get_data(as_text=True).count('class="card request-card"')
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert cards >= 5
    # A fixed handful (session, user, requests, their villages, households, badges...),
    # however many cards: one query per card would add at least `cards` more.
    assert len(statements) <= 10, "\n".join(statements)
