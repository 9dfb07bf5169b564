"""A round's progress as its page shows it: each stage of the current attempt with the
time it took (the running one: so far) and the time since the start.

The runner writes [stage, ISO start time] pairs into `Round.stage_log` (jobs.Progress);
a stage ends when the next begins, the last one (while running) now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..db import utcnow
from .models import Round


@dataclass(frozen=True)
class Stage:
    stage: str
    seconds: float
    current: bool


def stages(rnd: Round, now: datetime | None = None) -> list[Stage]:
    log = [(name, datetime.fromisoformat(at)) for name, at in (rnd.stage_log or [])]
    end = now or utcnow()
    if rnd.status != "running" and rnd.finished_at is not None:
        end = rnd.finished_at
    out = []
    for i, (name, at) in enumerate(log):
        if name == "done":
            break
        last = i + 1 == len(log)
        until = log[i + 1][1] if not last else end
        out.append(Stage(name, max(0.0, (until - at).total_seconds()),
                         last and rnd.status == "running"))
    return out


def elapsed(rnd: Round, now: datetime | None = None) -> float:
    return sum(s.seconds for s in stages(rnd, now))


def duration(seconds: float) -> str:
    """12 s, 3 min 05 s, 1 h 02 min."""
    s = int(round(seconds))
    if s < 60:
        return _("%(s)d s", s=s)
    if s < 3600:
        return _("%(m)d min %(s)02d s", m=s // 60, s=s % 60)
    return _("%(h)d h %(m)02d min", h=s // 3600, m=s % 3600 // 60)
