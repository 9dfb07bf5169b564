"""Drafts from a watched household: giving's help-request form and the needs form, filled in
for the secretary to review and submit (both still go through verification as usual).

The drafts are public text once submitted, so they never hold the household's name, ID or
register number, and the illness is named only when the household agreed to show sensitive
data (giving's disclosure rule). Who may have one: the household's village secretary, and
only while the household is on the watch list; giving and needs answer 404 otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from ..accounts.models import User
from ..extensions import db
from ..giving.models import Household
from . import services
from .forms import WATCH_LABELS
from .models import MonitoredHousehold, Visit
from .policy import is_secretary

# Giving's purpose and the needs' kind a watch reason suggests; "income" reads the latest
# visit's failed guarantee instead (see _guarantee).
_PURPOSE = {"illness": "medical", "disability": "medical", "disaster": "housing"}
_KIND = {"illness": "medical", "disability": "medical", "disaster": "infrastructure",
         "job_loss": "jobs", "income": "jobs"}
# Reasons that tell something of a person's health: named only with consent.
_SENSITIVE = {"illness", "disability"}


@dataclass(frozen=True)
class RequestDraft:
    purpose: str
    title: str
    story: str


@dataclass(frozen=True)
class NeedDraft:
    kind: str
    description: str


def household_arg(args: Mapping[str, str], key: str = "household") -> int | None:
    """A household id from the query, as the stats filters read ids: digits, below 10⁹."""
    value = args.get(key, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _watched(actor: User, household: Household) -> tuple[MonitoredHousehold, Visit | None] | None:
    state = services.state_of(household)
    if state is None or not state.watched or not is_secretary(actor, household):
        return None
    return state, services.latest_visit(household)


def _guarantee(visit: Visit | None) -> str:
    """The purpose a failed guarantee of the latest visit suggests ('' when all hold)."""
    if visit is None:
        return ""
    if not visit.housing:
        return "housing"
    if not visit.schooling:
        return "education"
    if not visit.medical:
        return "medical"
    return ""


def _reason(household: Household, state: MonitoredHousehold) -> str:
    """The watch reason as the public may read it: a health reason only with consent."""
    if state.watch_reason in _SENSITIVE and not household.consent_sensitive:
        return _("a change in its circumstances")
    return str(WATCH_LABELS[state.watch_reason]).lower()


def request_draft(actor: User, household: Household) -> RequestDraft | None:
    """Giving's request form for a watched household, or None when the actor may not."""
    found = _watched(actor, household)
    if found is None:
        return None
    state, visit = found
    purpose = _PURPOSE.get(state.watch_reason) or _guarantee(visit) or "other"
    village = household.village.name
    title = {"medical": _("Medical costs of a family in %(village)s", village=village),
             "education": _("School costs of a family in %(village)s", village=village),
             "housing": _("A safe home for a family in %(village)s", village=village),
             }.get(purpose, _("Help for a family in %(village)s", village=village))
    story = _("This family of %(village)s is on the return-to-poverty watch list because "
              "of %(reason)s. The village asks for help so that it does not fall back into "
              "poverty. (Draft: say what the money pays for, without names, ID numbers or "
              "exact addresses.)", village=village, reason=_reason(household, state))
    return RequestDraft(purpose=purpose, title=title, story=story)


def need_draft(actor: User, household: Household) -> NeedDraft | None:
    """The needs form for the household's village, or None when the actor may not."""
    found = _watched(actor, household)
    if found is None:
        return None
    state, visit = found
    kind = _KIND.get(state.watch_reason, "jobs")
    if state.watch_reason == "income" and _guarantee(visit) == "education":
        kind = "education"
    description = {
        "jobs": _("A household of the village on the return-to-poverty watch list has lost "
                  "its work or its income is near the poverty line: jobs or vocational "
                  "training seats for its members would keep it out of poverty."),
    }.get(kind, _("A household of the village is on the return-to-poverty watch list because "
                  "of %(reason)s; the village asks for %(kind)s help.",
                  reason=_reason(household, state), kind=_kind_label(kind)))
    return NeedDraft(kind=kind, description=description)


def _kind_label(kind: str) -> str:
    from ..enterprises.kinds import KIND_LABELS

    return str(KIND_LABELS[kind]).lower()


def watched_household(actor: User, village_id: int, household_id: int) -> Household | None:
    """The household named by the needs form's query, if it is in that village and the
    actor may draft from it."""
    household = db.session.get(Household, household_id)
    if household is None or household.village_id != village_id:
        return None
    return household if _watched(actor, household) is not None else None
