"""Forms of the shop. Prices are entered in yuan with at most two decimals, kept in fen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..enterprises.kinds import parse_number
from ..fields import AmountField
from ..phones import phone_number

CATEGORY_LABELS = {
    "grain": _l("Grain"),
    "tea": _l("Tea"),
    "fruit": _l("Fruit"),
    "livestock": _l("Livestock"),
    "handicraft": _l("Handicraft"),
    "other": _l("Other"),
}
STATE_LABELS = {
    "placed": _l("Placed, waiting for payment"),
    "paid": _l("Paid"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Cancelled and refunded"),
}
PRODUCT_STATUS_LABELS = {"active": _l("For sale"), "paused": _l("Paused")}
PAYOUT_STATE_LABELS = {"requested": _l("Waiting for a verifier"), "approved": _l("Paid out"),
                       "rejected": _l("Rejected")}
SORT_LABELS = {"new": _l("Newest"), "price_asc": _l("Price: low to high"),
               "price_desc": _l("Price: high to low")}


def yuan_to_fen(text: str) -> int:
    """"1,234.50" (or "¥68") -> 123450; ValueError for anything but a plain number with at
    most two decimals ("Infinity", "NaN" and "1e400" included)."""
    value = parse_number(text.replace("¥", "").replace("￥", "")) \
        if isinstance(text, str) else None
    if value is None:
        raise ValueError(text)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(text)
    return int(fen)


class YuanField(AmountField):
    """A money amount in yuan; `.fen` holds it in whole fen after validation."""

    fen: int | None = None
    allow_zero = False  # a price must be above zero; a shipping charge may be nothing

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            self.fen = yuan_to_fen(self.data or "")
        except ValueError:
            self.fen = None
            raise ValidationError(_l("Enter an amount in yuan, such as 68 or 68.50.")) from None
        if self.fen < 0 or (self.fen == 0 and not self.allow_zero):
            raise ValidationError(_l("Enter an amount above zero."))
        if self.fen > 10**11:
            raise ValidationError(_l("Enter an amount of at most 1,000,000,000 yuan."))


class ProductForm(FlaskForm):
    village_id = SelectField(_l("Village"), coerce=int)
    # "Name" alone is a person's name (姓名); a product has a 名称.
    name = StringField(lazy_pgettext("thing", "Name"),
                       validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Category"), choices=list(CATEGORY_LABELS.items()))
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=20)],
                       description=_l("What one item is, such as 500 g jar or 5 kg bag."))
    price = YuanField(_l("Price (yuan)"), validators=[DataRequired()])
    stock = IntegerField(_l("Stock"), validators=[InputRequired(), NumberRange(0, 1_000_000)])
    origin = StringField(_l("Origin"), validators=[Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])


class RestockForm(FlaskForm):
    added = IntegerField(_l("Units to add"), validators=[InputRequired(), NumberRange(1, 1_000_000)])


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), validators=[FileRequired()],
                      description=_l("JPEG, PNG or WebP, at most 5 MB."))


class CartForm(FlaskForm):
    product_id = IntegerField(validators=[InputRequired()])
    quantity = IntegerField(_l("Quantity"), default=1,
                            validators=[InputRequired(), NumberRange(0, 9999)])


class CheckoutForm(FlaskForm):
    """The delivery address in the parts a courier's form has: province, county (with its
    city), then street and door; the views fill the pickers' choices."""

    key = HiddenField(validators=[DataRequired(), Length(max=64)])
    recipient = StringField(_l("Recipient"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=30), phone_number],
                        description=_l("A mobile such as 13812345678 or a landline such as 0743-1234567."))
    province = SelectField(_l("Province"), validators=[DataRequired(
        message=_l("Choose the province of the delivery address."))])
    county = SelectField(_l("City and county"), validators=[DataRequired(
        message=_l("Choose the county of the delivery address."))])
    address = TextAreaField(_l("Street, building and door"),
                            validators=[DataRequired(), Length(min=4, max=200)])
    provider = SelectField(_l("Payment"))  # choices: the enabled payment providers


class ShipForm(FlaskForm):
    carrier = StringField(_l("Carrier"), validators=[DataRequired(), Length(max=60)])
    tracking = StringField(_l("Tracking number"), validators=[DataRequired(), Length(max=60)])


class PayoutForm(FlaskForm):
    village_id = SelectField(_l("Village"), coerce=int)
    amount = YuanField(_l("Amount (yuan)"), validators=[DataRequired()])
    cooperative = StringField(_l("Cooperative receiving the money"),
                              validators=[DataRequired(), Length(max=120)])


class DecideForm(FlaskForm):
    reason = StringField(_l("Reason (when rejecting)"), validators=[Length(max=500)])


class SettingsForm(FlaskForm):
    taobao_sales = YuanField(_l("Yearly shop sales for the badge (yuan)"),
                             validators=[DataRequired()])
    taobao_active_products = IntegerField(_l("Active products for the badge"),
                                          validators=[InputRequired(), NumberRange(0, 10**6)])


class ZeroOrMoreYuanField(YuanField):
    allow_zero = True


class ShippingForm(FlaskForm):
    village_id = SelectField(_l("Village"), coerce=int)
    fee = ZeroOrMoreYuanField(_l("Shipping per order (yuan)"), default="0",
                    description=_l("0 for free shipping."))
    free_from = ZeroOrMoreYuanField(_l("Free shipping from (yuan of goods)"), default="0",
                          description=_l("0: the charge applies to every order."))
    days_min = IntegerField(_l("Delivery takes at least (days)"), default=3,
                            validators=[InputRequired(), NumberRange(1, 60)])
    days_max = IntegerField(_l("and at most (days)"), default=7,
                            validators=[InputRequired(), NumberRange(1, 60)])
