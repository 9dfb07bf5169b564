"""Demo needs: every demo village asks for help that fits what it grows (in Chinese)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .models import Need

# What well-known demo villages grow or make; the rest take one of the common products.
PRODUCTS = {
    "十八洞村": "猕猴桃", "黄金村": "黄金茶", "阿土列尔村": "花椒", "补尔村": "马铃薯",
    "石门坎村": "马铃薯", "岜沙村": "香禾糯", "乌东村": "茶叶", "老姆登村": "茶叶",
    "老达保村": "茶叶", "布楞沟村": "东乡手抓羊", "梅川村": "当归", "澄江村": "香猪",
    "龙王坝村": "乡村旅游", "赤牛坬村": "红枣", "华溪村": "中药材黄连", "花田村": "贡米",
    "艾玛村": "土豆", "群科村": "拉面", "依提木孔村": "核桃", "云镇村": "板栗",
}
COMMON = ["茶叶", "核桃", "花椒", "中药材", "蜂蜜", "食用菌", "油茶"]


def extend(session: Session, demo) -> None:  # noqa: ANN001
    for number, village in enumerate(demo.villages):
        product = PRODUCTS.get(village.name, COMMON[number % len(COMMON)])
        needs = [
            ("procurement", 800_000 + 100_000 * (number % 7), 3, "C" if "茶" in product else None,
             f"{product}销路：希望企业订单收购或进商超、食堂"),
            ("jobs", 20 + 5 * (number % 6), 2, None,
             "就近务工或外出务工岗位，村里有劳动力的贫困户优先"),
        ]
        if "茶" in product:
            needs.append(("investment", 3_000_000, 3, "C",
                          f"引进一家{product}加工企业，建设初制加工厂"))
        elif number % 3 == 0:
            needs.append(("infrastructure", 1_500_000, 2, None, "修建产业路和灌溉水渠"))
        else:
            needs.append(("training", 30, 1, None, f"{product}种植和电商销售技术培训"))
        if number % 4 == 1:
            needs.append(("medical", 300_000, 1, None, "村卫生室设备更新"))
        for kind, amount, priority, sector, text in needs:
            session.add(Need(
                village=village, kind=kind,
                quantity=amount if kind in ("jobs", "training") else amount * 100,
                met_quantity=0, priority=priority, sector=sector, description=text,
                status="open", created_by_id=village.secretary_id))
