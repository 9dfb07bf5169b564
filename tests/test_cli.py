"""The flask commands: users, demo, housekeeping, backup."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pairing.accounts.models import LoginSession, User
from pairing.db import utcnow
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village
from support import BACKEND


def test_users_create_staff(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "V@Example.org", "--password",
                                 "long enough password", "--name", "核查员", "--role",
                                 "verifier", "--jurisdiction", "43"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "v@example.org"))
        assert user.role == "verifier" and user.jurisdiction == "43"


def test_users_create_refuses_staff_without_jurisdiction(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "v@example.org", "--password",
                                 "long enough password", "--name", "X", "--role", "verifier"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (User, Village, Enterprise))


def test_demo_load_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "demo-pass-2026" in first.output and "coordinator@" in first.output
    counts = _counts(app)
    assert counts[1] == 40 and counts[2] == 25
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert _counts(app) == counts


def test_demo_villages_are_in_real_western_counties(app, runner):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        villages = db.session.scalars(select(Village)).all()
        provinces = {v.county.province_code for v in villages}
        assert provinces <= {"43", "51", "52", "53", "62", "45", "64", "63", "65", "61", "50", "54"}
        assert all(0 < v.poor_population <= v.population for v in villages)
        assert any(v.name == "十八洞村" and v.county.name == "花垣县" for v in villages)


def test_housekeeping_expires_old_login_sessions(app, runner, make_user):
    user = make_user("donor")
    with app.app_context():
        db.session.add(LoginSession(token_hash="a" * 64, user_id=user.id,
                                    created_at=utcnow() - timedelta(days=31)))
        db.session.add(LoginSession(token_hash="b" * 64, user_id=user.id))
        db.session.commit()
    result = runner.invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    assert "login_sessions.expire=1" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


@pytest.mark.skipif(BACKEND != "sqlite", reason="the online backup is for SQLite")
def test_backup_copies_a_live_sqlite_database(app, runner, make_user, tmp_path):
    make_user("donor", email="kept@example.org")
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("select email from users").fetchall() == [("kept@example.org",)]


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL only")
def test_backup_points_postgres_to_pg_dump(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "pg_dump" in result.output
