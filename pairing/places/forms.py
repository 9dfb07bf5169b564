"""Forms of the places area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length


class EastWestForm(FlaskForm):
    pairs = TextAreaField(
        _l("Pairs"), validators=[Length(max=5000)],
        description=_l("One pair a line: eastern province code, a dash, western province code "
                       "(for example 44-45)."),
    )
