"""Money as people read it. The ledger keeps integer fen; this is the one place that
writes fen as yuan text, exactly (no float), so every page shows the same amount."""

from __future__ import annotations


def yuan(fen: int) -> str:
    """¥1,234.50 for 123450 fen; -¥0.50 for -50."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"


def plain(fen: int) -> str:
    """What a form's amount field shows for a stored amount: 2500 for 250000 fen, 88.50
    for 8850 (no sign, no separators; the forms read it back exactly)."""
    return f"{fen // 100}" + (f".{fen % 100:02d}" if fen % 100 else "")
