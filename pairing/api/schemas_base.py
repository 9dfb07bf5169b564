"""Field types shared by the API's schemas and its paging (no import of the blueprint)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields, validate

PROVINCE = validate.Regexp(r"^\d{2}$", error="Two digits, e.g. 43.")
COUNTY = validate.Regexp(r"^\d{6}$", error="Six digits, e.g. 433124.")
ID = validate.Range(min=1, max=2**31 - 1)
FEN = "Money in fen (integer; 100 fen = 1 yuan), as everywhere in the API and the site's files."


def Fen(**kwargs) -> fields.Integer:  # noqa: ANN003, N802  (a field factory, named like one)
    """A money field: integer fen, said in the schema."""
    metadata = {"description": FEN, "format": "int64", "x-unit": "fen",
                **kwargs.pop("metadata", {})}
    if metadata["description"] != FEN:
        metadata["description"] = f"{metadata['description']} {FEN}"
    return fields.Integer(metadata=metadata, **kwargs)


class UtcDateTime(fields.DateTime):
    """The database keeps naive UTC; the API says so (RFC 3339 needs the offset)."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):  # noqa: ANN001
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
