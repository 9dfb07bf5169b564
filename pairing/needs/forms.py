"""The need form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..enterprises.forms import sector_choices
from ..enterprises.kinds import kind_choices, parse_quantity, plain_quantity

PRIORITY_LABELS = {1: _l("Low"), 2: _l("Normal"), 3: _l("High")}


class NeedForm(FlaskForm):
    kind = SelectField(_l("Kind of help"), choices=kind_choices(), validate_choice=False)
    quantity = StringField(_l("Quantity"), validators=[InputRequired()],
                           description=_l("Yuan for money, people for jobs and training."))
    priority = SelectField(_l("Priority"), choices=[(str(k), v) for k, v in
                                                    PRIORITY_LABELS.items()], default="2")
    sector = SelectField(_l("Sector wanted (industry only)"), choices=sector_choices(True),
                         validate_choice=False,
                         description=_l("For example C (manufacturing) for a tea processor."))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])

    def load(self, need) -> None:  # noqa: ANN001
        self.kind.data, self.description.data = need.kind, need.description
        self.quantity.data = plain_quantity(need.kind, need.quantity)
        self.priority.data, self.sector.data = str(need.priority), need.sector or ""

    def data_for_service(self) -> dict | None:
        try:
            quantity = parse_quantity(self.kind.data, self.quantity.data)
        except ValueError as exc:
            self.quantity.errors = [*self.quantity.errors, exc.args[0]]
            return None
        priority = int(self.priority.data) if (self.priority.data or "").isdigit() else 0
        return {"kind": self.kind.data, "quantity": quantity, "priority": priority,
                "sector": self.sector.data or None, "description": self.description.data or ""}
