from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the new token"), validators=[DataRequired(), Length(max=60)],
                       description=_l("E.g. the program that will use it: \"ERP export\"."))
