"""The rules of giving, one import for views, jobs and other areas: households
(households.py), requests and their states (requests.py), donations, refunds and
reallocations (donations.py), disbursements (disbursements.py), complaints
(complaints.py), what pages read (reading.py); errors, settings and permissions
(policy.py).

Services take the actor and objects, flush, never commit. Every movement of money is one
balanced ledger transaction, posted in the same database transaction as the change of
the request's cached figures, after locking the request row (pairing.db.begin_write on
SQLite, SELECT ... FOR UPDATE on PostgreSQL). Hence, always:
    raised_fen - disbursed_fen == ledger balance of "request:<id>".
"""

from __future__ import annotations

from .complaints import (
    decide_complaint,
    file_complaint,
    file_subject_complaint,
    upheld_complaints,
)
from .disbursements import (
    add_evidence,
    decide_disbursement,
    may_download,
    request_disbursement,
    save_file,
)
from .donations import (
    confirmed_donations,
    donate,
    refund_donation,
    settle,
)
from .households import (
    HouseholdChange,
    HouseholdData,
    duplicates,
    households_of,
    record_changes,
    register_household,
    set_consent,
    update_household,
    view_personal,
)
from .policy import (
    PUBLIC_STATES,
    REQUEST_FIELDS,
    Forbidden,
    GivingError,
    S,
    goal_bounds,
    manages,
    manages_request,
    max_gift,
    may_decide_complaint,
    may_see_personal,
    may_verify,
    min_gift,
    notice_period,
    setting,
)
from .reading import (
    is_public,
    open_complaints_for,
    public_donors,
    public_query,
    submitted_requests,
    verifier_queue,
)
from .requests import (
    PROJECT_KINDS,
    add_update,
    close_request,
    create_project,
    create_request,
    effective_status,
    lock_request,
    paused_by_complaints,
    projects_of,
    submit_request,
    update_request,
    verify_request,
)

__all__ = [
    "Forbidden",
    "GivingError",
    "HouseholdChange",
    "HouseholdData",
    "PROJECT_KINDS",
    "PUBLIC_STATES",
    "REQUEST_FIELDS",
    "S",
    "add_evidence",
    "add_update",
    "close_request",
    "confirmed_donations",
    "create_project",
    "create_request",
    "decide_complaint",
    "decide_disbursement",
    "donate",
    "duplicates",
    "effective_status",
    "file_complaint",
    "file_subject_complaint",
    "goal_bounds",
    "paused_by_complaints",
    "households_of",
    "is_public",
    "lock_request",
    "manages",
    "manages_request",
    "max_gift",
    "may_decide_complaint",
    "may_download",
    "may_see_personal",
    "may_verify",
    "min_gift",
    "notice_period",
    "open_complaints_for",
    "projects_of",
    "public_donors",
    "public_query",
    "refund_donation",
    "record_changes",
    "register_household",
    "request_disbursement",
    "save_file",
    "set_consent",
    "setting",
    "settle",
    "submit_request",
    "update_household",
    "update_request",
    "upheld_complaints",
    "submitted_requests",
    "verifier_queue",
    "verify_request",
    "view_personal",
]
