"""Demo: verifications spread over the last two years, so the dashboard's series over
time look like a programme that grew, not like one afternoon's data entry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session


def extend(session: Session, demo) -> None:  # noqa: ANN001
    rng = demo.rng
    rows = [*demo.villages, *demo.enterprises]
    for row in rows:
        if row.verified_at is not None:
            # Earlier registrations were verified earlier: more of them in the first year.
            row.verified_at = row.verified_at - timedelta(days=int(720 * rng.random() ** 0.7))
            row.created_at = row.verified_at - timedelta(days=rng.randint(3, 30))
