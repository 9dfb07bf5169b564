"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    if not code[2:8].isdigit():  # the registering authority's administrative code
        return False
    return check_char(code[:17]) == code[17]


def make(registrar: str, county_code: str, organisation: str) -> str:
    """Build a valid code: 2 registrar chars, 6-digit county, 9-char organisation code."""
    body = (registrar + county_code + organisation).upper()
    if len(body) != 17:
        raise ValueError("a credit code has 17 characters before its check character")
    return body + check_char(body)
