"""Uploaded files follow their transaction: gone after a rollback, kept until a removal
commits."""

from __future__ import annotations

from sqlalchemy import text

from pairing import uploads
from pairing.extensions import db


def _file(tmp_path, name: str):  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(b"x")
    return path


def test_a_rolled_back_transaction_deletes_what_it_wrote(app, tmp_path):
    with app.app_context():
        db.session.execute(text("select 1"))
        path = _file(tmp_path, "new.pdf")
        uploads.written(db.session, path)
        db.session.rollback()
        assert not path.exists()
        db.session.execute(text("select 1"))
        kept = _file(tmp_path, "kept.pdf")
        uploads.written(db.session, kept)
        db.session.commit()
        db.session.execute(text("select 1"))
        db.session.rollback()  # a later rollback does not touch what an earlier commit kept
        assert kept.exists()


def test_a_removal_happens_only_when_it_commits(app, tmp_path):
    with app.app_context():
        db.session.execute(text("select 1"))
        path = _file(tmp_path, "old.jpg")
        uploads.remove_after_commit(db.session, path)
        db.session.rollback()
        assert path.exists()
        db.session.execute(text("select 1"))
        uploads.remove_after_commit(db.session, path)
        db.session.commit()
        assert not path.exists()
