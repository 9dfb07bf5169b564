"""Believable demo data: real western counties, eastern enterprises, one login per role.

`load` is idempotent: when the demo coordinator exists nothing is written. Later areas add
their own demo content through `EXTENSIONS` (functions taking the session and the demo
objects), so every page of the demo has something to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from .accounts import services as accounts
from .accounts.models import User
from .db import utcnow
from .enterprises import credit_code
from .enterprises.models import Enterprise
from .extensions import db
from .places.models import County, Village
from .places.services import load_reference_data

PASSWORD = "demo-pass-2026"
DOMAIN = "demo.pairing.cn"

# (province code, county name, deep-poverty area, village names). Counties are real; the
# first villages are well-known names from the programme, the rest are typical names.
VILLAGES: list[tuple[str, str, bool, list[str]]] = [
    ("43", "花垣县", False, ["十八洞村", "排碧村"]),
    ("43", "保靖县", False, ["黄金村"]),
    ("51", "昭觉县", True, ["阿土列尔村", "三河村"]),
    ("51", "布拖县", True, ["补尔村"]),
    ("51", "美姑县", True, ["依果觉村"]),
    ("52", "威宁彝族回族苗族自治县", False, ["石门坎村", "迎春村"]),
    ("52", "从江县", False, ["岜沙村", "加榜村"]),
    ("52", "雷山县", False, ["乌东村"]),
    ("52", "望谟县", False, ["平洞村"]),
    ("53", "镇雄县", False, ["石坎村", "龙坪村"]),
    ("53", "会泽县", False, ["大海村"]),
    ("53", "福贡县", True, ["老姆登村", "腊吐底村"]),
    ("53", "澜沧拉祜族自治县", False, ["老达保村"]),
    ("62", "东乡族自治县", True, ["布楞沟村", "达板村"]),
    ("62", "岷县", False, ["梅川村"]),
    ("62", "临潭县", True, ["池沟村"]),
    ("62", "通渭县", False, ["榜罗村"]),
    ("45", "都安瑶族自治县", False, ["澄江村", "高岭村"]),
    ("45", "大化瑶族自治县", False, ["七百弄村"]),
    ("45", "融水苗族自治县", False, ["雨卜村"]),
    ("64", "西吉县", False, ["龙王坝村", "单家集村"]),
    ("64", "海原县", False, ["关桥村"]),
    ("63", "化隆回族自治县", True, ["群科村"]),
    ("65", "叶城县", True, ["依提木孔村"]),
    ("65", "皮山县", True, ["康克尔村"]),
    ("61", "镇安县", False, ["云镇村"]),
    ("61", "佳县", False, ["赤牛坬村"]),
    ("50", "城口县", False, ["岚溪村"]),
    ("50", "石柱土家族自治县", False, ["华溪村"]),
    ("50", "酉阳土家族苗族自治县", False, ["花田村"]),
    ("54", "南木林县", True, ["艾玛村"]),
]

# (province code, county name, enterprise name, GB/T 4754 section, employees)
ENTERPRISES: list[tuple[str, str, str, str, int]] = [
    ("33", "西湖区", "杭州绿源茶业有限公司", "C", 420),
    ("33", "余杭区", "浙江云集电子商务有限公司", "I", 1800),
    ("33", "鄞州区", "宁波海誉食品有限公司", "C", 650),
    ("33", "义乌市", "义乌小商品供应链有限公司", "F", 2300),
    ("44", "南山区", "深圳鹏程科技有限公司", "I", 5200),
    ("44", "天河区", "广州岭南农产品流通有限公司", "F", 980),
    ("44", "顺德区", "佛山美居家电有限公司", "C", 12000),
    ("44", "东莞市", "东莞华创电子有限公司", "C", 3400),
    ("32", "吴中区", "苏州恒达纺织有限公司", "C", 2600),
    ("32", "江宁区", "南京金陵建设集团有限公司", "E", 4100),
    ("32", "江阴市", "江阴远洋物流有限公司", "G", 760),
    ("31", "浦东新区", "上海申联健康产业有限公司", "Q", 1500),
    ("31", "闵行区", "上海浦江职业培训学校有限公司", "P", 210),
    ("31", "嘉定区", "上海嘉诚汽车零部件有限公司", "C", 3900),
    ("11", "海淀区", "北京智联人力资源有限公司", "L", 2800),
    ("11", "朝阳区", "北京华夏文旅发展有限公司", "R", 640),
    ("12", "滨海新区", "天津渤海粮油有限公司", "C", 1100),
    ("35", "思明区", "厦门鹭岛茶叶进出口有限公司", "F", 380),
    ("35", "晋江市", "晋江闽南鞋业有限公司", "C", 5600),
    ("37", "历下区", "山东齐鲁医药有限公司", "C", 3300),
    ("37", "寿光市", "寿光蔬菜产业集团有限公司", "A", 2100),
    ("21", "沈河区", "沈阳北方建材有限公司", "E", 900),
    ("44", "福田区", "深圳前海普惠金融服务有限公司", "J", 450),
    ("32", "宿豫区", "宿迁京东云仓物流有限公司", "G", 1700),
    ("33", "安吉县", "安吉白茶产业发展有限公司", "A", 320),
]


@dataclass
class Demo:
    """What `load` made, handed to the extensions of later areas."""

    users: dict[str, User] = field(default_factory=dict)
    villages: list[Village] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2020))


def _county(session: Session, province: str, name: str) -> County:
    county = session.scalar(select(County).where(County.province_code == province,
                                                 County.name == name))
    if county is None:
        raise LookupError(f"county {name} not found in province {province}")
    return county


def _user(session: Session, email: str, name: str, role: str, pw_hash: str,
          jurisdiction: str | None = None) -> User:
    user = User(email=email, password_hash=pw_hash, display_name=name, role=role,
                jurisdiction=jurisdiction)
    session.add(user)
    return user


class DemoRefused(RuntimeError):
    """The demo's accounts share a published password: never in production."""


