"""The give form of a crowdfunding page: preset amounts with what each buys, "other
amount", and a guest's name and e-mail for those without an account."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation

from .forms import DonateForm, to_fen
from .models import HelpRequest
from .policy import max_gift, min_gift

PRESET_YUAN = (50, 200, 1000)
OTHER = "other"

# What a gift of each preset buys, by the kind of the request (a household's purpose, or a
# village project's need kind): plain figures of rural costs, said as "about".
BUYS = {
    "medical": (_l("about a week of daily medicine"), _l("about one dialysis session"),
                _l("about three days in a county hospital")),
    "education": (_l("exercise books and pens for a term"), _l("about a month of school meals"),
                  _l("about a term of boarding costs")),
    "housing": (_l("about two bags of cement"), _l("about a builder's day"),
                _l("about the tiles of one room's roof")),
    "infrastructure": (_l("about two bags of cement for the work"),
                       _l("about a builder's day on the work"),
                       _l("about one metre of village road")),
    "other": (_l("a small part of what is needed"), _l("a visible part of what is needed"),
              _l("a large part of what is needed")),
}


@dataclass(frozen=True)
class Preset:
    fen: int
    buys: str
    share: str  # of the request's goal, "2%"; "<1%" below one percent


def kind_of(req: HelpRequest) -> str:
    kind = req.need.kind if req.need is not None else req.purpose
    return kind if kind in BUYS else "other"


def presets(req: HelpRequest) -> list[Preset]:
    """The preset amounts that fit: within the gift limits and what is still needed."""
    lines = BUYS[kind_of(req)]
    out = []
    for yuan, buys in zip(PRESET_YUAN, lines, strict=True):
        fen = yuan * 100
        if not min_gift() <= fen <= min(max_gift(), req.remaining_fen):
            continue
        pct = fen * 100 // req.amount_needed_fen
        out.append(Preset(fen, str(buys), f"{pct}%" if pct >= 1 else "<1%"))
    return out


class GiftForm(DonateForm):
    """DonateForm with presets: a chosen preset is the amount; "other" (or none chosen)
    reads the amount field."""

    preset = RadioField(_l("Choose an amount"), choices=[], validate_choice=False,
                        validators=[Optional()])
    amount = StringField(_l("Amount (yuan)"))
    fen: int = 0

    def set_presets(self, req: HelpRequest) -> list[Preset]:
        found = presets(req)
        self.preset.choices = [(str(p.fen), str(p.fen)) for p in found] + [(OTHER, OTHER)]
        return found

    def validate_amount(self, field: StringField) -> None:
        chosen = self.preset.data or OTHER
        if chosen != OTHER:
            if chosen not in {value for value, _label in self.preset.choices}:
                raise StopValidation(_l("Choose one of the amounts shown, or another "
                                        "amount."))
            self.fen = int(chosen)
            return
        self.fen = to_fen(field.data)


class GuestGiftForm(GiftForm):
    name = StringField(_l("Your name as shown to others"),
                       validators=[Optional(), Length(max=80)])
    email = EmailField(_l("E-mail for the receipt"), validators=[
        DataRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])


def prepare(form: GiftForm, req: HelpRequest) -> list[Preset]:
    """Fill a give form's choices (payment methods, where the gift goes if the request is
    not funded in time, presets) and its idempotency key; returns the presets."""
    import uuid

    from flask_babel import gettext as _

    from ..extensions import db
    from ..payments import providers
    from . import services

    form.provider.choices = [(p.name, str(p.label)) for p in providers.enabled()]
    others = [r for r in db.session.scalars(services.public_query(sort="urgent").limit(30))
              if r.id != req.id and services.effective_status(r) == "open"]
    form.fallback.choices = [(0, _("Refund me"))] + [
        (r.id, _("Move my gift to: %(title)s", title=r.public_title)) for r in others]
    if not form.key.data:
        form.key.data = uuid.uuid4().hex
    return form.set_presets(req)
