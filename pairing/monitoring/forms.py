"""Forms of monitoring: a visit's typed figures, the poverty lines, ratings, complaints."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..giving.forms import CAUSE_LABELS, MultiCheckboxField
from .models import SHOCKS

SHOCK_LABELS = {"": _l("None"), **dict(zip(SHOCKS, (
    _l("Serious illness"), _l("Disability"), _l("Disaster"), _l("Loss of work")), strict=True))}
WATCH_LABELS = {"income": _l("Income near the line"), **{k: v for k, v in SHOCK_LABELS.items()
                                                         if k}}
SCORE_LABELS = {5: _l("5 – very good"), 4: _l("4 – good"), 3: _l("3 – fair"),
                2: _l("2 – poor"), 1: _l("1 – very poor")}
SCORES = [(str(n), label) for n, label in SCORE_LABELS.items()]
# The audit log's reading of a visit's shock: the codes first, "none" last.
SHOCK_CODES = {**{k: v for k, v in SHOCK_LABELS.items() if k}, "": SHOCK_LABELS[""]}
# The labels of the codes the monitoring tables hold (pages and the audit log read them).
STANDING_LABELS = {"poor": _l("Poor"), "exited": _l("Left poverty")}
EVENT_LABELS = {"exit": _l("Exit from poverty confirmed"),
                "watch_in": _l("Entered the watch list"), "watch_out": _l("Left the watch list")}
STAGE_LABELS = {"delivery": _l("Delivery confirmed"), "end": _l("Pairing ended")}
SIDE_LABELS = {"village": _l("The village"), "enterprise": _l("The enterprise")}
VIA_LABELS = {"secretary": _l("Through the secretary"), "card": _l("With the contact card")}
COMPLAINT_LABELS = {"open": _l("Open"), "upheld": _l("Upheld"), "dismissed": _l("Dismissed")}


class VisitForm(FlaskForm):
    visited_on = DateField(_l("Date of the visit"), validators=[InputRequired()])
    income_per_capita = IntegerField(_l("Net income per person and year (yuan)"),
                                     validators=[InputRequired(), NumberRange(0, 10_000_000)])
    workers_away = IntegerField(_l("Members working away from home"), default=0,
                                validators=[InputRequired(), NumberRange(0, 30)])
    workers_local = IntegerField(_l("Members working locally"), default=0,
                                 validators=[InputRequired(), NumberRange(0, 30)])
    causes = MultiCheckboxField(_l("Causes of hardship still present"),
                           choices=list(CAUSE_LABELS.items()))
    food_clothing = BooleanField(_l("Enough to eat and to wear (两不愁)"))
    schooling = BooleanField(_l("Children of school age attend school (义务教育有保障)"))
    medical = BooleanField(_l("Every member has basic medical insurance (基本医疗有保障)"))
    housing = BooleanField(_l("The house is safe (住房安全有保障)"))
    water = BooleanField(_l("Safe drinking water (饮水安全有保障)"))
    shock = SelectField(_l("New since the last visit"), choices=list(SHOCK_LABELS.items()))


class CadreForm(FlaskForm):
    email = EmailField(_l("E-mail address of the cadre's account"),
                       validators=[DataRequired(), Length(max=254)])


class LineForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    line_yuan = IntegerField(_l("Poverty line (yuan per person and year)"),
                             validators=[InputRequired(), NumberRange(1, 1_000_000)])
    margin_pct = IntegerField(_l("Watch margin above the line (%)"), default=50,
                              validators=[InputRequired(), NumberRange(0, 200)])


class EmptyForm(FlaskForm):
    """A button that only needs its CSRF token."""


class VillageRatingForm(FlaskForm):
    on_time = RadioField(_l("On time"), choices=SCORES, validators=[InputRequired()])
    as_promised = RadioField(_l("As promised"), choices=SCORES, validators=[InputRequired()])
    useful = RadioField(_l("Useful to the village"), choices=SCORES,
                        validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=500)])


class EnterpriseRatingForm(FlaskForm):
    cooperation = RadioField(_l("The village's cooperation"), choices=SCORES,
                             validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=500)])


class CadreRatingForm(FlaskForm):
    visits = RadioField(_l("The cadre's visits"), choices=SCORES, validators=[InputRequired()])
    help = RadioField(_l("The cadre's help"), choices=SCORES, validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=500)])


class CardCodeForm(FlaskForm):
    code = StringField(_l("Code printed on your contact card"),
                       validators=[DataRequired(), Length(max=20)])


class CardRatingForm(CardCodeForm, CadreRatingForm):
    pass


class CardComplaintForm(CardCodeForm):
    body = TextAreaField(_l("What is wrong"), validators=[DataRequired(), Length(10, 1000)])


class DecideForm(FlaskForm):
    uphold = BooleanField(_l("The complaint is justified"))
    decision = TextAreaField(_l("Decision"), validators=[DataRequired(), Length(max=500)])


class InspectionForm(FlaskForm):
    held_on = DateField(_l("Day of the inspection"), validators=[InputRequired()])
