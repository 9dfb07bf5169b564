"""The shop, one import for views, jobs and other areas: errors and permissions
(policy.py), products, photos and the cart (catalogue.py), checkout, payment and order
states (orders.py, order_state.py, order_steps.py)."""

from __future__ import annotations

from .catalogue import (
    ProductData,
    add_photo,
    cart_lines,
    clean_cart,
    create_product,
    products_of_secretary,
    products_of_village,
    public_products,
    remove_photo,
    restock,
    set_paused,
    update_product,
    visible_product,
)
from .order_state import lock_order, payment_of, sales_account
from .order_steps import (
    cancel_unpaid,
    confirm_delivery,
    orders_of_buyer,
    orders_of_villages,
    pay_checkout,
    procurement_preview,
    ship,
)
from .orders import Delivery, cancel, checkout, pay
from .policy import (
    MAX_QUANTITY,
    ORDER_FIELDS,
    PRODUCT_FIELDS,
    SORTS,
    Forbidden,
    OutOfStock,
    ShopError,
    can_view_order,
    is_secretary_of,
    is_staff_over,
    villages_of,
)

__all__ = [
    "Delivery",
    "Forbidden",
    "MAX_QUANTITY",
    "ORDER_FIELDS",
    "OutOfStock",
    "PRODUCT_FIELDS",
    "ProductData",
    "SORTS",
    "ShopError",
    "add_photo",
    "can_view_order",
    "cancel",
    "cancel_unpaid",
    "cart_lines",
    "checkout",
    "clean_cart",
    "confirm_delivery",
    "create_product",
    "is_secretary_of",
    "is_staff_over",
    "lock_order",
    "orders_of_buyer",
    "orders_of_villages",
    "pay",
    "pay_checkout",
    "payment_of",
    "procurement_preview",
    "products_of_secretary",
    "products_of_village",
    "public_products",
    "remove_photo",
    "restock",
    "sales_account",
    "set_paused",
    "ship",
    "update_product",
    "villages_of",
    "visible_product",
]
