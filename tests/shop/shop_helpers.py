"""Builders for shop tests (outside any app context: they return ids)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from pairing.accounts.models import User
from pairing.extensions import db
from pairing.places.models import Village
from pairing.shop import services
from pairing.shop.models import Product

HUAYUAN = "433124"   # 花垣县, Hunan (province 43)
ZHAOJUE = "513431"   # 昭觉县, Sichuan (province 51)


@dataclass
class Shop:
    secretary: object   # UserRef
    other_secretary: object
    village: int
    other_village: int
    honey: int   # product of `village`
    tea: int     # product of `other_village`


def make_village(app: Flask, secretary_id: int, name: str, county: str = HUAYUAN,
                 status: str = "verified") -> int:
    with app.app_context():
        village = Village(name=name, county_code=county, secretary_id=secretary_id,
                          population=1000, households=300, status=status)
        db.session.add(village)
        db.session.commit()
        return village.id


def make_product(app: Flask, village_id: int, *, name: str = "蜂蜜", price: int = 6800,
                 stock: int = 20, category: str = "other") -> int:
    with app.app_context():
        village = db.session.get(Village, village_id)
        actor = db.session.get(User, village.secretary_id)
        product = services.create_product(
            actor, village, services.ProductData(name=name, category=category, unit="瓶",
                                                 price_fen=price, origin="湖南花垣"), stock)
        db.session.commit()
        return product.id


def stock_of(app: Flask, product_id: int) -> int:
    with app.app_context():
        return db.session.get(Product, product_id).stock


def make_shop(app: Flask, make_user) -> Shop:  # noqa: ANN001
    sec = make_user("secretary", name="施书记")
    other = make_user("secretary", name="阿书记")
    village = make_village(app, sec.id, "十八洞村")
    other_village = make_village(app, other.id, "三河村", county=ZHAOJUE)
    honey = make_product(app, village, name="十八洞蜂蜜", price=6800)
    tea = make_product(app, other_village, name="高山苦荞茶", price=3900, category="tea")
    return Shop(sec, other, village, other_village, honey, tea)


def delivery() -> services.Delivery:
    return services.Delivery(recipient="刘女士", phone="13800138000",
                             address="浙江省杭州市西湖区文三路 1 号")
