"""A round's matching score as a coordinator can read it.

The solver's objective ("total score 2,819,957,974") sums unit scores over every yuan and
person of every pair plus the fairness bonuses: it only compares solutions of the same
round. What a person can judge is how good the proposed pairs are: each pair's score
parts (closeness, east–west cooperation, preferred province, sector, depth of poverty)
out of the round's weights, on a 0–100 scale, averaged over the round's proposals.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..formatting import Score, score
from .models import Proposal, Round
from .services import WEIGHT_FIELDS, weights_of


@dataclass(frozen=True)
class RoundScore:
    average: Score  # 0–100 and its parts on the same scale
    weights: dict[str, int]  # the most each part gives
    pairs: int


def round_score(rnd: Round, session: Session) -> RoundScore | None:
    """The average pair of the round's proposals, or None before any proposal."""
    w = weights_of(rnd)
    weights = {name: int(getattr(w, name)) for name in WEIGHT_FIELDS}
    sums = dict.fromkeys(WEIGHT_FIELDS, 0)
    pairs = 0
    rows = session.scalars(select(Proposal.parts).where(Proposal.round_id == rnd.id)
                           .execution_options(yield_per=5000))
    for parts in rows:
        pairs += 1
        for name in WEIGHT_FIELDS:
            sums[name] += int((parts or {}).get(name, 0))
    if not pairs:
        return None
    mean = {name: total / pairs for name, total in sums.items()}
    return RoundScore(score(mean, weights), weights, pairs)


def relative(objective: int, best: int) -> int | None:
    """An objective as a share of the optimiser's (the greedy baseline's, 0–100)."""
    if best <= 0:
        return None
    return round(100 * objective / best)
