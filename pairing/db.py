"""Database plumbing shared by every area: SQLite pragmas, write locks, timestamps."""

from __future__ import annotations

import contextvars
import functools
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session

from .extensions import db

# One-shot flag: the next transaction on SQLite starts with BEGIN IMMEDIATE, so a
# read-then-write (money, stock) holds the write lock from its first read.
_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("immediate", default=False)


def utcnow() -> datetime:
    """Naive UTC: both databases store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


# The zone of every date a person gives or reads (deliveries, visits, birthdays, offers'
# ends): from 00:00 to 08:00 Beijing time the UTC date is still yesterday's.
BEIJING = ZoneInfo("Asia/Shanghai")


def local_date(at: datetime) -> date:
    """The Beijing date of a stored time (naive = UTC, as utcnow writes it)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(BEIJING).date()


def today() -> date:
    """Today in Beijing time: the one "today" of the site (reads utcnow at call time, so a
    test that replaces pairing.db.utcnow moves it too)."""
    return local_date(utcnow())


def is_sqlite(session: Session | None = None) -> bool:
    bind = (session or db.session).get_bind()
    return bind.dialect.name == "sqlite"


def begin_write(session: Session | None = None) -> None:
    """Start a read-then-write unit of work.

    On SQLite the open read transaction (if it wrote nothing) is ended and the next one
    begins IMMEDIATE, taking the database's write lock before anything is read. On
    PostgreSQL services lock the rows they read with SELECT ... FOR UPDATE instead.
    """
    session = session or db.session
    if isinstance(session, scoped_session):
        session = session()
    if not is_sqlite(session):
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            session.flush()
        # A flushed write already holds the lock (and the flag would leak to the next,
        # unrelated transaction of this context); a pure read must be restarted.
        conn = session.connection()
        if conn.info.get("wrote"):
            return
        session.rollback()
    _immediate.set(True)


M = TypeVar("M")


def _plain(session: Session | scoped_session | None) -> Session:
    session = session or db.session
    return session() if isinstance(session, scoped_session) else session


def lock(session: Session | scoped_session | None, model: type[M], ident: int, *,
         others_may_refer: bool = False) -> M | None:
    """The row `model` `ident`, locked until the transaction ends and read afresh.

    The one way money and stock code locks a row. PostgreSQL: SELECT ... FOR UPDATE, and
    the object the session may already hold is overwritten with what the row says now
    (populate_existing): without that, a request that loaded the row before waiting for
    the lock would decide on what it read before the other request committed. SQLite:
    begin_write() makes this transaction the database's only writer, so the read is
    current too. Rows of several kinds are locked in the order README "Money, stock and
    locks" gives; ledger balances last, in ascending account id (ledger.post).

    others_may_refer: FOR NO KEY UPDATE instead, for rows (a person's) that are locked to
    serialise their owner's actions while other transactions insert rows referring to
    them (a notice, an audit row): the foreign-key check's KEY SHARE lock then does not
    wait, which would deadlock a gift holding its donor against one telling every donor.
    """
    session = _plain(session)
    begin_write(session)
    return session.scalar(select(model).where(model.id == ident)  # type: ignore[attr-defined]
                          .with_for_update(key_share=others_may_refer)
                          .execution_options(populate_existing=True))


# SQLSTATEs PostgreSQL uses for "run the transaction again": deadlock detected and
# serialization failure. SQLite says "database is locked" when a deferred transaction
# cannot take the write lock it needs.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
RETRY_ATTEMPTS = 4
F = TypeVar("F", bound=Callable[..., Any])


def is_conflict(exc: BaseException) -> bool:
    """A failure that says nothing about the request, only that another one crossed it."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(orig)


def retry_conflicts(view: F) -> F:
    """Re-run a view whose transaction lost a deadlock (or a serialization failure) to
    another request, a few times, instead of answering 500.

    Safe because a view is one transaction: everything it wrote is rolled back (uploaded
    files too, pairing.uploads) before it runs again from the start, on the same request.
    Only for views whose side effects all live in that transaction (no mail or job sent
    before the commit).
    """
    @functools.wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(RETRY_ATTEMPTS):
            try:
                return view(*args, **kwargs)
            except DBAPIError as exc:
                if not is_conflict(exc) or attempt == RETRY_ATTEMPTS - 1:
                    raise
                db.session.rollback()
                for upload in request.files.values():
                    upload.stream.seek(0)  # the form reads the file again
                # Apart, so the two that collided do not collide again at once.
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")
    return run  # type: ignore[return-value]


def _install_sqlite_hooks(engine: Engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Take transaction control from pysqlite so BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):  # noqa: ANN001
        conn.info["wrote"] = False
        if _immediate.get():
            _immediate.set(False)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.info["wrote"] = True
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def on_execute(conn, _cursor, statement, *_args):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "BEGIN", "WITH")):
            conn.info["wrote"] = True


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _install_sqlite_hooks(engine, int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
