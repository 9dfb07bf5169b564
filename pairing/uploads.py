"""Uploaded files: read with a bound, and following the transaction of the rows that name
them.

Every upload is read here (`read`): never more than its limit into memory, refused when
too large or empty with the reader's language. A file is written before its row is committed (the row needs the file's name). If the
transaction rolls back, the file is deleted; a file that a transaction removes is deleted
only once that transaction has committed. So a failed request leaves no orphan on disk,
and a rolled-back removal never loses a file that its row still names.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

WRITTEN, REMOVED = "uploads_written", "uploads_removed"
MB = 1024 * 1024


class UploadError(ValueError):
    """An upload refused before anything is written; the message says why."""


def check(data: bytes, limit: int, too_large: object = None) -> bytes:
    """The bytes, if there are some and no more than `limit` (`too_large`: the message)."""
    if len(data) > limit:
        raise UploadError(too_large or _l("The file is larger than %(mb)d MB.", mb=limit // MB))
    if not data:
        raise UploadError(_l("The file is empty."))
    return data


def read(upload: FileStorage | BinaryIO, limit: int, too_large: object = None) -> bytes:
    """The bytes of a form's uploaded file (or of a stream), at most limit + 1 of them read:
    a larger upload is refused without being held in memory."""
    stream = upload.stream if isinstance(upload, FileStorage) else upload
    return check(stream.read(limit + 1), limit, too_large)


def written(session: Session, *paths: Path) -> None:
    """These files were just written for rows of this session's transaction."""
    session.info.setdefault(WRITTEN, []).extend(paths)


def remove_after_commit(session: Session, *paths: Path) -> None:
    session.info.setdefault(REMOVED, []).extend(paths)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(WRITTEN, None)
    _unlink(session.info.pop(REMOVED, []))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(REMOVED, None)
    _unlink(session.info.pop(WRITTEN, []))
