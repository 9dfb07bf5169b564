"""The offer and need taxonomy as the site shows it: kinds, mechanisms, units, amounts.

The kinds come from solver/taxonomy.py (one list for both sides). Money kinds are stored
in fen (integer), people kinds in people; forms take yuan or people.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from solver.taxonomy import KINDS, MECHANISMS

from .. import numbers

KIND_LABELS = {
    "investment": _l("Industrial investment"),
    "procurement": _l("Procurement of village produce"),
    "ecommerce": _l("E-commerce channel"),
    "jobs": _l("Jobs"),
    "training": _l("Vocational training seats"),
    "donation": _l("Donation"),
    "infrastructure": _l("Infrastructure"),
    "education": _l("Education"),
    "medical": _l("Medical care"),
}
MECHANISM_LABELS = {
    "industry": _l("Industry"),
    "employment": _l("Employment"),
    "welfare": _l("Public welfare"),
}
UNIT_LABELS = {"yuan": _l("yuan"), "yuan per year": _l("yuan per year"), "people": _l("people")}
# Above these a quantity is a typing error, not help: 10 billion yuan, 100,000 people.
MAX_FEN = numbers.MAX_FEN
MAX_PEOPLE = numbers.MAX_PEOPLE

assert set(KIND_LABELS) == set(KINDS) and set(MECHANISM_LABELS) == set(MECHANISMS)


def mechanism(kind: str) -> str:
    return KINDS[kind][0]


def unit(kind: str) -> str:
    return KINDS[kind][1]


def is_money(kind: str) -> bool:
    return unit(kind) != "people"


MONEY_KINDS = [k for k in KINDS if is_money(k)]
PEOPLE_KINDS = [k for k in KINDS if not is_money(k)]


def kinds_of(mech: str) -> list[str]:
    return [k for k, (m, _u) in KINDS.items() if m == mech]


def kind_choices() -> list[tuple[str, object]]:
    return [(k, KIND_LABELS[k]) for k in KINDS]


def parse_number(text: object) -> Decimal | None:
    """A typed number ("1,234.50", "50万", "1.2万", full-width digits, "¥", "元") as a
    Decimal; None when the text is not a number (words, exponents, infinities, NaN).
    The one reader is pairing.numbers; this name stays for the areas that call it."""
    return numbers.parse_decimal(text)


def parse_quantity(kind: str, text: object) -> int:
    """Yuan (up to 2 decimals) or whole people -> stored integer (fen or people).

    Raises ValueError with a translatable message."""
    if kind not in KINDS:
        raise ValueError(_l("Unknown kind of help."))
    value = parse_number(text)
    if value is None:
        raise ValueError(_l("The quantity must be a number."))
    if value <= 0:
        raise ValueError(_l("The quantity must be more than zero."))
    if is_money(kind):
        fen = value * 100
        if fen != fen.to_integral_value():
            raise ValueError(_l("An amount of money has at most two decimals (fen)."))
        if fen > MAX_FEN:
            raise ValueError(_l("The amount is implausibly large (at most 10 billion yuan)."))
        return int(fen)
    if value != value.to_integral_value():
        raise ValueError(_l("A number of people is a whole number."))
    if value > MAX_PEOPLE:
        raise ValueError(_l("The number of people is implausibly large (at most 100,000)."))
    return int(value)


def plain_quantity(kind: str, stored: int) -> str:
    """The stored integer as a form shows it (yuan or people)."""
    if is_money(kind):
        return f"{Decimal(stored) / 100:f}".rstrip("0").rstrip(".") if stored % 100 else str(stored // 100)
    return str(stored)


def _number(kind: str, stored: int) -> str:
    """Chinese readers count whole yuan from 1万 on in 万 and 亿, exactly (20万, 19.517万:
    what is left to report must not be rounded); English in thousands. Fen are kept when
    there are any; people in thousands in both."""
    from ..formatting import exact_scaled, is_chinese

    if is_money(kind):
        if is_chinese() and stored >= 10**6 and stored % 100 == 0:
            return exact_scaled(stored // 100)
        yuan = stored / 100
        return f"{yuan:,.0f}" if stored % 100 == 0 else f"{yuan:,.2f}"
    return f"{stored:,}"


def _with_unit(number: str, unit_name: str) -> str:
    from ..formatting import is_chinese

    # 50.3万元, 30人: Chinese writes a unit against its number; English with a space.
    return f"{number}{UNIT_LABELS[unit_name]}" if is_chinese() else \
        f"{number} {UNIT_LABELS[unit_name]}"


def format_quantity(kind: str, stored: int) -> str:
    """A commitment for pages (an offer's, a need's, a pairing's quantity): 1,234,500 yuan
    per year / 123.45万元/年 / 30 people (unit translated)."""
    return _with_unit(_number(kind, stored), unit(kind))


def format_amount(kind: str, stored: int) -> str:
    """What was delivered, reported or is left of a commitment: 4,830 yuan / 30 people.
    A delivery happens once, so "yuan per year" kinds count it in plain yuan."""
    return _with_unit(_number(kind, stored), "yuan" if is_money(kind) else "people")
