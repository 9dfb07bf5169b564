"""Product photos: checked by their content, re-encoded small for phones, named at random.

Re-encoding drops whatever the upload carried besides pixels (EXIF with GPS positions,
scripts disguised as images). Files live under UPLOAD_DIR/shop/ as <name>.jpg (at most
1024 px) and <name>_t.jpg (a 320 px thumbnail for cards).
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from .. import uploads

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
WEB_SIZE = 1024
THUMB_SIZE = 320
MAX_PHOTOS = 6


class PhotoError(ValueError):
    pass


def folder() -> Path:
    path = Path(str(current_app.config["UPLOAD_DIR"])) / "shop"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config.get("SHOP_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def _read(stream: FileStorage | BinaryIO) -> bytes:
    try:
        return uploads.read(stream, max_bytes(), _l("The photo is larger than %(mb)d MB.",
                                                    mb=max_bytes() // uploads.MB))
    except uploads.UploadError as exc:
        raise PhotoError(*exc.args) from None


def _open(data: bytes) -> Image.Image:
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in FORMATS:
            raise PhotoError(_l("Upload a JPEG, PNG or WebP photo."))
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise PhotoError(_l("The photo has too many pixels."))
        probe.verify()  # a truncated or forged file fails here
        image = Image.open(io.BytesIO(data))
        image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise PhotoError(_l("This file is not a photo we can read.")) from None
    return ImageOps.exif_transpose(image).convert("RGB")


def store(stream: FileStorage | BinaryIO) -> tuple[str, int, int]:
    """Check and re-encode an upload (a form's file or a stream); returns (name, width, height) of the web version."""
    image = _open(_read(stream))
    name = secrets.token_hex(12)
    target = folder()
    web = image.copy()
    web.thumbnail((WEB_SIZE, WEB_SIZE))
    web.save(target / f"{name}.jpg", "JPEG", quality=82, optimize=True, progressive=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    thumb.save(target / f"{name}_t.jpg", "JPEG", quality=78, optimize=True)
    return name, web.width, web.height


def paths(name: str) -> tuple[Path, Path]:
    """The web version and the thumbnail of a stored photo."""
    return folder() / f"{name}.jpg", folder() / f"{name}_t.jpg"
