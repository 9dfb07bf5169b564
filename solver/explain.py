"""Words for the score parts, so the site can say why a pair was proposed."""

from __future__ import annotations

from .types import PARTS, Weights

PART_LABELS: dict[str, str] = {
    "distance": "close by (points fall with distance between the counties)",
    "east_west": "east-west cooperation provinces",
    "preferred": "a province the enterprise prefers",
    "sector": "the village asked for the enterprise's sector",
    "poverty": "depth of the village's poverty",
}


def explain(parts: dict[str, int], weights: Weights | None = None) -> list[str]:
    """One line per part that scored, largest first: 'label: points/max'."""
    w = weights or Weights()
    top = {p: getattr(w, p) for p in PARTS}
    lines = [(v, f"{PART_LABELS[p]}: {v}/{top[p]}") for p, v in parts.items() if v > 0]
    return [line for _, line in sorted(lines, key=lambda t: -t[0])]
