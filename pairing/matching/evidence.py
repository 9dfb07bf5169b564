"""Evidence files of progress reports: photos (JPEG, PNG, WebP) and PDFs.

The type is read from the first bytes, never from the name; files are stored under
UPLOAD_DIR/evidence (outside static/) under random names, so nothing a user typed
reaches the file system.
"""

from __future__ import annotations

import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
         "application/pdf": ".pdf"}


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def limit() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", MAX_BYTES))


def check(name: str, data: bytes) -> tuple[str, str]:
    """(content type, a safe display name) or ValueError with a translatable message."""
    if not data:
        raise ValueError(_l("The file %(name)s is empty.", name=safe_name(name)))
    if len(data) > limit():
        raise ValueError(_l("The file %(name)s is larger than %(mb)s MB.", name=safe_name(name),
                            mb=limit() // (1024 * 1024)))
    kind = sniff(data[:16])
    if kind is None:
        raise ValueError(_l("The file %(name)s is not a photo (JPEG, PNG, WebP) or a PDF.",
                            name=safe_name(name)))
    return kind, safe_name(name)


def safe_name(name: str) -> str:
    """Only the last part of a name, without path or odd characters (display only)."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    kept = "".join(ch for ch in base if ch.isalnum() or ch in "._-()（） ").strip(" .")
    return (kept or "file")[-120:]


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes, content_type: str) -> str:
    stored = secrets.token_hex(16) + TYPES[content_type]
    (folder() / stored).write_bytes(data)
    return stored


def path_of(stored_name: str) -> Path:
    return folder() / Path(stored_name).name


def served_type(stored_type: str, path: Path) -> str:
    """The type a download is sent as: the one checked at upload, if the file still starts
    as that type; anything else is sent as opaque bytes (never as a page a browser runs)."""
    with path.open("rb") as f:
        head = f.read(16)
    return stored_type if stored_type in TYPES and sniff(head) == stored_type \
        else "application/octet-stream"


def download_name(file_id: int, content_type: str) -> str:
    """A generated name: the uploader's name (say poly.pdf.html) never reaches a reader's
    disk; the extension follows the checked type."""
    return f"evidence-{file_id}{TYPES.get(content_type, '.bin')}"
