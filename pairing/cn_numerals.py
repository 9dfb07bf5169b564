"""Numbers written the Chinese way, for pairing/numbers.py (its only caller).

One grammar for Arabic and Chinese digits alike: [section 亿] [section 万] [section], each
section below 万 written either as a plain number ("2000", "1.2") or with the units 十百千
("五十", "三千五百", "3千5百", "壹拾", "贰佰"). Readings kept from everyday writing:
- 两 is 2, 〇 and 零 are 0; the formal (大写) digits 壹贰叁肆伍陆柒捌玖 and units 拾佰仟
  and the traditional 萬億 read as the plain ones;
- 零 marks a gap ("一千零五" is 1005, "一亿零五百万" is 1.05亿);
- a lone digit right after a unit, without 零, is the next unit down, as people say it:
  "三千五" is 3500, "一万五" and "1万5" are 15,000, "两亿三" is 2.3亿;
- 十 alone is ten ("十二万" is 120,000).
Anything else (a unit twice, units out of order, 万 before 亿, two digits in a row) is None.
"""

from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = {**{c: i for i, c in enumerate("〇一二三四五六七八九")},
           **{c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}, "两": 2}
_ZEROS = "零〇"
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = str.maketrans({"萬": "万", "億": "亿"})
_NUM = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_TOKEN = re.compile(rf"{_NUM.pattern}|.")


def read(raw: str) -> Decimal | None:
    """The value of an unsigned number as typed (already without sign, ¥ or 元)."""
    raw = raw.translate(_BIG)
    yi, rest = raw.split("亿", 1) if "亿" in raw else (None, raw)
    wan, low = rest.split("万", 1) if "万" in rest else (None, rest)
    if "亿" in rest or "万" in low or (yi is not None and "万" in yi):
        return None
    value = Decimal(0)
    for text, scale in ((yi, 10**8), (wan, 10**4)):
        if text is None:
            continue
        part = _section(text)
        if part is None:
            return None
        value += part * scale
    if not low:
        return value if (yi or wan) else None
    tail = _section(low)
    if tail is None:
        return None
    if (yi is not None or wan is not None) and _lone_digit(low):
        # "一万五", "1万5": the unit below the last one said (千 after 万, 千万 after 亿).
        tail *= 1000 if wan is not None else 10**7
    return value + tail


def _lone_digit(text: str) -> bool:
    return len(text) == 1 and (text in "123456789" or _DIGITS.get(text, 0) > 0)


def _section(text: str) -> Decimal | None:
    """A number below a big unit: "2000", "1.2", "五十", "三千五", "零五百", "3千5百"."""
    if not text:
        return None
    if _NUM.fullmatch(text):
        return Decimal(text)
    value, digit = Decimal(0), None
    last_unit = 10**4
    after = "start"  # what came before the digit in hand: start, unit or zero
    previous = "start"
    for token in _TOKEN.findall(text):
        if token in _ZEROS:
            if digit is not None:
                return None  # "五零"
            previous = "zero"
        elif token in _DIGITS or _NUM.fullmatch(token):
            if digit is not None:
                return None  # two digits in a row: "一二"
            digit = Decimal(_DIGITS[token]) if token in _DIGITS else Decimal(token)
            after = previous
            previous = "digit"
        elif token in _UNITS:
            unit = _UNITS[token]
            if unit >= last_unit or (digit is None and unit != 10):
                return None  # "五百三千", "百"
            value += (digit if digit is not None else 1) * unit
            last_unit, digit, previous = unit, None, "unit"
        else:
            return None
    if previous == "zero" and value == 0 and digit is None:
        return Decimal(0)  # "零", "〇"
    if digit is not None:
        colloquial = after == "unit" and last_unit > 10 and digit == digit.to_integral_value()
        value += digit * (last_unit // 10) if colloquial and digit < 10 else digit
    elif previous == "zero":
        return None  # a trailing 零 says nothing: "五百零"
    return value if previous != "start" else None
