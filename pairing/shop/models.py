"""The village shop: products and their photos, checkouts, orders, payouts, settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db
from ..places.models import Village

CATEGORIES = ("grain", "tea", "fruit", "livestock", "handicraft", "other")


class ProductStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class OrderState(enum.StrEnum):
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PayoutState(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class Product(db.Model):
    __tablename__ = "shop_products"
    __table_args__ = (
        CheckConstraint("category in ('grain','tea','fruit','livestock','handicraft','other')",
                        name="category"),
        CheckConstraint("status in ('active','paused')", name="status"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        # The last line of defence against overselling: stock can never go below zero.
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        Index("ix_shop_products_status_category", "status", "category"),
        # The shop's sorts (newest, by price), ending with the keyset's tie-breaker.
        Index("ix_shop_products_status_created", "status", "created_at", "id"),
        Index("ix_shop_products_status_price", "status", "price_fen", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(12))
    unit: Mapped[str] = mapped_column(String(20))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(2000), default="")
    origin: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(10), default=ProductStatus.ACTIVE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    village: Mapped[Village] = relationship()
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product", order_by="ProductPhoto.position, ProductPhoto.id",
        cascade="all, delete-orphan")


class ProductPhoto(db.Model):
    """A photo re-encoded by the site; `name` is random, files are <name>.jpg and <name>_t.jpg."""

    __tablename__ = "shop_product_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_products.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="photos")


class Checkout(db.Model):
    """One press of "place order": the idempotency key makes a repeated press harmless."""

    __tablename__ = "shop_checkouts"
    __table_args__ = (UniqueConstraint("buyer_id", "idempotency_key",
                                       name="uq_shop_checkouts_buyer_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id")


class Order(db.Model):
    """The part of a checkout sold by one village.

    `enterprise_id` records an enterprise buyer; `pairing_id` the procurement pairing with
    the selling village that the order counts toward (delivery, once received).
    """

    __tablename__ = "shop_orders"
    __personal_fields__ = frozenset({"recipient", "phone", "address"})
    __table_args__ = (
        CheckConstraint(
            "state in ('placed','paid','shipped','delivered','cancelled','refunded')",
            name="state"),
        CheckConstraint("total_fen > 0", name="total_positive"),
        CheckConstraint("shipping_fen >= 0 and shipping_fen < total_fen", name="shipping"),
        Index("ix_shop_orders_village_state", "village_id", "state"),
        Index("ix_shop_orders_state_placed_at", "state", "placed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("shop_checkouts.id", ondelete="RESTRICT"),
                                             index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"),
                                            index=True)
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"))
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=OrderState.PLACED)
    total_fen: Mapped[int] = mapped_column(BigInteger)  # the goods and the shipping
    # The village's shipping charge, part of total_fen (and so of the ledger's payment).
    shipping_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The delivery county picked at checkout; `address` holds its full name and the rest.
    county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"))
    recipient: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(300))
    payment_provider: Mapped[str] = mapped_column(String(20), default="sandbox")
    payment_reference: Mapped[str] = mapped_column(String(80), default="")
    carrier: Mapped[str] = mapped_column(String(60), default="")
    tracking_number: Mapped[str] = mapped_column(String(60), default="")
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    village: Mapped[Village] = relationship()
    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.id",
                                                  cascade="all, delete-orphan")


class OrderLine(db.Model):
    """What was bought, at the price of the moment of checkout."""

    __tablename__ = "shop_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_fen > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_orders.id", ondelete="CASCADE"),
                                          index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_products.id", ondelete="RESTRICT"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(20))
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def total_fen(self) -> int:
        return self.unit_price_fen * self.quantity


class Payout(db.Model):
    """Money of a village's sales account paid to its cooperative: four eyes."""

    __tablename__ = "shop_payouts"
    __table_args__ = (
        CheckConstraint("state in ('requested','approved','rejected')", name="state"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("decided_by_id is null or decided_by_id <> requested_by_id",
                        name="four_eyes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"),
                                            index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    cooperative: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10), default=PayoutState.REQUESTED, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    village: Mapped[Village] = relationship()


class ShopSetting(db.Model):
    """A number a coordinator changes in the site (badge thresholds)."""

    __tablename__ = "shop_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Shipping(db.Model):
    """A village's shipping terms, set by its secretary: one charge per order (none above
    `free_from_fen` of goods, when set) and the days from payment to delivery."""

    __tablename__ = "shop_shipping"
    __table_args__ = (
        CheckConstraint("fee_fen >= 0 and fee_fen <= 100000", name="fee"),
        CheckConstraint("free_from_fen >= 0", name="free_from"),
        CheckConstraint("days_min >= 1 and days_max >= days_min and days_max <= 60", name="days"),
    )

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"),
                                            primary_key=True, autoincrement=False)
    fee_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    free_from_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    days_min: Mapped[int] = mapped_column(default=3)
    days_max: Mapped[int] = mapped_column(default=7)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
