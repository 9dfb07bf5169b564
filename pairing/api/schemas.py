"""Shapes of the API's answers and query arguments (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

from ..enterprises.models import SECTORS
from .core import PageArgs, page_schema

PROVINCE = validate.Regexp(r"^\d{2}$", error="Two digits, e.g. 43.")
COUNTY = validate.Regexp(r"^\d{6}$", error="Six digits, e.g. 433124.")


class UtcDateTime(fields.DateTime):
    """The database keeps naive UTC; the API says so (RFC 3339 needs the offset)."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):  # noqa: ANN001
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class VillageArgs(PageArgs):
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)
    deep_poverty = fields.Boolean()


class EnterpriseArgs(PageArgs):
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)
    sector = fields.String(validate=validate.OneOf(sorted(SECTORS)))


class VillageSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    province_code = fields.String(required=True, attribute="county.province_code")
    county_code = fields.String(required=True)
    county = fields.String(required=True, attribute="county.name")
    population = fields.Integer(required=True)
    households = fields.Integer(required=True)
    poor_households = fields.Integer(required=True)
    poor_population = fields.Integer(required=True)
    poverty_incidence = fields.Float(required=True)
    income_per_capita = fields.Integer(required=True,
                                       metadata={"description": "Yuan per person a year."})
    deep_poverty = fields.Boolean(required=True)
    verified_at = UtcDateTime(allow_none=True)


class EnterpriseSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True,
                                metadata={"description": "Unified social credit code."})
    province_code = fields.String(required=True, attribute="county.province_code")
    county_code = fields.String(required=True)
    county = fields.String(required=True, attribute="county.name")
    sector = fields.String(required=True, metadata={"description": "GB/T 4754 section."})
    employees = fields.Integer(required=True)
    verified_at = UtcDateTime(allow_none=True)


VillagePage = page_schema(VillageSchema, "VillagePage")
EnterprisePage = page_schema(EnterpriseSchema, "EnterprisePage")

SHOWN = ("Each figure by key, in its unit: money (unit yuan) in whole yuan, rounded half up "
         "from this place's exact total in fen.")
FEN = "The money figures (unit yuan) by key, exact, in fen (100 fen = 1 yuan)."


def _values(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                       metadata={"description": description})


class FigureSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    how = fields.String(required=True, metadata={"description": "How it is computed."})
    unit = fields.String(required=True, metadata={
        "description": "count, people or yuan; a yuan figure's exact fen are in values_fen."})
    rows = fields.String(required=True, metadata={"description": "Download of its rows."})


class PlaceFigures(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    values = _values(SHOWN)
    values_fen = _values(FEN)


COMPUTED_AT = {"description": "When the figures were computed from their rows (UTC); "
               "null: just now. Each figure's rows download recomputes it now."}


class FiguresSchema(Schema):
    figures = fields.List(fields.Nested(FigureSchema), required=True)
    computed_at = fields.String(allow_none=True, metadata=COMPUTED_AT)
    national = _values(SHOWN)
    national_fen = _values(FEN)
    provinces = fields.List(fields.Nested(PlaceFigures), required=True)


class ProvinceFiguresSchema(PlaceFigures):
    computed_at = fields.String(allow_none=True, metadata=COMPUTED_AT)
    counties = fields.List(fields.Nested(PlaceFigures), required=True)


class TokenInfo(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True)


class MeSchema(Schema):
    user_id = fields.Integer(required=True)
    role = fields.String(required=True)
    token = fields.Nested(TokenInfo, required=True)