def refuse_in_production() -> None:
    if current_app.config.get("ENV_NAME") == "production":
        raise DemoRefused("PAIRING_ENV=production: the demo's accounts have a public password, "
                          "so no demo data is loaded here")


def load(echo: Callable[[str], None] = print, session: Session | None = None) -> Demo | None:
    refuse_in_production()
    session = session or db.session
    load_reference_data(session)
    if session.scalar(select(User).where(User.email == f"coordinator@{DOMAIN}")):
        echo("demo already loaded: nothing changed")
        session.commit()
        return None
    pw_hash = accounts.hash_password(PASSWORD)
    demo = Demo()
    rng = demo.rng
    huayuan = _county(session, "43", "花垣县")
    u = demo.users
    u["coordinator"] = _user(session, f"coordinator@{DOMAIN}", "全国工商联 王协调",
                             "coordinator", pw_hash, "CN")
    u["verifier_county"] = _user(session, f"verifier.county@{DOMAIN}", "花垣县扶贫办 李核查",
                                 "verifier", pw_hash, huayuan.code)
    u["verifier_province"] = _user(session, f"verifier.province@{DOMAIN}", "湖南省扶贫办 张核查",
                                   "verifier", pw_hash, "43")
    u["secretary"] = _user(session, f"secretary@{DOMAIN}", "十八洞村 第一书记 施书记",
                           "secretary", pw_hash)
    u["enterprise"] = _user(session, f"enterprise@{DOMAIN}", "绿源茶业 陈经理",
                            "enterprise", pw_hash)
    u["donor"] = _user(session, f"donor@{DOMAIN}", "爱心人士 刘女士", "donor", pw_hash)
    session.flush()
    now = utcnow()
    index = 0
    for province, county_name, deep, names in VILLAGES:
        county = _county(session, province, county_name)
        for name in names:
            index += 1
            if county.code == huayuan.code:
                secretary = u["secretary"]
            else:
                secretary = _user(session, f"secretary{index:02d}@{DOMAIN}",
                                  f"{name} 第一书记", "secretary", pw_hash)
            population = rng.randint(700, 3600)
            households = round(population / rng.uniform(3.3, 4.2))
            poor_share = rng.uniform(0.18, 0.55) if deep else rng.uniform(0.08, 0.38)
            poor_households = round(households * poor_share)
            poor_population = min(population, round(poor_households * rng.uniform(3.4, 4.3)))
            # The last few stay pending so the verifier's queue has work.
            status = "pending" if index > 37 else "verified"
            village = Village(
                name=name, county_code=county.code, secretary=secretary,
                created_by_id=None, population=population, households=households,
                poor_households=poor_households, poor_population=poor_population,
                income_per_capita=rng.randint(2300, 4600) if deep else rng.randint(3000, 6800),
                deep_poverty=deep, status=status,
                description=f"{county.province.name}{county.name}{name}",
                verified_by_id=u["verifier_province"].id if status == "verified" else None,
                verified_at=now if status == "verified" else None,
            )
            session.add(village)
            demo.villages.append(village)
    for number, (province, county_name, name, sector, employees) in enumerate(ENTERPRISES, 1):
        county = _county(session, province, county_name)
        officer = u["enterprise"] if number == 1 else _user(
            session, f"officer{number:02d}@{DOMAIN}", f"{name[:6]} 社会责任专员",
            "enterprise", pw_hash)
        organisation = f"{rng.randrange(10**8):08d}" + rng.choice("0123456789X")
        code = credit_code.make("91", county.code, organisation.replace("X", "Y"))
        status = "pending" if number > 23 else "verified"
        enterprise = Enterprise(
            name=name, credit_code=code, county_code=county.code, sector=sector,
            employees=employees, contact_name=officer.display_name,
            contact_phone=f"1{rng.randint(30, 99)}{rng.randrange(10**8):08d}",
            officer=officer, status=status,
            verified_by_id=u["coordinator"].id if status == "verified" else None,
            verified_at=now if status == "verified" else None,
        )
        session.add(enterprise)
        demo.enterprises.append(enterprise)
    session.flush()
    from . import areas

    demos = list(areas.modules("demo"))
    for module in demos:
        extend = getattr(module, "extend", None)
        if extend is not None:
            extend(session, demo)
            session.flush()
    # A second pass for what depends on every area's rows in their final state (the
    # dashboard's demo moves orders back in time, which changes a year's shop sales).
    for module in demos:
        finish = getattr(module, "finish", None)
        if finish is not None:
            finish(session, demo)
            session.flush()
    session.commit()
    echo(f"demo loaded: {len(demo.villages)} villages, {len(demo.enterprises)} enterprises")
    echo(f"log in at /login with any of these (password {PASSWORD}):")
    for role, user in u.items():
        echo(f"  {role:18} {user.email}")
    return demo


def load_national(echo: Callable[[str], None] = print) -> None:
    """130,000 villages and 110,000 enterprises with offers and needs (load tests)."""
    refuse_in_production()
    from .needs.national import load_national as load

    load(echo=echo)
