"""Resident ID numbers (GB 11643-1999): checksum, encryption at rest, keyed hash, masking.

The key comes from HOUSEHOLD_DATA_KEY (configuration or environment); without one, a
development key is derived from SECRET_KEY, so a production site sets its own and keeps
it apart from the session secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import date

from cryptography.fernet import Fernet
from flask import current_app

from ..db import today  # Beijing date: a baby born there today is not in the future

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def problem(value: str) -> str | None:
    """What is wrong with a resident ID number: "length", "characters", "birth_date",
    "check_character", or None when it is valid."""
    v = normalise(value)
    if len(v) != 18:
        return "length"
    if not v[:17].isdigit() or not v[:17].isascii() or v[17] not in "0123456789X":
        return "characters"
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "birth_date"
    if born.year < 1900 or born > today():
        return "birth_date"
    if v[17] != check_char(v[:17]):
        return "check_character"
    return None


def is_valid(value: str) -> bool:
    """18 characters, a plausible birth date, and the GB 11643 check character."""
    return problem(value) is None


def make(county: str, born: date, sequence: int) -> str:
    """A checksummed number (for demo and tests: fictional people)."""
    first = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first + check_char(first)


def mask(value: str) -> str:
    v = normalise(value)
    return v[:6] + "*" * 8 + v[-4:]


def _key() -> bytes:
    configured = current_app.config.get("HOUSEHOLD_DATA_KEY") or os.environ.get(
        "HOUSEHOLD_DATA_KEY", "")
    if configured:
        return str(configured).encode()
    return f"household-data:{current_app.config['SECRET_KEY']}".encode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"enc:" + _key()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> bytes:
    return _fernet().encrypt(normalise(value).encode())


def decrypt(token: bytes) -> str:
    return _fernet().decrypt(token).decode()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of the number: equal numbers match, the number cannot be read back."""
    key = hashlib.sha256(b"mac:" + _key()).digest()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()
