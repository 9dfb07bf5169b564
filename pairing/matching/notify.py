"""Matching's notices (proposals, pairings, progress reports) in the shared notices
service (pairing/notices): registered kinds, and the old call names kept for callers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..notices import kinds
from ..notices import service as _service
from ..notices.models import Notification

# (kind, settings label, message)
_KINDS = (
    ("proposals.new", _l("New proposals from a pairing round"),
     _l("The pairing round proposed %(count)s new pairs to you.")),
    ("proposal.answered", _l("The other side answered a proposal"),
     _l("%(party)s answered proposal %(id)s: %(answer)s.")),
    ("proposal.declined", _l("A proposal was declined"),
     _l("Proposal %(id)s was declined; it will not be proposed again.")),
    ("proposal.expired", _l("A proposal expired"),
     _l("Proposal %(id)s expired without an answer from both sides.")),
    ("pairing.created", _l("A pairing begins"),
     _l("Both sides accepted: pairing %(id)s begins.")),
    ("report.new", _l("A new progress report to confirm"),
     _l("New progress report on pairing %(id)s: please confirm or dispute it.")),
    ("report.confirmed", _l("Your progress report was confirmed"),
     _l("The village confirmed your progress report on pairing %(id)s.")),
    ("report.disputed", _l("A progress report is disputed"),
     _l("A progress report on pairing %(id)s is disputed.")),
    ("report.decided", _l("A dispute was decided"),
     _l("A verifier decided the dispute on pairing %(id)s: %(answer)s.")),
    ("report.withdrawn", _l("A progress report was withdrawn"),
     _l("A progress report on pairing %(id)s was withdrawn: the matched gift behind it "
        "went back to the enterprise.")),
    ("pairing.lapsed", _l("A pairing lapsed"),
     _l("Pairing %(id)s ended before full delivery (lapsed).")),
    ("pairing.fulfilled", _l("A pairing is fully delivered"),
     _l("Pairing %(id)s is fully delivered.")),
)
for _key, _label, _message in _KINDS:
    # The report.disputed kind reaches the county's verifiers as well.
    kinds.register(_key, _label, _message, kinds.PAIRINGS,
                   ("enterprise", "secretary", *(("verifier",) if _key == "report.disputed"
                                                 else ())))
kinds.words(accept=_l("accepted"), decline=_l("declined"), upheld=_l("the report stands"),
            rejected=_l("the report does not count"), enterprise=_l("The enterprise"),
            village=_l("The village"))

render = kinds.render
text = _service.text
unread_count = _service.unread_count
inbox = _service.inbox
mark_read = _service.mark_read
notify_many = _service.tell_many


def notify(session: Session, user_id: int | None, kind: str, link: str = "",
           **params: Any) -> Notification | None:
    return _service.tell(session, user_id, kind, link, **params)
