"""Uploaded files follow their transaction: gone after a rollback, kept until a removal
commits."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text
from werkzeug.datastructures import FileStorage

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


class _Counting(io.BytesIO):
    """A stream that remembers how many bytes were asked of it."""

    asked: list[int]

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        self.asked = [*getattr(self, "asked", []), -1 if size is None else size]
        return super().read(size)


def test_an_upload_is_read_with_a_bound(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        big = _Counting(b"x" * 5000)
        with pytest.raises(uploads.UploadError, match="larger than 0 MB"):
            uploads.read(FileStorage(big), 1000)
        assert big.asked == [1001]  # never the whole upload into memory
        assert uploads.read(FileStorage(io.BytesIO(b"%PDF-")), 1000) == b"%PDF-"
        assert uploads.read(io.BytesIO(b"ab"), 2) == b"ab"  # a plain stream too
        with pytest.raises(uploads.UploadError, match="The file is empty"):
            uploads.read(io.BytesIO(b""), 1000)
        with pytest.raises(uploads.UploadError, match="^too big$"):
            uploads.read(io.BytesIO(b"abc"), 2, "too big")
