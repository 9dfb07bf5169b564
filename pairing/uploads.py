"""Uploaded files follow the transaction of the rows that name them.

A file is written before its row is committed (the row needs the file's name). If the
transaction rolls back, the file is deleted; a file that a transaction removes is deleted
only once that transaction has committed. So a failed request leaves no orphan on disk,
and a rolled-back removal never loses a file that its row still names.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

WRITTEN, REMOVED = "uploads_written", "uploads_removed"


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
