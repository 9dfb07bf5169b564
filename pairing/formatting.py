"""Numbers and times as the site's readers read them: the one place pages, mails and
downloads turn stored values (fen, counts, scores, UTC datetimes) into text.

- Money: Chinese readers count large sums in 万 and 亿 (¥50.3万, ¥1.21亿), English readers
  in thousands (¥503,000). `money` is for reading (large sums lose their fen, rounded to
  two decimals of 万/亿); `yuan_exact` (the `yuan` filter, pairing.ledger.money) stays for
  receipts, prices and the ledger, where every fen counts. `money_exact` writes 万/亿
  without losing a fen, and numbers.parse_fen reads every one of these back.
- People and counts: 1.2万人 / 12,000 people.
- Scores: a 0–100 figure with its parts (matching scores).
- Times: stored in UTC (db.utcnow), shown in Asia/Shanghai (Beijing time), always saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from .db import BEIJING, today
from .ledger.money import yuan as yuan_exact

WAN, YI = 10**4, 10**8
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _lang(lang: str | None) -> str:
    if lang:
        return lang
    if has_request_context():
        from .i18n import current_language
        return current_language()
    if has_app_context():  # a mail or a job, under force_locale
        from flask_babel import get_locale
        try:
            locale = get_locale()
        except RuntimeError:  # the locale selector reads the request
            locale = None
        return locale.language if locale else "zh"
    return "en"  # no app at all: labels stay untranslated (English), and so do numbers


def is_chinese(lang: str | None = None) -> bool:
    return _lang(lang) == "zh"


def _trim(value: Decimal) -> str:
    """12.30 -> 12.3, 12.00 -> 12 (no exponent: 1E+1 is never shown)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(yuan: Decimal, places: int | None) -> str:
    """A number of yuan in 亿/万 (Chinese), rounded to `places` or exact (None)."""
    for size, sign in ((YI, "亿"), (WAN, "万")):
        if abs(yuan) >= size:
            value = yuan / size
            if places is not None:
                value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
                if size == WAN and value >= WAN:  # 9999.999万 rounds to 1亿, not 10000万
                    return _scaled(Decimal(YI), places)
            return _trim(value) + sign
    if places is None:
        return f"{yuan:,f}".rstrip("0").rstrip(".") if yuan % 1 else f"{int(yuan):,}"
    return f"{yuan:,.2f}"


def exact_scaled(number: int) -> str:
    """A whole number in 万/亿 without rounding: 200000 -> 20万, 195170 -> 19.517万."""
    return _scaled(Decimal(number), None)


def money(fen: int | None, lang: str | None = None) -> str:
    """A sum as people read it. Chinese: ¥4,830.00 below 1万 yuan, then ¥50.3万 and
    ¥1.21亿 (two decimals of 万/亿 at most); English: ¥4,830.00 below ¥10,000, then
    ¥503,000 (whole yuan). None reads as a dash."""
    if fen is None:
        return "—"
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    yuan = Decimal(fen) / 100
    if yuan < WAN:
        return sign + yuan_exact(fen)
    if _lang(lang) == "zh":
        return f"{sign}¥{_scaled(yuan, 2)}"
    return f"{sign}¥{yuan.quantize(Decimal(1), ROUND_HALF_UP):,}"


def money_exact(fen: int, lang: str | None = None) -> str:
    """Every fen, in the reader's way: ¥50.345678万 / ¥503,456.78. numbers.parse_fen reads
    it back to the same fen (tests/test_formatting.py)."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    yuan = Decimal(fen) / 100
    if _lang(lang) == "zh" and yuan >= WAN:
        return f"{sign}¥{_scaled(yuan, None)}"
    return sign + yuan_exact(fen)


def figure(value: int, is_money: bool, lang: str | None = None) -> str:
    """A dashboard card's number under a label that names the unit ("筹得善款（元）"):
    no ¥. Money below 1万 yuan to the fen (21.98, or 0 when whole); from 1万 on 1.21亿 /
    50.3万 in Chinese, whole yuan in English; counts as `count`."""
    if not is_money:
        return count(value, lang)
    if value < 10**6:
        return f"{value // 100:,}" + (f".{value % 100:02d}" if value % 100 else "")
    yuan = Decimal(value) / 100
    if _lang(lang) == "zh":
        return _scaled(yuan, 2)
    return f"{yuan.quantize(Decimal(1), ROUND_HALF_UP):,}"


def count(n: int | None, lang: str | None = None) -> str:
    """A count: 8,500 / 1.2万 (Chinese from 10,000 on, two decimals at most)."""
    if n is None:
        return "—"
    if _lang(lang) == "zh" and abs(n) >= WAN:
        return _scaled(Decimal(n), 2)
    return f"{n:,}"


def people(n: int | None, lang: str | None = None) -> str:
    """1.2万人 / 12,000 people; 1 person."""
    if n is None:
        return "—"
    if _lang(lang) == "zh":
        return count(n, "zh") + "人"
    return f"{n:,} " + ("person" if n == 1 else "people")


@dataclass(frozen=True)
class Score:
    """A score on a 0–100 scale and its parts on the same scale (they add up to it)."""

    value: int
    parts: dict[str, int]


def score(parts: dict[str, float], weights: dict[str, float]) -> Score:
    """Points earned per part (of at most weights[part] each) as 0–100: a pair that earns
    every weight in full scores 100, whatever the weights sum to."""
    total = sum(max(0.0, float(w)) for w in weights.values()) or 1.0
    scaled = {k: round(100 * float(parts.get(k, 0)) / total) for k in weights}
    value = min(100, max(0, round(100 * sum(float(parts.get(k, 0)) for k in weights) / total)))
    return Score(value, scaled)


def localtime(value: datetime | None) -> datetime | None:
    """A stored time (UTC; naive ones are UTC, as db.utcnow writes them) in Beijing time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING)


ZONE_LABEL = _l("Beijing time")


def when(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M",
         zone: bool = True) -> str:
    """2026-12-07 02:18 (Beijing time); a plain date stays as it is (it has no zone)."""
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return value.strftime(fmt if "%H" not in fmt else "%Y-%m-%d")
    text = localtime(value).strftime(fmt)  # type: ignore[union-attr]
    return f"{text} ({ZONE_LABEL})" if zone and "%H" in fmt else text


def when_iso(value: datetime | None) -> str:
    """The machine-readable time of <time datetime=…>, with its offset (+08:00)."""
    local = localtime(value)
    return local.isoformat(timespec="seconds") if local else ""


def zh_content(text: object, lang: str | None = None) -> Markup:
    """User-entered text that is Chinese, on an English page: <span lang="zh-Hans"> so
    screen readers and fonts treat it as Chinese. Chinese pages and non-Chinese text
    pass through (escaped)."""
    if text is None:
        return Markup("")
    escaped = escape(text)
    if _lang(lang) != "zh" and CJK.search(str(text)):
        return Markup('<span lang="zh-Hans">%s</span>') % escaped
    return escaped


def init_app(app: Flask) -> None:
    # "number", not "count": Jinja's own count filter is the length of a list.
    for name, function in {"money": money, "money_exact": money_exact, "number": count,
                           "figure": figure,
                           "people": people, "localtime": localtime, "when": when,
                           "when_iso": when_iso, "zh": zh_content}.items():
        app.add_template_filter(function, name)
    app.add_template_global(ZONE_LABEL, "zone_label")
    app.add_template_global(today, "today")  # Beijing date: date inputs' max
