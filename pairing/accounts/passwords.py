"""Which new passwords are refused (OWASP ASVS 5.0, 6.2.1-6.2.4, 6.2.11).

At least 10 characters (no other composition rule), not one of the 20,000 most common
breached passwords (a list shipped beside this file: no network at run time), and not the
person's own e-mail address or name.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 128
LIST = Path(__file__).with_name("data") / "common-passwords.txt.gz"


@cache
def common() -> frozenset[str]:
    with gzip.open(LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def _bare(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused (a translatable sentence), or None when it may be used."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return str(_l("Use 10 to 128 characters."))
    lowered = password.lower()
    # "Password1234" and "password 1234" are the list's "password1234" too.
    if lowered in common() or _bare(password) in common() or len(set(lowered)) < 4:
        return str(_l("This password is among the most common ones and easy to guess. "
                      "Choose another, e.g. a few unrelated words."))
    mine = {_bare(email.split("@")[0]), _bare(email), _bare(name)} - {""}
    if any(part and len(part) >= 4 and part in _bare(password) for part in mine):
        return str(_l("Do not use your e-mail address or name in the password."))
    return None
