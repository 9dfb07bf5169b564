"""Products of verified villages: listing, photos, stock, the public shop, the cart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, contains_eager, selectinload

from .. import uploads
from ..accounts.models import User
from ..audit import services as audit
from ..places.models import County, Status, Village
from . import photos
from .models import (
    CATEGORIES,
    Product,
    ProductPhoto,
    ProductStatus,
)
from .policy import (
    MAX_QUANTITY,
    PRODUCT_FIELDS,
    Forbidden,
    ShopError,
    _s,
    is_secretary_of,
    is_staff_over,
)


@dataclass
class ProductData:
    name: str
    category: str
    unit: str
    price_fen: int
    description: str = ""
    origin: str = ""


def _check(data: ProductData) -> None:
    if data.category not in CATEGORIES:
        raise ShopError(_l("Choose a category."))
    if not isinstance(data.price_fen, int) or data.price_fen <= 0:
        raise ShopError(_l("The price must be more than zero."))
    if not data.name.strip() or not data.unit.strip():
        raise ShopError(_l("A product needs a name and a unit."))


def create_product(actor: User, village: Village, data: ProductData, stock: int,
                   session: Session | None = None) -> Product:
    session = _s(session)
    if not is_secretary_of(actor, village):
        raise Forbidden(_l("Only the village's secretary lists its products."))
    if village.status != Status.VERIFIED:
        raise ShopError(_l("Products can be listed once the village is verified."))
    if stock < 0:
        raise ShopError(_l("Stock cannot be negative."))
    _check(data)
    product = Product(village_id=village.id, name=data.name.strip(), category=data.category,
                      unit=data.unit.strip(), price_fen=data.price_fen, stock=stock,
                      description=data.description.strip(), origin=data.origin.strip(),
                      created_by_id=actor.id)
    session.add(product)
    session.flush()
    audit.record(actor, "shop.product.create", product, after=audit.snapshot(product, PRODUCT_FIELDS),
                 session=session)
    return product


def _own(actor: User, product: Product) -> None:
    if not is_secretary_of(actor, product.village):
        raise Forbidden(_l("Only the village's secretary changes its products."))


def update_product(actor: User, product: Product, data: ProductData,
                   session: Session | None = None) -> Product:
    session = _s(session)
    _own(actor, product)
    _check(data)
    before = audit.snapshot(product, PRODUCT_FIELDS)
    product.name, product.category, product.unit = data.name.strip(), data.category, data.unit.strip()
    product.price_fen, product.description = data.price_fen, data.description.strip()
    product.origin = data.origin.strip()
    session.flush()
    audit.record(actor, "shop.product.update", product, before=before,
                 after=audit.snapshot(product, PRODUCT_FIELDS), session=session)
    return product


def set_paused(actor: User, product: Product, paused: bool,
               session: Session | None = None) -> Product:
    session = _s(session)
    _own(actor, product)
    before = audit.snapshot(product, ("status",))
    product.status = ProductStatus.PAUSED if paused else ProductStatus.ACTIVE
    session.flush()
    audit.record(actor, "shop.product.pause" if paused else "shop.product.resume", product,
                 before=before, after=audit.snapshot(product, ("status",)), session=session)
    return product


def restock(actor: User, product: Product, added: int, session: Session | None = None) -> Product:
    """Add units atomically (a sale may take stock at the same moment)."""
    session = _s(session)
    _own(actor, product)
    if added <= 0 or added > 1_000_000:
        raise ShopError(_l("Add between 1 and 1,000,000 units."))
    before = product.stock
    session.execute(update(Product).where(Product.id == product.id)
                    .values(stock=Product.stock + added).execution_options(synchronize_session=False))
    session.refresh(product, ["stock"])
    audit.record(actor, "shop.product.restock", product, before={"stock": before},
                 after={"stock": product.stock, "added": added}, session=session)
    return product


def add_photo(actor: User, product: Product, stream, session: Session | None = None) -> ProductPhoto:  # noqa: ANN001
    session = _s(session)
    _own(actor, product)
    if len(product.photos) >= photos.MAX_PHOTOS:
        raise ShopError(_l("A product has at most %(n)d photos.", n=photos.MAX_PHOTOS))
    try:
        name, width, height = photos.store(stream)
    except photos.PhotoError as exc:
        raise ShopError(str(exc)) from exc
    uploads.written(session, *photos.paths(name))
    photo = ProductPhoto(product_id=product.id, name=name, width=width, height=height,
                         position=len(product.photos))
    session.add(photo)
    session.flush()
    audit.record(actor, "shop.photo.add", photo, after={"product_id": product.id, "name": name},
                 session=session)
    return photo


def remove_photo(actor: User, photo: ProductPhoto, session: Session | None = None) -> None:
    session = _s(session)
    _own(actor, photo.product)
    audit.record(actor, "shop.photo.remove", photo,
                 before={"product_id": photo.product_id, "name": photo.name}, session=session)
    session.delete(photo)
    session.flush()
    uploads.remove_after_commit(session, *photos.paths(photo.name))


def public_products(*, q: str = "", category: str = "", province: str = "", sort: str = "new",
                    village_id: int | None = None) -> Select:
    """Listed products of verified villages, filtered and sorted, for the shop page."""
    stmt = (select(Product).join(Village, Product.village_id == Village.id)
            .join(County, Village.county_code == County.code)
            .where(Product.status == ProductStatus.ACTIVE, Village.status == Status.VERIFIED)
            # The village and county joined here for the filters also fill the page's
            # rows (no second round trip for them).
            .options(selectinload(Product.photos),
                     contains_eager(Product.village).contains_eager(Village.county)
                     .joinedload(County.province, innerjoin=True)))
    if q.strip():
        like = f"%{q.strip()[:60]}%"
        stmt = stmt.where(Product.name.ilike(like) | Product.description.ilike(like)
                          | Product.origin.ilike(like) | Village.name.ilike(like))
    if category in CATEGORIES:
        stmt = stmt.where(Product.category == category)
    if province:
        stmt = stmt.where(County.province_code == province[:2])
    if village_id is not None:
        stmt = stmt.where(Product.village_id == village_id)
    order = {"price_asc": (Product.price_fen.asc(), Product.id),
             "price_desc": (Product.price_fen.desc(), Product.id.desc())}.get(
        sort, (Product.created_at.desc(), Product.id.desc()))
    return stmt.order_by(*order)


def products_of_village(village_id: int, limit: int = 8, session: Session | None = None) -> list[Product]:
    """For the village's page: its listed products (include templates/shop/_village_products.html)."""
    return list(_s(session).scalars(public_products(village_id=village_id).limit(limit)))


