"""Input that no page or API should ever see: checked once, for every request.

- Text: a NUL character (PostgreSQL cannot store it; it cuts strings short in C code) or a
  lone UTF-16 surrogate (JSON's "\\ud800" decodes to one; it cannot be encoded as UTF-8,
  so storing or rendering it fails) anywhere in the query string, the form, file names, the
  URL's own parts or a JSON body is refused with a clear 400 before any view runs.
- Numbers in forms: WTForms' IntegerField, DecimalField and FloatField take only finite
  values within MAX_ID.
- Integers: ids in URLs (<int:…>) and in query arguments fit the database's 32-bit
  integer columns, and a page number is at most MAX_PAGE; larger values are not found (URL)
  or ignored (query), never sent to the database, where they overflow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger
MAX_PAGE = 100_000
DIGITS = re.compile(r"^[0-9]{1,18}$")  # ASCII only: "²".isdigit() is true, int("²") fails
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


class BadInput(BadRequest):
    """A 400 whose message the error page shows in the reader's language."""

    def __init__(self, message: object) -> None:
        super().__init__()
        self.user_message = message


def number(text: str | None, *, lo: int = 1, hi: int = MAX_ID) -> int | None:
    """A whole number written in ASCII digits within [lo, hi]; None for anything else."""
    text = (text or "").strip()
    if not DIGITS.match(text):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def int_arg(name: str, default: int | None = None, *, lo: int = 1, hi: int = MAX_ID
            ) -> int | None:
    """A query argument read as a bounded whole number: the one way views read ids,
    page numbers and counts from the URL. Absent or out of bounds: the default."""
    value = number(request.args.get(name), lo=lo, hi=hi)
    return default if value is None else value


def page_arg() -> int:
    return int_arg("page", 1, hi=MAX_PAGE) or 1


class BoundedIntConverter(IntegerConverter):
    """<int:…> in a URL: at most MAX_ID, so /things/99999999999999999999 is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _request_texts() -> Iterator[str]:
    for multi in (request.args, request.form):
        for key, values in multi.lists():
            yield key
            yield from values
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""
    yield from _texts(request.view_args or {})
    if request.is_json:
        yield from _texts(request.get_json(silent=True))


def check_request() -> None:
    if any(BAD_CHARACTER.search(text) for text in _request_texts()):
        raise BadInput(_l("The request contains a character that cannot be stored (a NUL "
                          "character or a broken one). Remove it and try again."))


def _bound_number_fields() -> None:
    """WTForms' number fields take any int ("99999999999999999999") and NaN or infinity
    (DecimalField, FloatField); every form of the site is bounded here, once, rather
    than by a validator each form could forget."""
    import math
    from decimal import Decimal

    from wtforms import DecimalField, FloatField, IntegerField

    def bounded(field_class: type, ok: Any, message: str) -> None:
        parse = field_class.process_formdata
        if getattr(parse, "bounded", False):
            return

        def process_formdata(self: Any, valuelist: list[Any]) -> None:
            parse(self, valuelist)
            if self.data is not None and not ok(self.data):
                self.data = None
                raise ValueError(self.gettext(message))  # WTForms' own, translated

        process_formdata.bounded = True  # type: ignore[attr-defined]
        field_class.process_formdata = process_formdata

    bounded(IntegerField, lambda v: -MAX_ID <= v <= MAX_ID, "Not a valid integer value.")
    bounded(DecimalField, lambda v: isinstance(v, Decimal) and v.is_finite()
            and abs(v) <= MAX_ID, "Not a valid decimal value.")
    bounded(FloatField, lambda v: math.isfinite(v) and abs(v) <= MAX_ID,
            "Not a valid float value.")


def init_app(app: Flask) -> None:
    """Before any blueprint is registered (the converter applies to rules as they are
    added) and before other before-request hooks (nothing reads bad text first)."""
    app.url_map.converters["int"] = BoundedIntConverter
    _bound_number_fields()
    app.before_request(check_request)
