"""Forms of the places area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from . import services as places


class EastWestForm(FlaskForm):
    pairs = TextAreaField(
        _l("Pairs"), validators=[Length(max=5000)],
        description=_l("One pair a line: eastern province code, a dash, western province code "
                       "(for example 44-45)."),
    )


class PlaceForm(FlaskForm):
    """Province then county; static/js/marketplace.js refills the counties on change."""

    province = SelectField(_l("Province"), validate_choice=False)
    county_code = SelectField(_l("County"), validate_choice=False,
                              validators=[InputRequired(message=_l("Choose the county."))])

    def fill_places(self, language: str) -> None:
        provs = places.provinces()
        self.province.choices = [("", _l("— choose —"))] + [
            (p.code, p.display_name(language)) for p in provs]
        code = self.county_code.data or ""
        prov = self.province.data or code[:2]
        self.province.data = prov
        self.county_code.choices = [("", _l("— choose —"))] + [
            (c.code, c.name) for c in (places.counties_of(prov) if prov else [])]


class VillageForm(PlaceForm):
    """A village and its poverty figures (建档立卡 data); the county comes from PlaceForm."""

    name = StringField(_l("Village name"), validators=[InputRequired(), Length(max=80)])
    population = IntegerField(_l("Population"), validators=[InputRequired(), NumberRange(min=0)])
    households = IntegerField(_l("Households"), validators=[InputRequired(), NumberRange(min=0)])
    poor_households = IntegerField(_l("Registered poor households"),
                                   validators=[InputRequired(), NumberRange(min=0)])
    poor_population = IntegerField(_l("Registered poor people"),
                                   validators=[InputRequired(), NumberRange(min=0)])
    income_per_capita = IntegerField(_l("Net income per head (yuan a year)"),
                                     validators=[InputRequired(), NumberRange(min=0)])
    deep_poverty = BooleanField(_l("Deep-poverty area"))
    description = TextAreaField(_l("About the village"), validators=[Length(max=2000)])

    FIELDS = ("name", "county_code", "population", "households", "poor_households",
              "poor_population", "income_per_capita", "deep_poverty", "description")

    def data_for_service(self) -> dict:
        return {k: getattr(self, k).data for k in self.FIELDS}


class HandOverForm(FlaskForm):
    email = EmailField(_l("E-mail of the new secretary"),
                       validators=[InputRequired(), Length(max=254)])
