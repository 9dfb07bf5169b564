from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..giving.forms import MultiCheckboxField
from .models import SCOPES


def scope_label(scope: str) -> str:
    area, _sep, mode = scope.partition(":")
    areas = {"marketplace": _l("Offers and needs"), "matching": _l("Proposals and rounds"),
             "giving": _l("Gifts"), "shop": _l("Shop orders")}
    modes = {"read": _l("read"), "write": _l("write")}
    return f"{areas[area]}: {modes[mode]}"


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the new token"), validators=[DataRequired(), Length(max=60)],
                       description=_l("E.g. the program that will use it: \"ERP export\"."))
    scopes = MultiCheckboxField(
        _l("What it may do"), choices=[(s, s) for s in SCOPES],
        default=[s for s in SCOPES if s.endswith(":read")],
        description=_l("Only what your role may do in each area; public data needs no token."))
    days = SelectField(_l("Lasts"), coerce=int, default=90,
                       choices=[(30, _l("30 days")), (90, _l("90 days")),
                                (365, _l("a year")), (0, _l("until revoked"))])

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.scopes.choices = [(s, scope_label(s)) for s in SCOPES]
