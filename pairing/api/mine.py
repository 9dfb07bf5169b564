"""One offer or need, and an owner's changes to it: the same services (and so the same
rules and audit entries) as the web forms, with the row locked first.

Who sees what: a public offer or need is there for everyone; one that is not public
(withdrawn, of an unverified enterprise or village) only for its owner's token, and 404
for everyone else, so its existence does not leak. Changing another's public offer or
need: 403; another's hidden one: 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import Select

from ..accounts.models import Role
from ..db import lock, retry_conflicts
from ..enterprises import services as offers
from ..enterprises.models import SECTORS, Offer
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..needs import services as needs
from ..needs.models import Need
from ..places.villages import may_edit_village
from .core import SECURITY, api_user, token_required, v1
from .marketplace import KIND, QUANTITY, NeedSchema, OfferSchema, _invalid
from .schemas_base import PROVINCE

ID = "<int(max=2147483647):{}>"


class OfferPatch(Schema):
    """Only the fields sent change; the rest keep their values."""

    kind = fields.String(validate=KIND)
    quantity = fields.Integer(strict=True, validate=validate.Range(min=1, max=10**12),
                              metadata={"description": QUANTITY})
    max_villages = fields.Integer(strict=True, validate=validate.Range(min=1, max=1000))
    provinces = fields.List(fields.String(validate=PROVINCE), validate=validate.Length(max=34))
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    description = fields.String(validate=validate.Length(max=2000))


class NeedPatch(Schema):
    kind = fields.String(validate=KIND)
    quantity = fields.Integer(strict=True, validate=validate.Range(min=1, max=10**12),
                              metadata={"description": QUANTITY})
    priority = fields.Integer(strict=True, validate=validate.OneOf([1, 2, 3]))
    sector = fields.String(allow_none=True, validate=validate.OneOf(sorted(SECTORS)))
    description = fields.String(validate=validate.Length(max=2000))


def _owner(may_edit: Callable[[Any], bool]) -> bool:
    """A token of marketplace:read whose user may edit the row's enterprise or village."""
    user = g.get("api_user")
    return user is not None and g.api_token.allows("marketplace:read") and may_edit(user)


def _visible(model: type[Offer] | type[Need], public: Select, row_id: int,
             owns: Callable[[Any], bool], for_update: bool) -> Any:
    """A public row, or the caller's own hidden one (locked first for a change); any other
    is 404, so that a hidden row's existence does not leak."""
    row = lock(db.session, model, row_id) if for_update else db.session.get(model, row_id)
    if row is None:
        abort(404)
    if db.session.scalar(public.where(model.id == row.id)) is None and not owns(row):
        abort(404)
    return row


def _visible_offer(offer_id: int, for_update: bool = False) -> Offer:
    return _visible(Offer, offers.public_offers(), offer_id, lambda o: _owner(
        lambda user: offers.may_edit_enterprise(user, o.enterprise)), for_update)


def _visible_need(need_id: int, for_update: bool = False) -> Need:
    return _visible(Need, needs.public_needs(), need_id, lambda n: _owner(
        lambda user: may_edit_village(user, n.village)), for_update)


def _run(change, *args: Any):  # noqa: ANN001, ANN202
    try:
        row = change(api_user(), *args)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        _invalid(exc)
    db.session.commit()
    return row


@v1.get(f"/offers/{ID.format('offer_id')}")
@v1.response(200, OfferSchema)
def offer_get(offer_id: int):
    """One offer: a public one, or one of your enterprise's with your token."""
    return _visible_offer(offer_id)


@v1.patch(f"/offers/{ID.format('offer_id')}")
@token_required(Role.ENTERPRISE, scope="marketplace:write")
@v1.arguments(OfferPatch)
@v1.response(200, OfferSchema)
@v1.doc(security=SECURITY)
@retry_conflicts
def offer_update(data: dict, offer_id: int):
    """Change your enterprise's offer (as its web form would: once paired, only the
    unpaired remainder)."""
    offer = _visible_offer(offer_id, for_update=True)
    current = {"kind": offer.kind, "quantity": offer.quantity,
               "max_villages": offer.max_villages, "provinces": offer.province_codes,
               "starts_on": offer.starts_on, "ends_on": offer.ends_on,
               "description": offer.description}
    return _run(offers.update_offer, offer, {**current, **data})


@v1.post(f"/offers/{ID.format('offer_id')}/withdraw")
@token_required(Role.ENTERPRISE, scope="marketplace:write")
@v1.response(200, OfferSchema)
@v1.doc(security=SECURITY)
@retry_conflicts
def offer_withdraw(offer_id: int):
    """Withdraw your enterprise's offer (once paired: its unpaired remainder)."""
    return _run(offers.withdraw_offer, _visible_offer(offer_id, for_update=True))


@v1.get(f"/needs/{ID.format('need_id')}")
@v1.response(200, NeedSchema)
def need_get(need_id: int):
    """One need: a public one, or one of your village's with your token."""
    return _visible_need(need_id)


@v1.patch(f"/needs/{ID.format('need_id')}")
@token_required(Role.SECRETARY, scope="marketplace:write")
@v1.arguments(NeedPatch)
@v1.response(200, NeedSchema)
@v1.doc(security=SECURITY)
@retry_conflicts
def need_update(data: dict, need_id: int):
    """Change your village's need (once partly met, only the unmet remainder)."""
    need = _visible_need(need_id, for_update=True)
    current = {"kind": need.kind, "quantity": need.quantity, "priority": need.priority,
               "sector": need.sector, "description": need.description}
    return _run(needs.update_need, need, {**current, **data})


@v1.post(f"/needs/{ID.format('need_id')}/withdraw")
@token_required(Role.SECRETARY, scope="marketplace:write")
@v1.response(200, NeedSchema)
@v1.doc(security=SECURITY)
@retry_conflicts
def need_withdraw(need_id: int):
    """Withdraw your village's need (once partly met: its unmet remainder)."""
    return _run(needs.withdraw_need, _visible_need(need_id, for_update=True))
