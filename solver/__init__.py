"""Matching enterprises' offers of help to poor villages' needs.

numpy, LEMON's network simplex (pylmcf), OR-Tools and HiGHS (highspy) only (no web
framework imports): the site translates rows to an Instance and a Solution back to rows.
Entry points:

    solve(instance, options=Options(), weights=Weights()) -> Solution
    greedy(instance, options=Options(), weights=Weights()) -> Solution   # baseline
    check(instance, solution) -> list[str]                              # violations

See solver/README.md for the model.
"""

from .check import check
from .explain import PART_LABELS, explain
from .greedy import greedy
from .solve import solve
from .types import (
    PARTS,
    Instance,
    Need,
    NeedTable,
    Offer,
    OfferTable,
    Options,
    Proposal,
    Solution,
    Stats,
    Weights,
)

__all__ = [
    "PARTS", "PART_LABELS", "Instance", "Need", "NeedTable", "Offer", "OfferTable", "Options", "Proposal",
    "Solution", "Stats", "Weights", "check", "explain", "greedy", "solve",
]
