"""Database plumbing shared by every area: SQLite pragmas, write locks, timestamps."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

from .extensions import db

# One-shot flag: the next transaction on SQLite starts with BEGIN IMMEDIATE, so a
# read-then-write (money, stock) holds the write lock from its first read.
_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("immediate", default=False)


def utcnow() -> datetime:
    """Naive UTC: both databases store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


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
