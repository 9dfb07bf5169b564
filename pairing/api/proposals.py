"""Matching rounds and their proposals. A proposal is answered by either side (the
enterprise's officer, the village's secretary) through the same service as the web page;
rounds are read by coordinators, each within their jurisdiction as on the web."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ..accounts.models import Role
from ..db import retry_conflicts
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..matching import services as matching
from ..matching.models import PROPOSAL_STATUSES, ROUND_STATUSES, Proposal, Round
from .core import (
    SECURITY,
    PageArgs,
    api_user,
    own_or_404,
    page_schema,
    sort_args,
    sorted_page,
    token_required,
    v1,
)
from .marketplace import QUANTITY, _invalid
from .schemas_base import UtcDateTime

ID = "<int(max=2147483647):{}>"


class ProposalArgs(sort_args("ProposalSort", ("id", "created_at", "expires_at"))):
    status = fields.String(validate=validate.OneOf(PROPOSAL_STATUSES))


class ProposalSchema(Schema):
    id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    offer_id = fields.Integer(required=True)
    need_id = fields.Integer(required=True)
    enterprise_id = fields.Integer(required=True, attribute="offer.enterprise_id")
    enterprise = fields.String(required=True, attribute="offer.enterprise.name")
    village_id = fields.Integer(required=True, attribute="need.village_id")
    village = fields.String(required=True, attribute="need.village.name")
    kind = fields.String(required=True, attribute="need.kind")
    quantity = fields.Integer(required=True, metadata={"description": QUANTITY})
    score = fields.Integer(required=True)
    distance_km = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PROPOSAL_STATUSES))
    enterprise_answer = fields.String(allow_none=True)
    village_answer = fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)
    expires_at = UtcDateTime(required=True)
    closed_at = UtcDateTime(allow_none=True)


class AnswerInput(Schema):
    accept = fields.Boolean(required=True)
    reason = fields.String(load_default="", validate=validate.OneOf(
        ["", *matching.DECLINE_REASONS]), metadata={"description": "Required to decline."})
    note = fields.String(load_default="", validate=validate.Length(max=400))


class AnswerResult(Schema):
    proposal = fields.Nested(ProposalSchema, required=True)
    pairing_id = fields.Integer(allow_none=True, metadata={
        "description": "The pairing, when this answer was the second accept."})


class RoundSchema(Schema):
    id = fields.Integer(required=True)
    province_code = fields.String(allow_none=True, metadata={"description": "null: national."})
    status = fields.String(required=True, validate=validate.OneOf(ROUND_STATUSES))
    stage = fields.String(required=True)
    attempt = fields.Integer(required=True)
    figures = fields.Dict(allow_none=True, metadata={"description": "The solve's figures."})
    error = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    started_at = UtcDateTime(allow_none=True)
    finished_at = UtcDateTime(allow_none=True)


ProposalPage = page_schema(ProposalSchema, "ProposalPage")
RoundPage = page_schema(RoundSchema, "RoundPage")


@v1.get("/proposals")
@token_required(Role.ENTERPRISE, Role.SECRETARY, scope="matching:read")
@v1.arguments(ProposalArgs, location="query", as_kwargs=False)
@v1.response(200, ProposalPage)
@v1.doc(security=SECURITY)
def proposal_list(args: dict):
    """Proposals to your enterprise or your village, newest first; all statuses unless
    `status` is given."""
    query = matching.proposals_for(api_user(), args.get("status")).order_by(None)
    return sorted_page(query, args, Proposal.id, {"created_at": Proposal.created_at,
                                                  "expires_at": Proposal.expires_at})


def _own_proposal(proposal_id: int) -> Proposal:
    """Yours, or 404: a proposal to someone else is not even said to exist."""
    return own_or_404(matching.proposals_for(api_user(), None), Proposal.id, proposal_id)


@v1.get(f"/proposals/{ID.format('proposal_id')}")
@token_required(Role.ENTERPRISE, Role.SECRETARY, scope="matching:read")
@v1.response(200, ProposalSchema)
@v1.doc(security=SECURITY)
def proposal_get(proposal_id: int):
    """One proposal to your enterprise or your village."""
    return _own_proposal(proposal_id)


@v1.post(f"/proposals/{ID.format('proposal_id')}/answer")
@token_required(Role.ENTERPRISE, Role.SECRETARY, scope="matching:write")
@v1.arguments(AnswerInput)
@v1.response(200, AnswerResult)
@v1.doc(security=SECURITY)
@retry_conflicts
def proposal_answer(data: dict, proposal_id: int):
    """Accept or decline for your side; both sides accepted: the pairing is made."""
    proposal = _own_proposal(proposal_id)
    try:
        pairing = matching.answer(api_user(), proposal, data["accept"], data["reason"],
                                  data["note"])
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        _invalid(exc)
    db.session.commit()
    return {"proposal": db.session.get(Proposal, proposal_id),
            "pairing_id": pairing.id if pairing else None}


@v1.get("/rounds")
@token_required(Role.COORDINATOR, scope="matching:read")
@v1.arguments(PageArgs, location="query", as_kwargs=False)
@v1.response(200, RoundPage)
@v1.doc(security=SECURITY)
def round_list(args: dict):
    """Matching rounds of your jurisdiction, newest first."""
    return sorted_page(matching.rounds_for(api_user()), args, Round.id, {})


@v1.get(f"/rounds/{ID.format('round_id')}")
@token_required(Role.COORDINATOR, scope="matching:read")
@v1.response(200, RoundSchema)
@v1.doc(security=SECURITY)
def round_get(round_id: int):
    """One round of your jurisdiction (another's: 404, as on the web)."""
    return own_or_404(matching.rounds_for(api_user()), Round.id, round_id)
