"""Forms of pairing rounds, answers to proposals and delivery reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .policy import DECLINE_REASONS

# A round's weights (services.WEIGHT_FIELDS) as the form and the audit log name them.
WEIGHT_LABELS = {
    "distance": _l("Closeness (points)"), "east_west": _l("East–west cooperation (points)"),
    "preferred": _l("Preferred province (points)"), "sector": _l("Sector match (points)"),
    "poverty": _l("Depth of poverty (points)"),
}


def _weight(name: str, default: int) -> IntegerField:
    return IntegerField(WEIGHT_LABELS[name], validators=[Optional(), NumberRange(0, 100)], default=default)


class RoundForm(FlaskForm):
    province_code = SelectField(_l("Scope"), choices=[], default="")
    distance = _weight("distance", 40)
    east_west = _weight("east_west", 15)
    preferred = _weight("preferred", 10)
    sector = _weight("sector", 10)
    poverty = _weight("poverty", 25)


class EmptyForm(FlaskForm):
    pass


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Answer"), choices=[("accept", _l("Accept")),
                                               ("decline", _l("Decline"))],
                        validators=[InputRequired()])
    reason = SelectField(_l("Reason for declining"),
                         choices=[("", "—")] + list(DECLINE_REASONS.items()), default="")
    note = TextAreaField(_l("Note"), validators=[Length(max=400)])


class ReportForm(FlaskForm):
    quantity = StringField(_l("Quantity delivered"), validators=[InputRequired()],
                           description=_l("Yuan invested or spent, or people hired or trained."))
    delivered_on = DateField(_l("Date of delivery"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    files = MultipleFileField(_l("Evidence (photos or PDF, up to 5 MB each)"))
    # The token of the files kept from a failed attempt (pending.py), only its owner's.
    kept = HiddenField(validators=[Optional(), Length(max=32)])


class DisputeForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this report?"),
                           validators=[InputRequired(), Length(max=1000)])


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("uphold", _l("The report stands")),
                                                   ("reject", _l("The report does not count"))],
                          validators=[InputRequired()])
    note = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=1000)])