def visible_product(product_id: int, user: User, session: Session | None = None) -> Product | None:
    """A product page: public when listed; its village's secretary and staff see it paused."""
    product = _s(session).get(Product, product_id)
    if product is None:
        return None
    listed = product.status == ProductStatus.ACTIVE and product.village.status == Status.VERIFIED
    if listed or is_secretary_of(user, product.village) or is_staff_over(user, product.village):
        return product
    return None


def products_of_secretary(secretary: User, session: Session | None = None) -> list[Product]:
    """Every product of the secretary's villages, paused ones too."""
    return list(_s(session).scalars(
        select(Product).join(Village, Product.village_id == Village.id)
        .where(Village.secretary_id == secretary.id)
        .options(selectinload(Product.photos), selectinload(Product.village))
        .order_by(Village.name, Product.name)))



def clean_cart(raw: object) -> dict[int, int]:
    """The cart as kept in the visitor's session: product id -> quantity, nothing else."""
    cart: dict[int, int] = {}
    if not isinstance(raw, Mapping):
        return cart
    for key, value in raw.items():
        try:
            pid, qty = int(key), int(value)
        except (TypeError, ValueError):
            continue
        if pid > 0 and 0 < qty <= MAX_QUANTITY:
            cart[pid] = qty
    return cart


def cart_lines(cart: Mapping[int, int], session: Session | None = None) -> list[tuple[Product, int]]:
    """Listed products of the cart with their quantities, in a stable order."""
    if not cart:
        return []
    products = _s(session).scalars(public_products().where(Product.id.in_(list(cart))))
    return sorted(((p, cart[p.id]) for p in products), key=lambda pq: (pq[0].village_id, pq[0].id))
