"""Rows for marketplace tests, made outside any request (ids returned)."""

from __future__ import annotations

import itertools
from datetime import date

from flask import Flask

from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import Village

HUAYUAN = "433124"  # 花垣县, Hunan (43): inside the test verifier's jurisdiction
ZHAOJUE = "513431"  # 昭觉县, Sichuan (51): outside it
XIHU = "330106"  # 西湖区, Hangzhou
_serial = itertools.count(1)


def code(n: int | None = None) -> str:
    return credit_code.make("91", XIHU, f"{n if n is not None else next(_serial):09d}")


def enterprise(app: Flask, officer_id: int | None, status: str = "verified",
               county: str = XIHU, name: str = "杭州绿源茶业有限公司", **kw) -> int:
    with app.app_context():
        e = Enterprise(name=name, credit_code=kw.pop("credit_code", code()), county_code=county,
                       sector="C", employees=100, officer_id=officer_id,
                       created_by_id=kw.pop("created_by_id", officer_id), status=status, **kw)
        db.session.add(e)
        db.session.commit()
        return e.id


def village(app: Flask, secretary_id: int | None, status: str = "verified",
            county: str = HUAYUAN, name: str = "十八洞村", **kw) -> int:
    figures = {"population": 939, "households": 225, "poor_households": 136,
               "poor_population": 533, "income_per_capita": 3800}
    figures.update(kw)
    with app.app_context():
        v = Village(name=name, county_code=county, secretary_id=secretary_id,
                    created_by_id=figures.pop("created_by_id", secretary_id), status=status,
                    **figures)
        db.session.add(v)
        db.session.commit()
        return v.id


def offer(app: Flask, enterprise_id: int, kind: str = "procurement",
          quantity: int = 50_000_000, **kw) -> int:
    with app.app_context():
        o = Offer(enterprise_id=enterprise_id, kind=kind, quantity=quantity,
                  starts_on=kw.pop("starts_on", date(2026, 1, 1)),
                  description=kw.pop("description", "收购茶叶"), **kw)
        db.session.add(o)
        db.session.commit()
        return o.id


def need(app: Flask, village_id: int, kind: str = "procurement",
         quantity: int = 20_000_000, **kw) -> int:
    with app.app_context():
        n = Need(village_id=village_id, kind=kind, quantity=quantity,
                 description=kw.pop("description", "茶叶销路"), **kw)
        db.session.add(n)
        db.session.commit()
        return n.id


def get(app: Flask, model, ident: int):  # noqa: ANN001
    with app.app_context():
        row = db.session.get(model, ident)
        if row is not None:
            db.session.expunge(row)
        return row
