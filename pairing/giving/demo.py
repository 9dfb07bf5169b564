"""Demo households and help requests: fictional people with valid checksummed ID numbers,
requests in every state, gifts (one anonymous), a payout with an invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..db import utcnow
from ..demo import DOMAIN, Demo
from ..places.models import Village
from . import idnumber
from . import services as giving
from .models import HelpRequest

# A minimal, valid PDF standing in for a hospital invoice.
INVOICE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
           b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class Plan:
    village: str
    name: str
    purpose: str
    title: str
    story: str
    diagnosis: str
    show_diagnosis: bool
    needed_yuan: int
    state: str          # draft, submitted, notice, open, funded, disbursed
    share: float = 0.0  # of the goal given by demo donors
    tie: bool = False


PLANS = [
    Plan("十八洞村", "龙水生", "medical", "帮龙大叔渡过透析难关",
         "龙大叔一家四口，靠种猕猴桃为生。去年他查出肾病，每周要到县医院透析三次，"
         "家里的积蓄已经用完。", "慢性肾衰竭（尿毒症期）", True, 60_000, "open", 0.62),
    Plan("十八洞村", "石明芳", "education", "让石家姑娘读完大学",
         "石家姑娘今年考上了湖南师范大学，是村里第三个大学生。父亲在外务工受伤，"
         "学费和住宿费还差一半。", "", False, 9_800, "open", 0.86),
    Plan("十八洞村", "麻秀英", "housing", "危房改造：麻奶奶的新屋顶",
         "麻奶奶独自生活，老屋的屋顶在今年夏天的暴雨里塌了一角。村里已组织投工投劳，"
         "还缺材料费。", "", False, 15_000, "disbursed", 1.0),
    Plan("排碧村", "杨光荣", "medical", "杨师傅的腿伤手术",
         "杨师傅在工地摔伤，需要做第二次手术。妻子在家照顾两个孩子和老人。",
         "胫骨骨折术后感染", True, 38_000, "notice", 0.0),
    Plan("排碧村", "吴桂兰", "medical", "吴阿姨的白内障手术", "吴阿姨双眼白内障，已看不清路。",
         "双眼白内障", False, 8_000, "submitted"),
    Plan("十八洞村", "施大海", "other", "施家的养牛启动资金", "想养两头牛，盼早日脱贫。", "",
         False, 12_000, "draft", tie=True),
    Plan("三河村", "吉克阿依", "education", "吉克家三个孩子的寄宿费",
         "家在大凉山深处，三个孩子在乡中心校寄宿。", "", False, 6_600, "open", 0.35),
    Plan("石门坎村", "王德富", "housing", "王家土坯房改造", "雨季土墙开裂，一家五口住得提心吊胆。",
         "", False, 42_000, "open", 0.18),
    Plan("岜沙村", "滚老庚", "medical", "滚爷爷的心脏支架", "滚爷爷心梗住院，已装支架，费用还有缺口。",
         "急性心肌梗死", True, 52_000, "open", 0.48),
]

DONORS = [("爱心人士 刘女士", None), ("杭州 陈先生", None), ("深圳 张女士", None),
          ("上海 李同学", None), ("南京 周先生", None)]


def _donors(session: Session, demo: Demo) -> list[User]:
    base = demo.users["donor"]
    users = [base]
    for n, (name, _) in enumerate(DONORS[1:], start=2):
        user = User(email=f"donor{n:02d}@{DOMAIN}", password_hash=base.password_hash,
                    display_name=name, role="donor")
        session.add(user)
        users.append(user)
    session.flush()
    return users


def extend(session: Session, demo: Demo) -> None:
    national = User(email=f"verifier.national@{DOMAIN}", display_name="国务院扶贫办 赵核查",
                    password_hash=demo.users["donor"].password_hash, role="verifier",
                    jurisdiction="CN")
    session.add(national)
    session.flush()
    donors = _donors(session, demo)
    villages = {v.name: v for v in demo.villages}
    now = utcnow()
    opened: list[HelpRequest] = []
    for seq, plan in enumerate(PLANS, start=1):
        village: Village = villages[plan.village]
        secretary = village.secretary
        number = idnumber.make(village.county_code, date(1958 + seq * 3, seq % 12 + 1, 8 + seq),
                               100 + seq)
        household = giving.register_household(secretary, village, giving.HouseholdData(
            registration_no=f"{village.county_code}-{seq:04d}", head_name=plan.name,
            id_number=number, address=f"{village.name}{seq}组{seq * 7}号", members=3 + seq % 3,
            income_per_capita=2_600 + seq * 170, causes=_causes(plan), cadre_name=f"驻村干部 {['彭', '田', '向', '滕'][seq % 4]}干部",
            family_tie=plan.tie, consent_publish=True, consent_sensitive=True), session)
        req = giving.create_request(
            secretary, household, purpose=plan.purpose, title=plan.title, story=plan.story,
            diagnosis=plan.diagnosis, show_diagnosis=plan.show_diagnosis,
            amount_needed_fen=plan.needed_yuan * 100,
            deadline=now + timedelta(days=12 + seq * 4), session=session)
        if plan.state == "draft":
            continue
        giving.submit_request(secretary, req, session)
        if plan.state == "submitted":
            continue
        verifier = (demo.users["verifier_county"] if village.county_code == "433124"
                    else national)
        giving.verify_request(verifier, req, True, session=session)
        if plan.state == "notice":
            continue
        req.notice_until = now - timedelta(minutes=1)
        giving.settle(req, now, session)
        _give(session, req, donors, plan, seq)
        if plan.state == "disbursed":
            disb = giving.request_disbursement(secretary, req.id, req.raised_fen,
                                               "建材（瓦、檩条）与工钱，见发票", INVOICE,
                                               "fapiao.pdf", session)
            giving.decide_disbursement(verifier, disb, True, session=session)
            giving.add_update(secretary, req, "新屋顶已经盖好，麻奶奶搬回了老屋。谢谢大家！",
                              session)
        opened.append(req)
    project = _project(session, demo, villages["十八洞村"], now)
    _match(session, demo, donors, [r for r in opened if r.status == "open"][-2:] + [project])


def _project(session: Session, demo: Demo, village: Village, now) -> HelpRequest:  # noqa: ANN001
    """A village need of the public-welfare mechanism opened as a crowdfunding project."""
    from ..needs.models import Need

    need = Need(village_id=village.id, kind="infrastructure", quantity=18_000_000, priority=3,
                description="猕猴桃产业冷库（200 立方米），减少采摘后的损耗",
                created_by_id=village.secretary_id)
    session.add(need)
    session.flush()
    project = giving.create_project(
        village.secretary, need, title="十八洞村猕猴桃冷库",
        story="十八洞村的猕猴桃每年有近两成烂在路上。建一座 200 立方米的冷库，"
              "果子就能错峰销售，全村 136 户都受益。", amount_needed_fen=12_000_000,
        deadline=now + timedelta(days=45), session=session)
    giving.submit_request(village.secretary, project, session)
    giving.verify_request(demo.users["verifier_province"], project, True, session=session)
    project.notice_until = now - timedelta(minutes=1)
    giving.settle(project, now, session)
    return project


def _match(session: Session, demo: Demo, donors: list[User], targets: list[HelpRequest]) -> None:
    """The first demo enterprise doubles gifts to three open requests; a few gifts follow."""
    from datetime import date as _date

    from ..enterprises.models import Offer
    from . import matching

    enterprise = demo.enterprises[0]
    offer = Offer(enterprise_id=enterprise.id, kind="donation", quantity=20_000_000,
                  max_villages=5, starts_on=_date.today(),
                  description="公益捐赠：为建档立卡贫困户求助配捐")
    session.add(offer)
    session.flush()
    matching.create_match(enterprise.officer, offer, 2_000_000, utcnow() + timedelta(days=30),
                          [t.id for t in targets], session)
    for n, req in enumerate(targets):
        giving.donate(donors[n % len(donors)], req.id, min(20_000, req.remaining_fen // 2),
                      f"demo-match-{req.id}", message="企业配捐，爱心加倍", session=session)


def _causes(plan: Plan) -> tuple[str, ...]:
    if plan.diagnosis:
        return ("illness",)
    return ("schooling",) if plan.purpose == "education" else ("labour",)


def _give(session: Session, req: HelpRequest, donors: list[User], plan: Plan, seq: int) -> None:
    target = int(req.amount_needed_fen * plan.share)
    amounts = [50_000, 20_000, 10_000, 100_000, 5_000, 30_000, 8_800, 66_600]
    n = 0
    while target > 0:
        amount = min(amounts[(n + seq) % len(amounts)], target, req.remaining_fen)
        if amount < 100:
            break
        donor = donors[(n + seq) % len(donors)]
        giving.donate(donor, req.id, amount, f"demo-{req.id}-{n}",
                      message=["加油！", "早日康复", "", "一点心意", ""][n % 5],
                      anonymous=n % 4 == 1, session=session)
        target -= amount
        n += 1
