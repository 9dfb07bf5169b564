"""HTTP of the shop: browse, cart, checkout. Orders are in order_views.py, the secretary's
shop, payouts and the coordinator's settings in manage.py, on the same blueprint."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from .. import nav, pages
from ..db import retry_conflicts
from ..extensions import db
from ..i18n import current_language
from ..payments import providers as payment_providers
from ..places.models import Village
from ..places.services import provinces
from . import badge, photos, services, shipping
from .blueprint import bp, fail
from .forms import (
    CATEGORY_LABELS,
    PAYOUT_STATE_LABELS,
    PRODUCT_STATUS_LABELS,
    SORT_LABELS,
    STATE_LABELS,
    CartForm,
    CheckoutForm,
)
from .models import Checkout

CART = "shop_cart"
PHOTO_NAME = re.compile(r"^[0-9a-f]{24}(_t)?\.jpg$")

nav.add("shop.index", _l("Village shop"), order=40)
nav.add("shop.cart", _l("Cart"), order=41)
nav.add("shop.my_orders", _l("My orders"), roles=("donor", "enterprise"), order=42)
nav.add("shop.manage", _l("My shop"), roles=("secretary",), order=43)
nav.add("shop.payouts_page", _l("Shop payouts"), roles=("secretary", "verifier"), order=44)
nav.add("shop.settings", _l("Shop settings"), roles=("coordinator",), order=93)


@bp.app_context_processor
def labels() -> dict[str, object]:
    # The last two let any page include templates/shop/_village_products.html.
    return {"shop_categories": CATEGORY_LABELS, "shop_states": STATE_LABELS,
            "shop_product_statuses": PRODUCT_STATUS_LABELS,
            "shop_payout_states": PAYOUT_STATE_LABELS,
            "shop_products_of_village": services.products_of_village,
            "shop_badged": badge.badge_villages, "shop_cart": _cart}


# The cart lives in its own signed cookie (product ids and quantities only), not in the
# login session, which starts afresh at log-in: a visitor's cart survives logging in.
def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="shop-cart")


def _cart() -> dict[int, int]:
    try:
        return services.clean_cart(_signer().loads(request.cookies.get(CART, "")))
    except BadSignature:
        return {}


def _save_cart(response: Response, cart: dict[int, int]) -> Response:
    # The cookie is sent on every page (the header shows the cart's count); one of an
    # older version, kept under /shop only, is removed so that it cannot shadow it.
    response.delete_cookie(CART, path="/shop")
    if not cart:
        response.delete_cookie(CART, path="/")
        return response
    response.set_cookie(CART, _signer().dumps({str(k): v for k, v in cart.items()}),
                        max_age=30 * 86400, path="/", httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


# --- browsing ----------------------------------------------------------------------------

@bp.get("")
def index():
    args = request.args
    sort = args.get("sort", "new") if args.get("sort") in SORT_LABELS else "new"
    stmt = services.public_products(q=args.get("q", ""), category=args.get("category", ""),
                                    province=args.get("province", ""), sort=sort)
    page = pages.request_page(stmt, scope=f"shop:{sort}", per_page=24)
    badged = badge.badge_villages({p.village_id for p in page.items})
    return render_template("shop/index.html", page=page, badged=badged, sort=sort,
                           sorts=SORT_LABELS, provinces=provinces(), cart_form=CartForm())


@bp.get("/products/<int:product_id>")
def product(product_id: int):
    item = services.visible_product(product_id, current_user)
    if item is None:
        abort(404)
    badged = badge.badge_villages([item.village_id])
    return render_template("shop/product.html", product=item, badged=badged,
                           cart_form=CartForm(product_id=item.id))


@bp.get("/villages/<int:village_id>")
def village_shop(village_id: int):
    village = db.get_or_404(Village, village_id)
    if village.status != "verified":
        abort(404)
    return render_template("shop/village.html", village=village,
                           products=services.products_of_village(village_id, limit=48),
                           badged=badge.badge_villages([village_id]))


@bp.get("/photos/<name>")
def photo(name: str):
    """Product photos are public and never change under a name: cached for a year."""
    if not PHOTO_NAME.match(name):
        abort(404)
    response = send_from_directory(Path(photos.folder()), name, max_age=31_536_000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# --- cart and checkout -----------------------------------------------------------------

@bp.get("/cart")
def cart():
    lines = services.cart_lines(_cart())
    quotes = shipping.quotes(lines)
    return render_template("shop/cart.html", lines=lines, form=CartForm(), quotes=quotes,
                           total=sum(q.total_fen for q in quotes))


@bp.post("/cart")
def cart_set():
    """Add to the cart (`add=1`) or set a line's quantity (0 removes it)."""
    form = CartForm()
    if not form.validate_on_submit():
        flash(_("Choose a quantity between 1 and 9999."), "error")
        return redirect(url_for("shop.cart"))
    cart = _cart()
    pid, qty = form.product_id.data, form.quantity.data
    if request.form.get("add"):
        qty = min(cart.get(pid, 0) + max(qty, 1), services.MAX_QUANTITY)
    if qty <= 0:
        cart.pop(pid, None)
    elif not services.cart_lines({pid: qty}):
        abort(404)
    else:
        cart[pid] = qty
        if request.form.get("add"):
            flash(_("Added to your cart."), "success")
    back = request.form.get("back", "").split("#", 1)[0]
    if not back.startswith("/shop"):
        return _save_cart(redirect(url_for("shop.cart")), cart)
    # Back to the product's own card: the page does not jump to its top.
    return _save_cart(redirect(f"{back}#product-{pid}"), cart)


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
@retry_conflicts
def checkout():
    lines = services.cart_lines(_cart())
    form = CheckoutForm()
    form.provider.choices = [(p.name, p.label) for p in payment_providers.enabled()]
    if request.method == "GET":
        form.key.data = uuid.uuid4().hex
    if not lines and request.method == "GET":
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("shop.index"))
    in_province = shipping.fill_address_choices(form, current_language())
    valid = form.validate_on_submit()
    if valid and not in_province:  # after validate(), which starts each field's errors afresh
        form.county.errors.append(_("Choose a county of the chosen province."))
    if valid and in_province:
        # Only ids and quantities go in: prices are the products' own, at this moment.
        delivery = services.Delivery(form.recipient.data, form.phone.data, form.address.data,
                                     county_code=form.county.data)
        try:
            record = services.checkout(current_user, _cart(), delivery, form.key.data,
                                       form.provider.data)
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("Your order was placed."), "success")
            return _save_cart(redirect(url_for("shop.checkout_done", checkout_id=record.id)), {})
    quotes = shipping.quotes(lines)
    return render_template("shop/checkout.html", form=form, lines=lines, quotes=quotes,
                           total=sum(q.total_fen for q in quotes),
                           procurement=services.procurement_preview(current_user, lines))


@bp.get("/checkouts/<int:checkout_id>")
@login_required
def checkout_done(checkout_id: int):
    record = db.get_or_404(Checkout, checkout_id)
    if record.buyer_id != current_user.id:
        abort(404)
    pending = {o.id: services.payment_of(o) for o in record.orders if o.state == "placed"}
    return render_template("shop/checkout_done.html", record=record, pending=pending)


@bp.post("/checkouts/<int:checkout_id>/pay")
@login_required
@retry_conflicts
def pay_checkout(checkout_id: int):
    try:
        started = services.pay_checkout(current_user, checkout_id)
    except services.ShopError as exc:
        fail(exc)
    else:
        db.session.commit()
        if all(p.confirmed for p in started):
            flash(_("Payment received. The villages will ship your goods."), "success")
        else:
            flash(_("Pay each order by bank transfer with its transfer code."), "info")
    return redirect(url_for("shop.checkout_done", checkout_id=checkout_id))


# The orders' pages (order_views.py) and the secretary's shop, payouts and settings
# (manage.py) register on bp when imported.
from . import manage, order_views, shipping_views  # noqa: E402, F401
