from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length


class EraseForm(FlaskForm):
    """Deleting an account, or erasing a household's data: the password again, and a
    ticked confirmation."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])
    confirm = BooleanField(_l("I understand that this cannot be undone."),
                           validators=[DataRequired(message=_l(
                               "Tick the box to confirm."))])
