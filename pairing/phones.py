"""Chinese phone numbers as people type them: a mobile (13812345678, +86 138 1234 5678) or a
landline with its area code (0743-1234567, 010 12345678, an extension after a dash)."""

from __future__ import annotations

import re
import unicodedata

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}(-[0-9]{1,6})?$")
HOTLINE = re.compile(r"^(400|800)-?[0-9]{3}-?[0-9]{4}$")


def normalise(text: str) -> str:
    """Full-width digits and dashes read as ASCII; spaces and a +86 prefix dropped."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = value.replace("—", "-").replace("－", "-").replace(" ", "")
    value = re.sub(r"^(\+86|0086)-?", "", value)
    return value


def is_valid(text: str) -> bool:
    value = normalise(text)
    return bool(MOBILE.match(value) or LANDLINE.match(value) or HOTLINE.match(value))


def phone_number(form: object, field: object) -> None:
    """A WTForms validator: a phone number as above, stored normalised."""
    from flask_babel import lazy_gettext as _l
    from wtforms.validators import ValidationError

    if not getattr(field, "data", None):
        return
    if not is_valid(field.data):  # type: ignore[attr-defined]
        raise ValidationError(_l("Enter a phone number such as 0743-1234567 or 13812345678."))
    field.data = normalise(field.data)  # type: ignore[attr-defined]


work_phone = phone_number  # a staff member's or a cadre's: the same check
