"""The migrated schema equals the models, and migrations run down and up again."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

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


_MIGRATE = """
import sys, support
from pairing import create_app
url, schema, instance = sys.argv[1:]
app = create_app(support.test_config({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS":
    {"connect_args": {"options": f"-csearch_path={schema},public"}}}, __import__("pathlib").Path(instance)))
with app.app_context():
    support.migrate_to_head()
"""


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL only")
@pytest.mark.parametrize("schemas", [("s0", "s1"), ("s0", "s0")], ids=["two-schemas", "one-schema"])
def test_two_processes_migrate_a_fresh_database_at_once(tmp_path, schemas):
    """Two test workers (two schemas), or two app instances at a deploy (one schema),
    migrating a database that has no extension yet: both succeed. `CREATE EXTENSION IF NOT
    EXISTS` alone fails on pg_extension's unique index when another transaction is
    creating it too, and two runs on one schema would both create its tables."""
    name = f"pairing_fresh_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(support.pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = support.pg_url(PG_URL).rsplit("/", 1)[0] + "/" + name
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for schema in set(schemas):
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
        logs = [tmp_path / f"migrate{i}.log" for i in range(2)]  # files: a full pipe could block a child
        runs = []
        for i, log in enumerate(logs):
            with log.open("w") as err:
                runs.append(subprocess.Popen([sys.executable, "-c", _MIGRATE, url, schemas[i], str(tmp_path / f"i{i}")],
                                             env=env, stderr=err))
        codes = [r.wait(timeout=120) for r in runs]
        assert codes == [0, 0], [log.read_text()[-800:] for log in logs]
        with engine.connect() as conn:
            for schema in schemas:
                assert conn.scalar(sa.text(f"SELECT count(*) FROM {schema}.alembic_version")) == 1
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_search_grams_are_rebuilt_as_the_site_writes_them(fresh_app):
    """Migration 0032 turns the per-column grams of 0031 into one run per row with the
    owner's name: down to 0031 and up again gives exactly the grams the site wrote."""
    from enterprises import factories as f

    from pairing.enterprises.models import SearchGram
    from pairing.places.services import load_reference_data

    with fresh_app.app_context():
        upgrade(revision="heads")
        load_reference_data()
        db.session.commit()
        village = f.village(fresh_app, None, name="十八洞村", description="猕猴桃 基地")
        f.need(fresh_app, village, description="冷库")
        f.offer(fresh_app, f.enterprise(fresh_app, None, name="安吉白茶有限公司"),
                description="收购高山茶青")
        written = set(db.session.execute(sa.select(SearchGram.source, SearchGram.gram,
                                                   SearchGram.ref_id)).all())
        assert {s for s, _g, _r in written} == {"villages.text", "needs.text",
                                                 "enterprises.text", "offers.text"}
        assert ("needs.text", "洞", 1) in written and ("offers.text", "白茶", 1) in written
        db.session.remove()
        downgrade(revision="0031")
        before = set(db.session.execute(sa.text(
            "SELECT source, gram, ref_id FROM search_grams")).all())
        assert ("needs.description", "冷库", 1) in before
        assert not any(s == "needs.description" and g == "洞" for s, g, _r in before)
        db.session.remove()
        upgrade(revision="heads")
        assert set(db.session.execute(sa.select(SearchGram.source, SearchGram.gram,
                                                SearchGram.ref_id)).all()) == written
