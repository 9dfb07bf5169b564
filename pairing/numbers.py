"""The one reader of numbers as people type them: amounts of money and counts.

Chinese officials, enterprises and donors write "50万", "1.2万", "3万元", "1亿",
"1亿2000万", full-width "５０００", "¥1,200.50", "￥68", "1200元" and "30人", and in
Chinese numerals "五十万", "一百二十万", "两万", "壹拾万" (pairing/cn_numerals.py); English
readers write "1,200.50". Every money and quantity field of the site (forms.AmountField,
offers, needs, progress reports, imports, the shop) reads its text here, so they all take
the same spellings and refuse the same garbage with the same message.

Refused: words, exponents ("1e5"), "Infinity"/"NaN" (Decimal() alone would take them), a
unit word in the middle, more than 40 characters.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from . import cn_numerals

# Above these a quantity is a typing error, not help: 10 billion yuan, 100,000 people.
MAX_FEN = 10**12
MAX_PEOPLE = 100_000
MAX_LENGTH = 40

# Written around the number, never inside it: a currency sign before, a unit after.
_PREFIXES = ("¥", "￥", "RMB", "CNY", "人民币")
_SUFFIXES = ("元整", "元", "块钱", "块", "yuan", "RMB", "CNY", "人次", "人", "名", "位",
             "people", "persons", "person")


def _clean(text: object) -> str:
    """NFKC (full-width digits, point, comma and ￥ read as ASCII), no separators."""
    raw = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    return re.sub(r"[\s,]", "", raw)


def parse_decimal(text: object) -> Decimal | None:
    """The number a person typed, exactly, as a Decimal; None when it is not a number.

    >>> parse_decimal("1.2万"), parse_decimal("¥1,200.50"), parse_decimal("５０００")
    (Decimal('12000.0'), Decimal('1200.50'), Decimal('5000'))
    """
    raw = _clean(text)
    if not raw or len(raw) > MAX_LENGTH:
        return None
    lowered = raw.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix.lower()):
            raw, lowered = raw[len(prefix):], lowered[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix.lower()):
            raw = raw[: len(raw) - len(suffix)]
            break
    sign = raw[:1] if raw[:1] in "+-" else ""
    value = cn_numerals.read(raw[len(sign):])
    if value is None:
        return None
    return -value if sign == "-" else value


AMOUNT_MESSAGE = _l("Enter an amount in yuan, such as 5000, 1.2万 or ¥1,200.50.")


def parse_fen(text: object, *, lo: int = 1, hi: int = MAX_FEN) -> int:
    """Yuan as typed -> whole fen within [lo, hi]; ValueError with a message for people."""
    value = parse_decimal(text)
    if value is None:
        raise ValueError(AMOUNT_MESSAGE)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(_l("An amount of money has at most two decimals (fen)."))
    fen_int = int(fen)
    if fen_int < lo:
        raise ValueError(_l("Enter an amount above zero.") if lo <= 1 else
                         _l("Enter at least %(amount)s.", amount=_yuan(lo)))
    if fen_int > hi:
        raise ValueError(_l("Enter at most %(amount)s.", amount=_yuan(hi)))
    return fen_int


def parse_count(text: object, *, lo: int = 1, hi: int = MAX_PEOPLE) -> int:
    """A whole number of people (or items) as typed ("30", "30人", "1.2万"), within
    [lo, hi]; ValueError with a message for people."""
    value = parse_decimal(text)
    if value is None:
        raise ValueError(_l("Enter a whole number, such as 30."))
    if value != value.to_integral_value():
        raise ValueError(_l("A number of people is a whole number."))
    count = int(value)
    if count < lo:
        raise ValueError(_l("Enter at least %(n)s.", n=format(lo, ",")))
    if count > hi:
        raise ValueError(_l("Enter at most %(n)s.", n=format(hi, ",")))
    return count


def _yuan(fen: int) -> str:
    from .formatting import money
    return money(fen)
