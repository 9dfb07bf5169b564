"""Demo shop: products of the demo villages with small generated photos, and orders in
every state, so that /shop and the order pages have something believable to show."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..enterprises.models import Offer
from ..matching import delivery
from ..matching import services as matching
from ..matching.models import Pairing, Proposal
from ..places.models import Village
from . import badge, payouts, services
from .models import Order, Product

# village -> (name, category, unit, price in yuan, stock, origin, description, colour)
PRODUCTS: dict[str, list[tuple[str, str, str, float, int, str, str, tuple[int, int, int]]]] = {
    "十八洞村": [
        ("十八洞野生蜂蜜", "other", "500 克/瓶", 68, 120, "湖南湘西花垣",
         "苗寨山林百花蜜，农户散养土蜂，一年只取一次。", (222, 160, 40)),
        ("十八洞猕猴桃", "fruit", "5 斤/箱", 79, 200, "湖南湘西花垣",
         "高山红心猕猴桃，酸甜多汁，产地直发。", (120, 150, 50)),
        ("湘西腊肉", "livestock", "1 公斤/袋", 128, 60, "湖南湘西花垣",
         "柴火烟熏，传统工艺，真空包装。", (150, 60, 40)),
        ("苗绣手工香包", "handicraft", "个", 45, 80, "湖南湘西花垣",
         "苗族绣娘手工刺绣，每一件都不同。", (170, 40, 60)),
    ],
    "黄金村": [
        ("保靖黄金茶", "tea", "250 克/罐", 168, 90, "湖南湘西保靖",
         "百年古茶树品种，氨基酸含量高，明前采摘。", (70, 120, 60)),
    ],
    "阿土列尔村": [
        ("悬崖村苦荞茶", "tea", "300 克/盒", 39, 150, "四川凉山昭觉",
         "高山苦荞焙制，清香回甘。", (160, 120, 60)),
    ],
    "三河村": [
        ("昭觉土豆", "grain", "10 斤/箱", 35, 300, "四川凉山昭觉",
         "高原沙地种植，口感粉糯。", (180, 150, 100)),
        ("彝族手工漆器碗", "handicraft", "对", 98, 30, "四川凉山昭觉",
         "彝族传统漆艺，黑红黄三色。", (60, 20, 20)),
    ],
    "石门坎村": [
        ("威宁荞麦面", "grain", "2 公斤/袋", 32, 180, "贵州毕节威宁",
         "乌蒙山区荞麦，手工晾晒。", (140, 110, 80)),
    ],
    "岜沙村": [
        ("从江香禾糯米", "grain", "5 公斤/袋", 88, 140, "贵州黔东南从江",
         "稻鱼鸭共生田种植的香禾糯。", (235, 225, 200)),
    ],
    "乌东村": [
        ("雷山银球茶", "tea", "200 克/罐", 138, 70, "贵州黔东南雷山",
         "雷公山高山茶园，手工揉制成球。", (90, 130, 90)),
        ("苗族银饰手镯", "handicraft", "只", 260, 20, "贵州黔东南雷山",
         "苗族银匠手工锻打。", (200, 200, 210)),
    ],
    "大海村": [
        ("会泽核桃", "fruit", "2 斤/袋", 58, 160, "云南曲靖会泽",
         "薄壳核桃，当季新货。", (140, 100, 60)),
    ],
    "老达保村": [
        ("澜沧古树普洱茶", "tea", "357 克/饼", 198, 50, "云南普洱澜沧",
         "拉祜族村寨古茶园，生普茶饼。", (100, 70, 40)),
    ],
    "布楞沟村": [
        ("东乡手抓羊肉", "livestock", "1 公斤/袋", 138, 40, "甘肃临夏东乡",
         "东乡贡羊，清炖即食。", (200, 180, 160)),
    ],
    "梅川村": [
        ("岷县当归", "other", "500 克/袋", 76, 100, "甘肃定西岷县",
         "中国当归之乡，道地药材。", (160, 110, 70)),
    ],
    "龙王坝村": [
        ("西吉马铃薯粉条", "grain", "2 公斤/袋", 42, 120, "宁夏固原西吉",
         "马铃薯淀粉手工漏制。", (220, 210, 190)),
    ],
    "七百弄村": [
        ("大化七百弄鸡", "livestock", "只", 168, 35, "广西河池大化",
         "石山放养土鸡，冷链发货。", (190, 130, 70)),
    ],
    "依提木孔村": [
        ("叶城薄皮核桃", "fruit", "5 斤/箱", 89, 150, "新疆喀什叶城",
         "昆仑山下核桃，皮薄仁满。", (150, 120, 70)),
    ],
    "赤牛坬村": [
        ("佳县红枣", "fruit", "2 公斤/箱", 66, 110, "陕西榆林佳县",
         "黄河岸边老枣树，自然晾干。", (170, 40, 30)),
    ],
    "华溪村": [
        ("石柱中华蜂蜜", "other", "500 克/瓶", 98, 90, "重庆石柱",
         "中华土蜂百花蜜。", (230, 170, 50)),
    ],
}


def _picture(colour: tuple[int, int, int], seed: int) -> io.BytesIO:
    """A plain coloured picture with a few soft shapes: no text, nothing to translate."""
    image = Image.new("RGB", (640, 480), tuple(min(255, c + 40) for c in colour))
    draw = ImageDraw.Draw(image)
    for i in range(3):
        r = 90 + 30 * ((seed + i) % 3)
        x, y = 140 + 180 * i, 200 + 40 * ((seed * (i + 1)) % 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour, outline=(255, 255, 255), width=4)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    buf.seek(0)
    return buf


def extend(session: Session, demo) -> None:  # noqa: ANN001
    by_name = {v.name: v for v in demo.villages if v.status == "verified"}
    listed: dict[str, list[Product]] = {}
    for seed, (village_name, goods) in enumerate(PRODUCTS.items()):
        village: Village | None = by_name.get(village_name)
        if village is None or village.secretary is None:
            continue
        for name, category, unit, price, stock, origin, text, colour in goods:
            data = services.ProductData(name=name, category=category, unit=unit,
                                        price_fen=round(price * 100), description=text,
                                        origin=origin)
            product = services.create_product(village.secretary, village, data, stock, session)
            services.add_photo(village.secretary, product, _picture(colour, seed), session)
            listed.setdefault(village_name, []).append(product)
    if "十八洞村" not in listed or "阿土列尔村" not in listed:
        return
    donor, enterprise = demo.users["donor"], demo.users["enterprise"]
    honey, kiwi = listed["十八洞村"][0], listed["十八洞村"][1]
    tea = listed["阿土列尔村"][0]
    walnut = listed.get("大海村", [tea])[0]
    puer = listed.get("老达保村", [tea])[0]
    home = services.Delivery("刘女士", "13900000000", "浙江省杭州市西湖区文三路 100 号")
    office = services.Delivery("陈经理", "13700000000", "浙江省杭州市西湖区龙井路 1 号 绿源茶业")

    def buy(buyer, cart: dict[int, int], key: str, where: services.Delivery,  # noqa: ANN001
            days_ago: int, provider: str = "sandbox") -> list[Order]:
        orders = list(services.checkout(buyer, cart, where, key, provider, session).orders)
        for order in orders:
            order.placed_at = utcnow() - timedelta(days=days_ago)
        return orders

    # Honey and tea from two villages: paid, both shipped, the donor confirmed.
    for order in buy(donor, {honey.id: 2, tea.id: 3}, "demo-1", home, 12):
        services.pay(donor, order.id, session)
        secretary = order.village.secretary
        services.ship(secretary, order.id, "中国邮政 EMS", f"EMS98{order.id:08d}", session)
        services.confirm_delivery(donor, order.id, session)
    # Shipped and on its way; paid and waiting to ship; placed and not yet paid.
    [shipped] = buy(donor, {kiwi.id: 1}, "demo-2", home, 3)
    services.pay(donor, shipped.id, session)
    services.ship(shipped.village.secretary, shipped.id, "顺丰速运", "SF1300000001", session)
    for order in buy(enterprise, {puer.id: 10, walnut.id: 20}, "demo-3", office, 1):
        services.pay(enterprise, order.id, session)
    buy(donor, {walnut.id: 1}, "demo-4", home, 0)
    # Bulk tea by bank transfer: waits in the coordinator's queue of transfers.
    [transfer] = buy(enterprise, {tea.id: 30}, "demo-6", office, 0, provider="manual")
    services.pay(enterprise, transfer.id, session)
    # Cancelled after payment: stock back, money refunded.
    [cancelled] = buy(donor, {honey.id: 1}, "demo-5", home, 5)
    services.pay(donor, cancelled.id, session)
    services.cancel(donor, cancelled.id, session)
    # The delivered honey's money, asked for by the secretary, waits for the county verifier.
    payouts.request(honey.village.secretary, honey.village_id, 2 * honey.price_fen,
                    "花垣县十八洞村苗绣农民专业合作社", session)
    _procurement(session, demo, listed)


def finish(session: Session, demo) -> None:  # noqa: ANN001
    """Badge thresholds from the demo's final figures (its orders follow the pairing
    round's outcome and the dashboard's demo moves them back in time), so that its
    busiest village with several products shows the badge."""
    figures = badge.village_figures(session.scalars(select(Product.village_id)), session)
    if not figures:
        return
    sales, active = max(figures.values(), key=lambda f: (min(f[1], 4), f[0]))
    badge.change(demo.users["coordinator"], {"taobao_sales_fen": max(1, sales),
                                              "taobao_active_products": max(1, active)}, session)


def _procurement(session: Session, demo, listed: dict[str, list[Product]]) -> None:  # noqa: ANN001
    """An enterprise buys in bulk from the village it is paired with for procurement: the
    delivered order counts on the pairing (the matching demo ran before this one)."""
    def usable(p: Pairing | Proposal) -> bool:
        village = p.need.village
        return (village.secretary is not None and village.status == "verified"
                and p.offer.enterprise.officer is not None)

    def first(rows: list) -> Pairing | Proposal | None:  # the demo enterprise's first
        rows.sort(key=lambda p: (p.offer.enterprise.officer_id != demo.users["enterprise"].id,
                                 p.need.village.name not in listed, p.id))
        return next((p for p in rows if usable(p)), None)

    pairing = first([p for p in session.scalars(select(Pairing).join(Pairing.offer).where(
        Offer.kind == "procurement", Pairing.status == "active"))
        if delivery.outstanding(p, session) >= 1_000_000])
    if pairing is None:  # the round left its procurement proposals unanswered: accept one
        proposal = first(list(session.scalars(select(Proposal).join(Proposal.offer).where(
            Offer.kind == "procurement", Proposal.status == "pending"))))
        if proposal is None:
            return
        matching.answer(proposal.offer.enterprise.officer, proposal, True, session=session)
        pairing = matching.answer(proposal.need.village.secretary, proposal, True,
                                  session=session)
        if pairing is None:
            return
    village, officer = pairing.need.village, pairing.offer.enterprise.officer
    secretary = village.secretary
    goods = listed.get(village.name) or [services.create_product(
        secretary, village, services.ProductData(
            name=f"{village.name}农家土蜂蜜", category="other", unit="500 克/瓶", price_fen=6800,
            description="合作社统一收购、统一包装的山区土蜂蜜。", origin=village.name), 500, session)]
    product = goods[0]
    units = max(1, min(product.stock // 2, 100))
    where = services.Delivery("王主任", "13600000000", "企业职工食堂（消费扶贫集中采购）")
    [order] = services.checkout(officer, {product.id: units}, where, "demo-procurement",
                                "sandbox", session).orders
    order.placed_at = utcnow() - timedelta(days=9)
    services.pay(officer, order.id, session)
    services.ship(secretary, order.id, "德邦物流", f"DPK{order.id:09d}", session)
    services.confirm_delivery(officer, order.id, session)
    report = session.scalar(select(delivery.ProgressReport).where(
        delivery.ProgressReport.order_id == order.id))
    if report is not None:
        delivery.confirm_report(secretary, report, session)
