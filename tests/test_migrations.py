"""The migrated schema equals the models, and migrations run down and up again."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

import support
from pairing import create_app
from pairing.extensions import db
from support import BACKEND, PG_URL


@pytest.fixture
def fresh_app(tmp_path):
    if BACKEND == "postgres":
        schema = f"m_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(support.pg_url(PG_URL))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        settings = {"SQLALCHEMY_DATABASE_URI": support.pg_url(PG_URL),
                    "SQLALCHEMY_ENGINE_OPTIONS": {
                        "connect_args": {"options": f"-csearch_path={schema},public"}}}
    else:
        settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}",
                    "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app = create_app(support.test_config(settings, tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()
    if BACKEND == "postgres":
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _not_fts(name, type_, _parent_names) -> bool:  # noqa: ANN001
    """SQLite FTS5 tables (and their shadow tables) live in migrations only, not models."""
    return not (type_ == "table" and name and (name.endswith("_fts") or "_fts_" in name))


def _diff() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_name": _not_fts})
        return compare_metadata(context, db.metadata)


def test_migrated_schema_equals_models(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="heads")
        assert _diff() == []


def test_migrations_go_down_and_up_again(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert names == set()
        upgrade(revision="heads")
        assert _diff() == []


def test_one_head():
    """Areas built side by side are merged: `flask db upgrade` and autogenerate need one."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from pairing import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
