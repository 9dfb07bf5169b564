"""Forms of enterprises and offers (the shape of the input; the services check the rules)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..places import services as places
from ..places.forms import PlaceForm
from .kinds import kind_choices, parse_quantity, plain_quantity
from .models import SECTORS

# The status of an enterprise, a village, an offer or a need (their status badge).
RECORD_STATUS_LABELS = {
    "pending": _l("Waiting for verification"), "verified": _l("Verified"),
    "rejected": _l("Rejected"), "active": _l("Active"), "withdrawn": _l("Withdrawn"),
    "open": _l("Open"), "partly_met": _l("Partly met"), "met": _l("Met"),
}

# Spelled out so that the catalogue extractor sees every label. "Education" is also a kind
# of help (教育帮扶); as a sector it is 教育, hence its own context.
SECTOR_LABELS = {
    "A": _l("Agriculture, forestry, animal husbandry and fishery"),
    "B": _l("Mining"),
    "C": _l("Manufacturing"),
    "D": _l("Electricity, heat, gas and water"),
    "E": _l("Construction"),
    "F": _l("Wholesale and retail trade"),
    "G": _l("Transport, storage and post"),
    "H": _l("Accommodation and catering"),
    "I": _l("Information technology services"),
    "J": _l("Finance"),
    "K": _l("Real estate"),
    "L": _l("Leasing and business services"),
    "M": _l("Scientific research and technical services"),
    "N": _l("Water, environment and public facilities"),
    "O": _l("Resident and repair services"),
    "P": lazy_pgettext("sector", "Education"),
    "Q": _l("Health and social work"),
    "R": _l("Culture, sports and entertainment"),
    "S": _l("Public administration and social organisations"),
    "T": _l("International organisations"),
}
assert set(SECTOR_LABELS) == set(SECTORS)


def sector_label(code: str | None) -> str:
    """"C · Manufacturing" in the user's language ("" for no sector)."""
    return f"{code} · {SECTOR_LABELS[code]}" if code in SECTOR_LABELS else (code or "")


def sector_choices(blank: bool = False) -> list[tuple[str, object]]:
    """Lazy labels: form classes build their choices at import, before any language."""
    first = [("", _l("— none —"))] if blank else []
    return first + [(k, LazyString(sector_label, k)) for k in SECTORS]


class EnterpriseForm(PlaceForm):
    name = StringField(_l("Company name"), validators=[InputRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"),
                              validators=[InputRequired(), Length(max=18)],
                              description=_l("18 characters, as on the business licence."))
    sector = SelectField(_l("Sector (GB/T 4754)"), choices=sector_choices(),
                         validate_choice=False)
    employees = IntegerField(_l("Employees"), validators=[
        InputRequired(message=_l("Enter a whole number, zero or more.")), NumberRange(min=0)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=30)])
    description = TextAreaField(_l("About the company"), validators=[Length(max=2000)])

    def data_for_service(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "name", "credit_code", "county_code", "sector", "employees", "contact_name",
            "contact_phone", "description")}


class OfferForm(FlaskForm):
    kind = SelectField(_l("Kind of help"), choices=kind_choices(), validate_choice=False)
    quantity = StringField(_l("Quantity"), validators=[InputRequired()],
                           description=_l("Yuan for money, people for jobs and training."))
    max_villages = IntegerField(_l("At most this many villages"), default=1,
                                validators=[InputRequired(), NumberRange(min=1, max=1000)])
    provinces = SelectMultipleField(_l("Preferred provinces"), validate_choice=False,
                                    description=_l("None chosen means anywhere."))
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])

    def fill(self, language: str) -> None:
        self.provinces.choices = [(p.code, p.display_name(language))
                                  for p in places.provinces()]

    def load(self, offer) -> None:  # noqa: ANN001
        for key in ("kind", "max_villages", "starts_on", "ends_on", "description"):
            getattr(self, key).data = getattr(offer, key)
        self.quantity.data = plain_quantity(offer.kind, offer.quantity)
        self.provinces.data = offer.province_codes

    def data_for_service(self) -> dict | None:
        """None (with the message on the field) when the quantity is not one of the kind."""
        try:
            quantity = parse_quantity(self.kind.data, self.quantity.data)
        except ValueError as exc:
            self.quantity.errors = [*self.quantity.errors, exc.args[0]]
            return None
        return {"kind": self.kind.data, "quantity": quantity,
                "max_villages": self.max_villages.data, "provinces": self.provinces.data or [],
                "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
                "description": self.description.data or ""}


class ReasonForm(FlaskForm):
    """Verifier's decision: approve or reject (with the reason the owner reads)."""

    decision = SelectField(_l("Decision"), choices=[("verify", _l("Verify")),
                                                    ("reject", _l("Reject"))])
    reason = TextAreaField(_l("Reason for rejection"), validators=[Length(max=500)])


def show_errors(form: FlaskForm, errors: dict[str, object]) -> None:
    """Service messages beside their fields (or on the form when no field matches)."""
    for name, message in errors.items():
        field = getattr(form, name, None) or getattr(form, "description", None)
        if field is not None:
            field.errors = [*(field.errors or []), message]
