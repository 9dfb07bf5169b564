"""The appeal's two forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

# Who decides an appeal (its level) and its states, as pages and the audit log show them.
LEVELS = {"province": _l("a provincial or national verifier"),
          "country": _l("a national verifier")}
STATES = {"open": _l("waiting for a decision"), "granted": _l("granted: the decision is reversed"),
          "refused": _l("refused: the decision stands")}


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("Why the decision is wrong"),
                           validators=[DataRequired(), Length(max=1000)],
                           description=_l("A verifier of the level above reads it. You can "
                                          "appeal only once; the outcome is final."))


class DecideForm(FlaskForm):
    outcome = RadioField(_l("Outcome"), choices=[
        ("grant", _l("Grant: reverse the decision")),
        ("refuse", _l("Refuse: the decision stands"))], validators=[DataRequired()])
    decision = TextAreaField(_l("Reason for the outcome"),
                             validators=[DataRequired(), Length(max=1000)])
