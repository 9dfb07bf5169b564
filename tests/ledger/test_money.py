"""Fen written for people and for form fields, exactly."""

from __future__ import annotations

import pytest

from pairing.giving.forms import to_fen
from pairing.ledger.money import plain, yuan


@pytest.mark.parametrize(("fen", "text", "field"), [
    (250_000, "¥2,500.00", "2500"), (8_850, "¥88.50", "88.50"), (5, "¥0.05", "0.05"),
    (9_007_199_254_740_993, "¥90,071,992,547,409.93", "90071992547409.93"),  # beyond a float's cents
])
def test_amounts_read_as_written_and_back(fen, text, field):
    assert yuan(fen) == text and plain(fen) == field
    assert to_fen(plain(fen)) == fen  # what the field shows reads back to the same fen
