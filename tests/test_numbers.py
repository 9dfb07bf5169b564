"""The one reader of typed numbers (pairing/numbers.py) and the one writer of numbers and
times (pairing/formatting.py): Chinese spellings of amounts read as the right fen, every
way the site writes an amount reads back to the same fen, garbage gets a clear message."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairing import formatting, numbers

MAX_FEN = numbers.MAX_FEN


@pytest.mark.parametrize("text,fen", [
    ("50万", 50_0000_00), ("1.2万", 1_2000_00), ("3万", 3_0000_00), ("1亿", 1_0000_0000_00),
    ("５０００", 5000_00), ("¥1,200.50", 1200_50), ("1200元", 1200_00), ("￥68", 68_00),
    ("3万元", 3_0000_00), ("1亿2000万", 1_2000_0000_00), ("3万5千", 3_5000_00),
    (" 1 200 ", 1200_00), ("１．５万", 1_5000_00), ("12.3", 12_30), ("¥50.3万", 50_3000_00),
    ("RMB 100", 100_00), ("100 yuan", 100_00), ("0.01", 1),
])
def test_chinese_and_western_spellings_read_as_fen(text, fen):
    assert numbers.parse_fen(text) == fen


@pytest.mark.parametrize("text", [
    "", "abc", "万", "元", "1e5", "Infinity", "NaN", "1万万", "5元万", "1.2.3", "--5", "¥",
    "1/2", "12,3a", "五零", "百", "五百三千", "一万亿", "万五", "一二三", "十十", "五百零", "1" * 41, "0x10",
])
def test_garbage_is_refused_with_the_amount_message(text):
    with pytest.raises(ValueError) as caught:
        numbers.parse_fen(text)
    assert "1.2万" in str(caught.value.args[0])  # says how to write one


def test_bounds_and_decimals_have_their_own_messages(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(ValueError, match="two decimals"):
            numbers.parse_fen("1.234")
        with pytest.raises(ValueError, match="above zero"):
            numbers.parse_fen("0")
        with pytest.raises(ValueError, match="above zero"):
            numbers.parse_fen("-5")
        with pytest.raises(ValueError, match="at most"):
            numbers.parse_fen("2亿", hi=10**10)
        assert numbers.parse_count("3万人", hi=10**6) == 30000
        with pytest.raises(ValueError, match="whole number"):
            numbers.parse_count("1.5")


fens = st.integers(min_value=1, max_value=MAX_FEN)


@given(fens, st.sampled_from(["zh", "en"]))
def test_exact_writing_reads_back_to_the_same_fen(fen, lang):
    assert numbers.parse_fen(formatting.money_exact(fen, lang)) == fen


@given(fens)
def test_ledger_and_form_writing_reads_back(fen):
    from pairing.ledger.money import plain, yuan
    assert numbers.parse_fen(yuan(fen)) == fen
    assert numbers.parse_fen(plain(fen)) == fen


@given(fens, st.sampled_from(["zh", "en"]))
def test_reading_writing_is_close_and_reads_back(fen, lang):
    """The rounded writing of large sums (¥50.35万) reads back within its rounding."""
    text = formatting.money(fen, lang)
    back = numbers.parse_fen(text)
    if fen < 10**6:  # below 1万 yuan every fen is written
        assert back == fen
    elif lang == "zh":
        scale = 10**10 if back >= 10**10 else 10**6  # 亿 or 万, in fen
        assert abs(back - fen) <= scale // 200
    else:
        assert abs(back - fen) <= 50


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_never_crashes(text):
    try:
        fen = numbers.parse_fen(text)
    except ValueError as exc:
        assert exc.args[0]
    else:
        assert 1 <= fen <= MAX_FEN


@pytest.mark.parametrize("fen,zh,en", [
    (483000, "¥4,830.00", "¥4,830.00"),
    (50_3000_00, "¥50.3万", "¥503,000"),
    (1_2100_0000_00, "¥1.21亿", "¥121,000,000"),
    (50_3456_78, "¥50.35万", "¥503,457"),
    (9999_9999_99, "¥1亿", "¥100,000,000"),
])
def test_money_as_officials_read_it(fen, zh, en):
    assert formatting.money(fen, "zh") == zh
    assert formatting.money(fen, "en") == en


def test_people_and_counts():
    assert formatting.people(12000, "zh") == "1.2万人"
    assert formatting.people(30, "zh") == "30人"
    assert formatting.people(12000, "en") == "12,000 people"
    assert formatting.count(103, "zh") == "103"


def test_score_is_0_to_100_with_parts():
    weights = {"distance": 40, "east_west": 15, "preferred": 10, "sector": 10, "poverty": 25}
    s = formatting.score({"distance": 30, "poverty": 25, "east_west": 15}, weights)
    assert s.value == 70 and s.parts["poverty"] == 25 and s.parts["sector"] == 0
    assert formatting.score({k: w for k, w in weights.items()}, weights).value == 100


def test_a_utc_time_reads_in_beijing_time():
    at = datetime(2026, 12, 6, 18, 18)  # naive: UTC, as db.utcnow stores it
    assert formatting.when(at, zone=False) == "2026-12-07 02:18"
    assert formatting.when(at.replace(tzinfo=UTC), zone=False) == "2026-12-07 02:18"
    assert formatting.when_iso(at) == "2026-12-07T02:18:00+08:00"


def test_chinese_content_is_marked_on_english_pages():
    assert str(formatting.zh_content("王家村", "en")) == '<span lang="zh-Hans">王家村</span>'
    assert str(formatting.zh_content("王家村", "zh")) == "王家村"
    assert str(formatting.zh_content("<b>Li</b>", "en")) == "&lt;b&gt;Li&lt;/b&gt;"


def test_decimal_reader_is_exact():
    assert numbers.parse_decimal("1.2万") == Decimal("12000")


def test_dashboard_figures():
    assert formatting.figure(2198, True, "zh") == "21.98"
    assert formatting.figure(0, True, "en") == "0"
    assert formatting.figure(1_2100_0000_00, True, "zh") == "1.21亿"
    assert formatting.figure(1_2100_0000_00, True, "en") == "121,000,000"
    assert formatting.figure(127_100, False, "zh") == "12.71万"
    assert formatting.figure(127_100, False, "en") == "127,100"


# --- Chinese numerals (pairing/cn_numerals.py) ---

@pytest.mark.parametrize("text,yuan", [
    ("五十万", 50_0000), ("一百二十万", 120_0000), ("三千五百元", 3500), ("两万", 2_0000),
    ("十二万五千", 12_5000), ("一亿零五百万", 1_0500_0000), ("壹拾万", 10_0000), ("贰佰", 200),
    ("壹拾万元整", 10_0000), ("十", 10), ("十五", 15), ("一千零五", 1005), ("一万零五十", 10050),
    ("三千五", 3500), ("一万五", 1_5000), ("1万5", 1_5000), ("两亿三", 2_3000_0000),
    ("一百二", 120), ("3千5百", 3500), ("¥五十万", 50_0000), ("伍仟肆佰叁拾贰", 5432),
    ("一亿〇五百万", 1_0500_0000), ("一百亿", 100_0000_0000), ("1亿零5", 1_0000_0005),
    ("贰萬", 2_0000), ("一萬零一", 1_0001), ("一千万", 1000_0000),
])
def test_chinese_numerals_read_as_yuan(text, yuan):
    assert numbers.parse_fen(text) == yuan * 100


def test_chinese_numerals_have_the_same_cap_and_zero_message(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(ValueError, match="at most"):
            numbers.parse_fen("一百零一亿")
        for zero in ("零", "〇", "零元"):
            with pytest.raises(ValueError, match="above zero"):
                numbers.parse_fen(zero)
        assert numbers.parse_count("三十人") == 30


_PLAIN = "零一二三四五六七八九"
_FORMAL = "零壹贰叁肆伍陆柒捌玖"


def _section(n: int, digits: str, units: str, two: str) -> str:
    """n (1..9999) in Chinese numerals, written independently of the parser: 零 for each
    gap between non-zero digits, 两 (when chosen) for a leading 2 before 百/千."""
    out, gap = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += (two if digit == 2 and not out and power >= 100 else digits[digit]) + unit
    return out


def to_chinese(n: int, formal: bool = False, two: bool = False) -> str:
    digits, units = (_FORMAL, "拾佰仟") if formal else (_PLAIN, "十百千")
    two_char = "两" if two else digits[2]
    out, need_zero = "", False
    for scale, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        part = n // scale % 10**4 if scale < 10**8 else n // scale
        if part == 0:
            need_zero = need_zero or bool(out)
            continue
        if out and (need_zero or part < 1000):
            out += "零"
        out += _section(part, digits, units, two_char) + name
        need_zero = False
    return out


@given(st.integers(min_value=1, max_value=MAX_FEN // 100), st.booleans(), st.booleans(),
       st.sampled_from(["", "元", "元整", "¥"]))
def test_any_yuan_written_in_chinese_numerals_reads_back(yuan, formal, two, around):
    text = to_chinese(yuan, formal, two)
    text = "¥" + text if around == "¥" else text + around
    assert numbers.parse_fen(text) == yuan * 100, text


def test_the_test_writer_is_right():
    assert to_chinese(1_0500_0000) == "一亿零五百万"
    assert to_chinese(12_5000) == "十二万五千" or to_chinese(12_5000) == "一十二万五千"
    assert to_chinese(1005) == "一千零五" and to_chinese(2000, two=True) == "两千"
