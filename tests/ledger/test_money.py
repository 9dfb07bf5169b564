"""Fen written for people and for form fields, exactly."""

from __future__ import annotations

import pytest
from wtforms.validators import ValidationError

from pairing.giving.forms import to_fen
from pairing.ledger.money import plain, yuan
from pairing.numbers import MAX_FEN


@pytest.mark.parametrize(("fen", "text", "field"), [
    (250_000, "¥2,500.00", "2500"), (8_850, "¥88.50", "88.50"), (5, "¥0.05", "0.05"),
    (9_007_199_254_740_993, "¥90,071,992,547,409.93", "90071992547409.93"),  # beyond a float's cents
])
def test_amounts_read_as_written_and_back(fen, text, field):
    assert yuan(fen) == text and plain(fen) == field
    if fen <= MAX_FEN:
        assert to_fen(plain(fen)) == fen  # what the field shows reads back to the same fen
    else:  # beyond what a form takes (¥100亿): refused, never read back rounded
        with pytest.raises(ValidationError):
            to_fen(plain(fen))
