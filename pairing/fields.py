"""Form fields shared by every area: money and counts read by pairing.numbers.

Each keeps the text as typed (a failed form shows it again as it was) and holds the
value read from it in `.fen` / `.count` after validation. Never type=number, which
refuses "50万"; amounts keep the text keyboard (inputmode=text: a decimal pad has no 万),
counts get the numeric pad.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional, StopValidation, ValidationError

from . import numbers


def _optional(field: StringField) -> bool:
    return any(isinstance(v, Optional) for v in field.validators)


class _ReadField(StringField):
    def __init__(self, label: Any = None, validators: Any = None, *, inputmode: str,
                 placeholder: Any = None, **kwargs: Any) -> None:
        render_kw = {"inputmode": inputmode, "autocomplete": "off",
                     **({"placeholder": placeholder} if placeholder else {}),
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def read(self, text: str) -> None:
        raise NotImplementedError

    def pre_validate(self, form: Any) -> None:
        if not (self.data or "").strip():
            if _optional(self):
                return  # the Optional validator ends the chain; the value stays None
            raise StopValidation(_l("Enter a value."))
        try:
            self.read(self.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc.args[0])) from None


class AmountField(_ReadField):
    """Money in yuan: "5000", "50万", "1.2万", "1亿", "５０００", "¥1,200.50", "1200元".
    `.fen` holds it in whole fen after validation (None when empty or wrong)."""

    def __init__(self, label: Any = None, validators: Any = None, *, lo: int = 1,
                 hi: int = numbers.MAX_FEN, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", _l("e.g. 5000 or 1.2万"))
        super().__init__(label, validators, inputmode="text", **kwargs)
        self.lo, self.hi = lo, hi
        self.fen: int | None = None

    def read(self, text: str) -> None:
        self.fen = None
        self.fen = numbers.parse_fen(text, lo=self.lo, hi=self.hi)


class CountField(_ReadField):
    """A whole number of people or items: "30", "30人", "1.2万", "３０".
    `.count` holds it after validation (None when empty or wrong)."""

    def __init__(self, label: Any = None, validators: Any = None, *, lo: int = 1,
                 hi: int = numbers.MAX_PEOPLE, **kwargs: Any) -> None:
        super().__init__(label, validators, inputmode="numeric", **kwargs)
        self.lo, self.hi = lo, hi
        self.count: int | None = None

    def read(self, text: str) -> None:
        self.count = None
        self.count = numbers.parse_count(text, lo=self.lo, hi=self.hi)


class PlaceField(StringField):
    """A place as people write it ("浙江", "湖南省花垣县", "CN", or a code), read as its code
    (places.lookup.place_code); offered from the provinces' <datalist> (macros/forms.html
    place_list), so it works without script."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {"list": "place-names", "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def pre_validate(self, form: Any) -> None:
        from .places import lookup

        if not (self.data or "").strip():
            return  # DataRequired, when the form has it, says so
        try:
            self.data = lookup.place_code(self.data)
        except lookup.NotFound as exc:
            raise ValidationError(str(exc.args[0])) from None
