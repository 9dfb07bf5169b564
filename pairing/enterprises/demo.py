"""Demo offers: every demo enterprise commits help that fits its trade (in Chinese)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from .models import Offer

# sector -> offers as (kind, quantity in yuan or people, villages, description)
BY_SECTOR: dict[str, list[tuple[str, int, int, str]]] = {
    "A": [("procurement", 3_000_000, 5, "订单收购高山茶青、猕猴桃等农产品，保底价收购"),
          ("training", 120, 4, "种植技术培训：茶园管理、果树修剪")],
    "C": [("investment", 8_000_000, 2, "在原料产地投资建设初加工车间，带动村民就业"),
          ("jobs", 80, 5, "生产线普工岗位，包吃住，月薪四千元起"),
          ("procurement", 1_500_000, 4, "采购村里的特色农产品作为加工原料")],
    "E": [("infrastructure", 5_000_000, 3, "修建通组公路、产业路和小型水利设施"),
          ("jobs", 60, 3, "工地施工岗位，优先录用建档立卡贫困户")],
    "F": [("procurement", 2_500_000, 6, "消费扶贫：采购村里的腊肉、蜂蜜、山茶油进商超"),
          ("ecommerce", 1_000_000, 8, "开设扶贫专柜和线上专区，帮助农产品上行")],
    "G": [("ecommerce", 800_000, 10, "冷链物流和仓储支持，农产品运费补贴"),
          ("jobs", 40, 4, "快递分拣和配送岗位")],
    "I": [("ecommerce", 2_000_000, 10, "电商直播带货培训和流量扶持，建设村级电商服务站"),
          ("training", 200, 6, "电商运营和直播技能培训")],
    "J": [("donation", 1_000_000, 5, "设立产业发展互助资金"),
          ("education", 500_000, 5, "资助贫困家庭学生完成学业")],
    "L": [("jobs", 150, 8, "劳务输出对接：东部制造业岗位稳定就业"),
          ("training", 300, 8, "岗前职业技能培训，颁发职业资格证书")],
    "P": [("training", 400, 10, "免费职业技能培训：电工、焊工、育婴员"),
          ("education", 300_000, 3, "捐建村小图书室和多媒体教室")],
    "Q": [("medical", 1_200_000, 4, "捐建村卫生室，开展巡回义诊"),
          ("donation", 600_000, 3, "大病救助专项资金")],
    "R": [("investment", 3_000_000, 2, "开发乡村旅游和民宿，村集体入股分红"),
          ("ecommerce", 400_000, 3, "非遗手工艺品（苗绣、蜡染）线上销售")],
}


def extend(session: Session, demo) -> None:  # noqa: ANN001
    year = date.today().year
    for number, enterprise in enumerate(demo.enterprises):
        offers = BY_SECTOR.get(enterprise.sector, BY_SECTOR["F"])
        for index, (kind, amount, villages, text) in enumerate(offers):
            quantity = amount if kind in ("jobs", "training") else amount * 100
            provinces = ["52", "53", "43", "51", "62", "45"][(number + index) % 6] \
                if (number + index) % 3 == 0 else ""
            session.add(Offer(
                enterprise=enterprise, kind=kind, quantity=quantity, paired_quantity=0,
                max_villages=villages, provinces=provinces, starts_on=date(year, 1, 1),
                ends_on=date(year + 1, 12, 31), description=text, status="active",
                created_by_id=enterprise.officer_id))
