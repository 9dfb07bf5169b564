"""Shapes of the API's answers and query arguments (they make the OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..enterprises.models import SECTORS
from .paging import page_schema, sort_args
from .schemas_base import COUNTY, PROVINCE, UtcDateTime

__all__ = ["COUNTY", "PROVINCE", "UtcDateTime"]


class VillageArgs(sort_args("VillageSort", ("id", "name", "updated_at"), default=None,
                            sync=True)):
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)
    deep_poverty = fields.Boolean()


class EnterpriseArgs(sort_args("EnterpriseSort", ("id", "name", "updated_at"), default=None,
                               sync=True)):
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
    updated_at = UtcDateTime(required=True)


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
    updated_at = UtcDateTime(required=True)


VillagePage = page_schema(VillageSchema, "VillagePage")
EnterprisePage = page_schema(EnterpriseSchema, "EnterprisePage")

SHOWN = ("Each figure by key, in its unit: money (unit yuan) in whole yuan, rounded half up "
         "from this place's exact total in fen.")
FEN = "The money figures (unit yuan) by key, exact, in fen (100 fen = 1 yuan)."


def _values(description: str, deprecated: bool = False) -> fields.Dict:
    metadata: dict = {"description": description}
    if deprecated:  # the API's one unit of money is the fen: these yuan are for display
        metadata.update(deprecated=True, description=description + " Deprecated: read the "
                        "exact fen of `values_fen` / `national_fen` (every other amount of "
                        "the API is in fen).")
    return fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                       metadata=metadata)


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
    values = _values(SHOWN, deprecated=True)
    values_fen = _values(FEN)


COMPUTED_AT = {"description": "When the figures were computed from their rows (UTC); "
               "null: just now. Each figure's rows download recomputes it now."}


class FiguresSchema(Schema):
    figures = fields.List(fields.Nested(FigureSchema), required=True)
    computed_at = fields.String(allow_none=True, metadata=COMPUTED_AT)
    national = _values(SHOWN, deprecated=True)
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
