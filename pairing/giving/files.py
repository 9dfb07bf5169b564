"""Uploaded evidence and invoices: checked by content, size-limited, stored by a
generated name under UPLOAD_DIR/giving, never served from a public path."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from .. import uploads

MAX_BYTES_DEFAULT = 5 * 1024 * 1024


class FileError(ValueError):
    pass


def sniff(data: bytes) -> tuple[str, str]:
    """(mime, extension) from the content; refuses anything but PDF and common images."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            kind = (img.format or "").lower()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileError(_l("The file must be a PDF or a picture (JPEG or PNG).")) from None
    if kind not in ("jpeg", "png", "webp"):
        raise FileError(_l("The file must be a PDF or a picture (JPEG or PNG)."))
    return f"image/{kind}", "jpg" if kind == "jpeg" else kind


def folder() -> Path:
    path = Path(str(current_app.config["UPLOAD_DIR"])) / "giving"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config.get("GIVING_MAX_FILE_BYTES", MAX_BYTES_DEFAULT))


def store(data: bytes) -> tuple[str, str, int]:
    """Write the bytes; returns (stored name, mime, size)."""
    uploads.check(data, max_bytes())
    mime, ext = sniff(data)
    name = f"{secrets.token_hex(16)}.{ext}"
    (folder() / name).write_bytes(data)
    return name, mime, len(data)


def path_of(stored_name: str) -> Path:
    return folder() / Path(stored_name).name
