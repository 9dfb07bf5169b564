"""Forms of the giving area."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .. import numbers
from ..fields import AmountField
from ..phones import work_phone
from . import idnumber

PURPOSE_LABELS = {"medical": _l("Medical costs"), "education": _l("School costs"),
                  "housing": _l("Housing repair"), "other": _l("Other")}
CAUSE_LABELS = {"illness": _l("Illness"), "disability": _l("Disability"),
                "schooling": _l("Lack of schooling"), "labour": _l("Lack of labour"),
                "disaster": _l("Disaster"), "other": _l("Other")}
STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Waiting for verification"),
                 "rejected": _l("Rejected"), "notice": _l("Public notice"),
                 "open": _l("Open for gifts"), "funded": _l("Funded"),
                 "disbursed": _l("Paid out"), "closed": _l("Closed"),
                 "expired": _l("Deadline passed")}
# A gift's state, and a payout's, as a label of its own (a table cell, a badge, "Status").
DONATION_STATUS_LABELS = {"pending": _l("Waiting for the transfer"), "confirmed": _l("Received"),
                          "refunded": _l("Refunded"), "moved": _l("Moved to another request"),
                          "cancelled": _l("Cancelled")}
DISBURSEMENT_STATUS_LABELS = {"requested": _l("Waiting for a verifier"),
                              "approved": _l("Paid out"), "rejected": _l("Rejected")}
# A reported problem's state and a matched-giving period's (the audit log shows them).
COMPLAINT_STATUS_LABELS = {"open": _l("Waiting for a verifier's decision"),
                           "upheld": _l("Found true"), "dismissed": _l("Found untrue")}
MATCH_STATUS_LABELS = {"active": _l("Matching gifts"), "ended": _l("Ended")}


def to_fen(text: str | None) -> int:
    """"12.34" yuan -> 1234 fen, read by the site's one reader (pairing.numbers: "50万",
    "1.2万", full-width digits, "¥", "元" too); refuses more than two decimals, anything
    but a positive number (no exponent, infinity or NaN) and zero."""
    try:
        return numbers.parse_fen(text)
    except ValueError:
        raise ValidationError(_l("Enter an amount in yuan, such as 100 or 12.50.")) from None


class YuanField(AmountField):
    fen: int | None = 0

    def pre_validate(self, form: FlaskForm) -> None:
        self.fen = to_fen(self.data)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _valid_id(form: FlaskForm, field: StringField) -> None:
    value = field.data or ""
    wrong = idnumber.problem(value)
    if wrong == "length":
        raise ValidationError(_l("A resident ID number has 18 characters; this one has "
                                 "%(num)d.", num=len(idnumber.normalise(value))))
    if wrong == "characters":
        raise ValidationError(_l("A resident ID number has 17 digits followed by a digit "
                                 "or X."))
    if wrong == "birth_date":
        raise ValidationError(_l("The date of birth in this resident ID number (characters "
                                 "7 to 14) is not possible."))
    if wrong:
        raise ValidationError(_l("This is not a valid resident ID number (check the last "
                                 "character)."))


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a whole number" message is its own and stands alone:
    the range check is skipped when the text is not a number (it said, falsely, that
    1500.5 was outside 0 to 1,000,000)."""

    def __init__(self, *args, message: str | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.not_a_number = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = unicodedata.normalize("NFKC", valuelist[0]).strip()  # full-width digits too
        digits = text[1:] if text[:1] in ("+", "-") else text
        if not text.isascii() or not digits.isdigit() or len(digits) > 18:
            self.data = None
            raise ValueError(self.not_a_number or _l("Enter a whole number."))
        self.data = int(text)

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:
            raise StopValidation()


class HouseholdUpdateForm(FlaskForm):
    """What a secretary may bring up to date on a registered household."""

    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    members = WholeNumberField(_l("Members"), validators=[InputRequired(), NumberRange(1, 30)],
                               message=_l("Enter the number of members, such as 4."))
    income_per_capita = WholeNumberField(
        _l("Per-capita net income (yuan per year)"),
        validators=[InputRequired(), NumberRange(0, 10**6)],
        message=_l("Enter the income in whole yuan, such as 2800."))
    causes = MultiCheckboxField(_l("Causes of poverty"),
                                choices=list(CAUSE_LABELS.items()))
    cadre_name = StringField(_l("Responsible cadre (结对帮扶)"),
                             validators=[DataRequired(), Length(max=80)])
    cadre_phone = StringField(_l("The cadre's work phone"),
                              validators=[Optional(), Length(max=30), work_phone],
                              description=_l("Printed on the contact card. Never the household's own phone."))
    family_tie = BooleanField(_l("I am related to this household"))


class HouseholdForm(HouseholdUpdateForm):
    registration_no = StringField(_l("Registration number"),
                                  validators=[DataRequired(), Length(max=40)])
    head_name = StringField(_l("Head of household"), validators=[DataRequired(), Length(max=40)])
    id_number = StringField(_l("Resident ID number"), validators=[DataRequired(), _valid_id],
                            description=_l("18 characters; stored encrypted, shown masked."))
    consent_publish = BooleanField(_l("The household consents to publishing its requests"))
    consent_sensitive = BooleanField(_l("The household consents to the use of its sensitive "
                                        "data (illness) for verification"))


class ConsentForm(FlaskForm):
    consent_publish = BooleanField(_l("The household consents to publishing its requests"))
    consent_sensitive = BooleanField(_l("The household consents to the use of its sensitive "
                                        "data (illness) for verification"))


class RequestForm(FlaskForm):
    purpose = SelectField(_l("Purpose"), choices=list(PURPOSE_LABELS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    story = TextAreaField(_l("Story (public)"), validators=[DataRequired(), Length(max=4000)],
                          description=_l("No full names, ID numbers or exact addresses; the "
                                         "illness only if the household agrees to show it "
                                         "publicly."))
    diagnosis = StringField(_l("Illness details (for the verifier)"),
                            validators=[Optional(), Length(max=500)])
    show_diagnosis = BooleanField(_l("The household agrees to show the illness details "
                                     "publicly"))
    amount = YuanField(_l("Amount needed (yuan)"))
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])


class FileForm(FlaskForm):
    file = FileField(_l("File (PDF, JPEG or PNG)"), validators=[FileRequired()])


class DisbursementForm(FlaskForm):
    amount = YuanField(_l("Amount (yuan)"))
    note = StringField(_l("What it pays for (public)"), validators=[
        DataRequired(_l("Say what the payout pays for.")), Length(max=300)])
    file = FileField(_l("Invoice (PDF, JPEG or PNG)"), validators=[
        FileRequired(_l("Choose the invoice file (PDF, JPEG or PNG)."))])


class UpdateForm(FlaskForm):
    body = TextAreaField(_l("Progress update (public)"), validators=[DataRequired(),
                                                                    Length(max=1000)])


class DonateForm(FlaskForm):
    amount = YuanField(_l("Amount (yuan)"))
    message = StringField(_l("Message (optional)"), validators=[Optional(), Length(max=200)])
    anonymous = BooleanField(_l("Give anonymously"))
    provider = SelectField(_l("Payment"), choices=[])
    fallback = SelectField(_l("If the request is not funded in time"), coerce=int, choices=[])
    key = HiddenField(validators=[DataRequired(), Length(max=64)])


COMPLAINT_KIND_LABELS = {
    "fraud": _l("The need or the household is not real"),
    "misuse": _l("The money is not used as promised"),
    "privacy": _l("The page shows someone's personal data"),
    "other": _l("Something else"),
}


class ComplaintForm(FlaskForm):
    kind = SelectField(_l("What kind of problem?"), choices=list(COMPLAINT_KIND_LABELS.items()),
                       default="other")
    body = TextAreaField(_l("What is wrong?"), validators=[DataRequired(), Length(min=5,
                                                                                  max=1000)])
    contact = StringField(_l("How can we reach you? (optional)"),
                          validators=[Optional(), Length(max=120)])


class DecisionForm(FlaskForm):
    # The pressed button's value ("reject" and "dismiss" both say no): anything else, from a
    # form sent by hand, must not count as a no and change the request.
    decision = StringField(validators=[AnyOf(("approve", "reject", "dismiss"),
                                             message=_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason or decision"), validators=[Optional(), Length(max=500)])


class MatchForm(FlaskForm):
    offer = SelectField(_l("Donation offer"), coerce=int, choices=[])
    pool = YuanField(_l("Match pool (yuan), paid in advance"))
    ends_on = DateField(_l("Match ends on"), validators=[DataRequired()])
    requests = MultiCheckboxField(_l("Requests whose public gifts you double"), coerce=int,
                                  choices=[])


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    story = TextAreaField(_l("Story (public)"), validators=[DataRequired(), Length(max=4000)])
    amount = YuanField(_l("Amount needed (yuan)"))
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
