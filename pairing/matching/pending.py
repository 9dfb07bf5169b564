"""Evidence files of a progress report that failed, kept for its retry.

A browser never sends a chosen file twice: after a report with errors the enterprise had
to find its photos again. The files that passed their checks are kept under
UPLOAD_DIR/pending/<user id>-<token>/ for KEEP_SECONDS; the form carries the token. Only
the same account finds them (the directory starts with its id, the token is 128 random
bits), and expired ones are removed whenever files are kept.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app

from . import evidence

KEEP_SECONDS = 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _root() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _folder(user_id: int, token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    return _root() / f"{int(user_id)}-{token}"


def _purge() -> None:
    limit = time.time() - KEEP_SECONDS
    for folder in _root().iterdir():
        try:
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue


def keep(user_id: int, files: list[tuple[str, bytes]], token: str = "") -> str:
    """The token under which these files (each one that passes evidence.check) wait."""
    _purge()
    good = []
    for name, data in files:
        try:
            evidence.check(name, data)
        except ValueError:
            continue
        good.append((evidence.safe_name(name), data))
    if not good:
        return ""
    folder = _folder(user_id, token) if token else None
    if folder is None:
        token = secrets.token_hex(16)
        folder = _folder(user_id, token)
    assert folder is not None
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, (_name, data) in enumerate(good):
        (folder / f"{i}.bin").write_bytes(data)
    (folder / "names.json").write_text(json.dumps([n for n, _d in good]), "utf-8")
    return token


def take(user_id: int, token: str) -> list[tuple[str, bytes]]:
    """The files kept for this account under this token; [] when none, expired or not
    its own."""
    folder = _folder(user_id, token)
    if folder is None or not folder.is_dir():
        return []
    if folder.stat().st_mtime < time.time() - KEEP_SECONDS:
        shutil.rmtree(folder, ignore_errors=True)
        return []
    try:
        names = json.loads((folder / "names.json").read_text("utf-8"))
        return [(str(name), (folder / f"{i}.bin").read_bytes()) for i, name in enumerate(names)]
    except (OSError, ValueError):
        return []


def names(user_id: int, token: str) -> list[str]:
    return [name for name, _data in take(user_id, token)]


def discard(user_id: int, token: str) -> None:
    folder = _folder(user_id, token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
