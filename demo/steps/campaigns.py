"""Demo campaign for ``seed_demo``: the seed's “学党章、强基础、作表率” activity across the current
year, with its three stages and books, tasks per stage, branch progress that differs from branch
to branch, about fifteen reading reflections (two of them near-copies in different branches, so the
flag shows), one reflection linked to a reading-exchange meeting of the current quarter, and a few
study materials (党章 summary, 条例 and 细则 key points, a discipline case) as .txt and .docx.

Everything goes through the services (so the audit log and the near-duplicate check tell the
story). The campaign is known by its name and unit, a material by its title and the exchange
meeting by its quarter, so running twice adds nothing.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns import rules, services
from campaigns.models import Campaign, Material, ReadingReflection, ReflectionStatus
from demo.steps.organisation import demo_committee
from meetings import services as meeting_services
from meetings.models import BuiltinKind, Meeting, MeetingKind
from members.models import BranchMembership
from organizations.models import Unit, UnitKind

CAMPAIGN_NAME = "学党章、强基础、作表率"
GOAL = (
    "全面落实新时期党的建设总要求，把政治建设摆在首位，发挥基层党组织的政治功能，"
    "促进基层党组织全面进步、全面过硬；依托每阶段的学习书籍，每季度开展一次读书心得交流活动。"
)
SEED = 2020

# ---------------------------------------------------------------------------------------------
# Materials (short texts written for the demo)

CONSTITUTION_TEXT = """中国共产党章程学习摘编（演示资料）

一、党的性质和宗旨
中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益。党的根本宗旨是全心全意为人民服务。

二、党员的义务
党员必须认真学习党的理论，贯彻执行党的基本路线和各项方针、政策，自觉遵守党的纪律，保守党和国家的秘密，密切联系群众，发扬社会主义新风尚。

三、党的组织制度
党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。党员个人服从党的组织，少数服从多数，下级组织服从上级组织。

四、学习提示
各支部结合“三会一课”逐章学习，每名党员至少精读一遍全文，并结合本职工作撰写读书心得。"""

REGULATIONS_POINTS = [
    "中国共产党支部工作条例（试行）学习要点（演示资料）",
    "党支部是党的基础组织，是党的组织体系的基本单元，担负直接教育党员、管理党员、监督党员和组织群众、宣传群众、凝聚群众、服务群众的职责。",
    "党支部应当坚持“三会一课”制度：支部委员会会议一般每月召开1次，党小组会一般每月召开1次，党员大会一般每季度召开1次，党课一般每季度1次。",
    "党支部每月相对固定1天开展主题党日，组织党员集中学习、过组织生活、进行民主议事和志愿服务等。",
    "党支部每年至少召开1次组织生活会，一般安排在第四季度，开展批评和自我批评。",
    "学习提示：对照“四强”支部标准，逐条查找本支部在制度执行中的差距，形成自查报告。",
]

RECRUITMENT_TEXT = """中国共产党发展党员工作细则学习要点（演示资料）

发展党员工作应当贯彻党的基本理论、基本路线、基本方略，按照控制总量、优化结构、提高质量、发挥作用的总要求，坚持把政治标准放在首位。

发展党员的五个阶段：申请入党；确定入党积极分子和培养教育；确定发展对象；接收预备党员；预备党员的教育、考察和转正。

党支部应当严格履行程序，做到成熟一个、发展一个，严禁突击发展。

学习提示：各支部对照细则检查近三年发展党员档案材料是否齐全、程序是否规范。"""

CASE_POINTS = [
    "典型案例：某单位干部违规收受礼金被查处（警示教育演示资料，人物为化名）",
    "基本案情：某区直机关科长王某，在负责项目审批期间，利用春节、中秋等节日，先后多次收受管理服务对象所送购物卡、礼金共计人民币4.8万元。",
    "处理结果：王某受到党内严重警告处分，调离原岗位，违纪所得予以收缴。其所在支部书记因履行监督责任不力，被诫勉谈话。",
    "案例警示：“节日腐败”看似小节，实则是破纪之始。党员干部要严守中央八项规定精神，在人情往来中守住底线。",
    "讨论题：本支部在节假日前如何开展廉洁提醒？岗位廉政风险点在哪里？",
]

MATERIALS = (
    # (title, file name, topics, stage index or None, "txt"/"docx", content)
    ("中国共产党章程学习摘编", "党章学习摘编.txt", ("constitution",), 0, "txt", CONSTITUTION_TEXT),
    ("支部工作条例学习要点", "支部工作条例学习要点.docx", ("branch_regulations",), 1, "docx", REGULATIONS_POINTS),
    ("发展党员工作细则学习要点", "发展党员工作细则学习要点.txt", ("recruitment",), 2, "txt", RECRUITMENT_TEXT),
    ("典型案例：违规收受礼金被查处", "典型案例警示.docx", ("integrity", "cases"), None, "docx", CASE_POINTS),
)

# ---------------------------------------------------------------------------------------------
# Stages, books and tasks

STAGES = (
    # (name, first month, last month, description, book, author, note, material index)
    (
        "学党章",
        1,
        4,
        "抓好对《党章》的深入学习，创新学习形式，把学习贯穿主题实践活动全过程。",
        "中国共产党章程",
        "中国共产党第二十次全国代表大会部分修改",
        "逐章精读，结合本职工作撰写读书心得。",
        0,
    ),
    (
        "强基础",
        5,
        8,
        "以创建政治强、班子强、队伍强、作用发挥强“四强”支部为抓手，严格落实党内组织生活制度。",
        "中国共产党支部工作条例（试行）",
        "中共中央",
        "对照条例逐条查找差距。",
        1,
    ),
    (
        "作表率",
        9,
        12,
        "通过党建示范点创建、党员示范岗评选等活动，引导党员干部尊崇党章、发挥表率作用。",
        "中国共产党发展党员工作细则",
        "中共中央办公厅",
        "结合发展党员档案自查学习。",
        2,
    ),
)

# (stage index, title, audience, evidence, meeting kind code or "", days after stage start for due
# (None: stage end), description)
TASKS = (
    (0, "印发主题实践活动实施方案", "committee", "document", "", 20, "机关党委印发方案，明确三个阶段的安排。"),
    (0, "制定支部学习计划并上报", "branch", "document", "", 30, "列明学习篇目、时间和领学人。"),
    (0, "书记讲一次党章专题党课", "branch", "meeting", BuiltinKind.PARTY_LESSON, None, ""),
    (0, "开展党章读书心得交流", "branch", "meeting", BuiltinKind.READING_EXCHANGE, None, "每季度至少一次。"),
    (0, "提交《党章》读书心得", "member", "reflection", "", None, "不少于300字。"),
    (1, "召开支委会研究“四强”支部创建", "branch", "meeting", BuiltinKind.COMMITTEE_MEETING, 30, ""),
    (1, "上报“四强”支部创建自查报告", "branch", "document", "", 75, "对照条例逐条自查。"),
    (1, "提交《支部工作条例》读书心得", "member", "reflection", "", None, ""),
    (2, "开展党员示范岗志愿服务主题党日", "branch", "meeting", BuiltinKind.THEME_DAY, None, ""),
    (2, "推荐党员示范岗人选", "branch", "document", "", 45, "每个支部推荐1—2名。"),
    (2, "提交《发展党员工作细则》读书心得", "member", "reflection", "", None, ""),
)

# How many of the due document tasks each branch (in tree order) has reported: progress differs.
DOCUMENT_SHARE = (1.0, 1.0, 0.5, 0.0, 0.5)

# ---------------------------------------------------------------------------------------------
# Reflections: sentences per book, combined per member (so that ordinary reflections differ).

OPENINGS = (
    "这次主题实践活动中，我认真研读了%(book)s，收获很大。",
    "按照支部学习计划，我利用业余时间通读了%(book)s，并做了读书笔记。",
    "%(book)s是本阶段的学习书目，我结合自己的岗位反复学习了几遍。",
    "参加支部集中学习后，我又自学了%(book)s，有几点体会。",
    "通过学习%(book)s，我对党员的身份有了更深的认识。",
)

SENTENCES = {
    0: (
        "党章是党的根本大法，是全党必须遵循的总规矩，学习党章首先要读懂党的性质和宗旨。",
        "党章规定党员必须全心全意为人民服务，不惜牺牲个人的一切，这让我反思自己在窗口服务中是否真正做到了耐心细致。",
        "对照党员的八项义务，我发现自己在学习党的理论方面还有欠缺，往往满足于会上听、会后忘。",
        "民主集中制是党的根本组织原则，在科室工作中，我要做到个人服从组织、少数服从多数。",
        "党章关于纪律的规定让我明白，纪律是管党治党的戒尺，守纪律讲规矩要从日常小事做起。",
        "我把党章中关于党员权利的条款认真读了几遍，认识到党员既要履行义务，也要正确行使权利。",
        "在项目审批工作中，我时刻提醒自己按规矩办事，不给服务对象添麻烦，不收一分不该收的钱物。",
        "学习党章不能停留在字面上，要把党章的要求转化为干事创业的自觉行动。",
        "作为一名年轻党员，我要以党章为镜，经常对照检查，及时校正思想和行为上的偏差。",
        "这次学习让我体会到，尊崇党章就要心中有敬畏、办事不逾规。",
        "党章总纲中关于党的建设的基本要求，对我们机关党支部抓好自身建设很有指导意义。",
        "我准备把学习党章的体会写进个人年度学习计划，做到学有所思、思有所得、得有所行。",
    ),
    1: (
        "支部工作条例对党支部的职责作了系统规定，让我对支部“直接教育、管理、监督党员”的职责有了清晰认识。",
        "条例要求“三会一课”按时召开，我们支部过去有时把党小组会和支委会合并，今后要严格分开记录。",
        "主题党日每月相对固定一天，这一规定让组织生活有了固定节奏，党员参加的积极性也提高了。",
        "条例对组织生活会和民主评议党员作了明确要求，批评和自我批评要见人见事见思想。",
        "对照“四强”支部标准，我们支部在作用发挥方面还有差距，党员示范岗的作用还不够明显。",
        "支部委员要认真落实“一岗双责”，既抓业务工作，又抓党员思想，二者不能割裂。",
        "条例强调党支部书记要带头讲党课，我认为委员们也应当轮流领学，人人都当学习的组织者。",
        "支部建设的基础在日常，会议记录、党费收缴、党员档案这些基础工作都要做实做细。",
        "学习条例后，我主动承担了支部会议记录工作，按照规范格式记录讨论情况和决议事项。",
        "强基础就是要把每一项制度落到实处，而不是停留在纸面上。",
        "条例关于党员教育管理的规定，提醒我们对流动党员和年轻党员要更加关心。",
        "我建议支部每季度对照条例开展一次自查，发现问题及时整改。",
    ),
    2: (
        "发展党员工作细则明确了发展党员的五个阶段和二十五个步骤，每一步都有严格要求。",
        "坚持把政治标准放在首位，是发展党员工作的根本要求，也是我们做好入党积极分子培养的关键。",
        "细则要求成熟一个发展一个，严禁突击发展，这体现了党对党员质量的高度重视。",
        "作为入党积极分子的培养联系人，我要按照细则定期谈心谈话，如实记录培养考察情况。",
        "预备党员的教育考察同样重要，转正不是终点，而是更高标准要求自己的起点。",
        "作表率就是要在急难险重任务中站得出来，在平常工作中看得出来。",
        "我们科室有两名入党积极分子，我准备结合细则的要求，帮助他们系统学习党的基本知识。",
        "细则对发展党员档案材料作了规定，支部要对照检查材料是否齐全、手续是否完备。",
        "学习细则让我回想起自己入党时的情景，更加珍惜党员这个光荣的称号。",
        "党员示范岗不是一块牌子，而是一份承诺，要在服务群众中亮身份、树形象。",
        "发展党员工作要公开透明，接受党员和群众的监督，确保发展质量。",
        "今后我要以更高标准要求自己，在本职岗位上争当表率、做出实绩。",
    ),
}

CLOSINGS = (
    "今后我将继续深入学习，把学习成果转化为推动工作的实际成效。",
    "我将以这次活动为契机，进一步增强党性修养，在岗位上发挥先锋模范作用。",
    "学无止境，我会坚持读原著、学原文、悟原理，做到学用结合。",
    "以上是我的一点学习体会，不当之处请支部同志们批评指正。",
)


def reflection_text(rng: random.Random, stage_index: int, book: str, used: set) -> str:
    """A reflection of seven sentences drawn from the stage's pool (at least 300 characters).

    No two reflections of a stage draw the same seven, so ordinary reflections stay apart (five-
    gram similarity well under the threshold); only the deliberate copy below is flagged."""
    pool = list(SENTENCES[stage_index])
    while True:
        rng.shuffle(pool)
        key = (stage_index, frozenset(pool[:7]))
        if key not in used:
            used.add(key)
            break
    opening = rng.choice(OPENINGS) % {"book": f"《{book}》"}
    body = pool[:7]
    text = "\n".join([opening + body[0] + body[1], body[2] + body[3] + body[4], body[5] + body[6]])
    text += "\n" + rng.choice(CLOSINGS)
    for closing in CLOSINGS:
        if rules.counted_chars(text) >= 300:
            break
        if closing not in text:
            text += closing
    return text


def near_copy(text: str) -> str:
    """The same text with a changed first clause and a few words swapped: a copy in disguise."""
    first, rest = text.split("\n", 1)
    cut = first.find("。") + 1
    copy = "读了这本书之后，我深受触动，也有不少感想。" + first[cut:] + "\n" + rest.replace("我要", "我将")
    if rules.counted_chars(copy) < 300:
        copy += "谨以此文与同志们交流。"
    return copy


# ---------------------------------------------------------------------------------------------


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for p in paragraphs[1:]:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _file(name: str, kind: str, content) -> ContentFile:
    data = _docx_bytes(list(content)) if kind == "docx" else content.encode("utf-8")
    return ContentFile(data, name=name)


def _month_end(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def _users() -> dict:
    names = ["staff", "inspector", "secretary1", "committee1", "member1"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}


def _branch_members(branches) -> dict[int, list]:
    rows = (
        BranchMembership.objects.filter(unit__in=branches, end_on__isnull=True)
        .select_related("member", "member__user")
        .order_by("unit_id", "member__name", "member_id")
    )
    out: dict[int, list] = {b.pk: [] for b in branches}
    for row in rows:
        out[row.unit_id].append(row.member)
    return out


def _seed_materials(actor) -> list[Material]:
    made = []
    for title, name, topics, _stage, kind, content in MATERIALS:
        if Material.objects.filter(title=title).exists():
            continue
        made.append(
            services.upload_material({"title": title, "topics": list(topics)}, _file(name, kind, content), actor=actor)
        )
    return made


def _seed_campaign(committee, today, actor):
    year = today.year
    campaign = services.create_campaign(
        committee,
        {
            "name": CAMPAIGN_NAME,
            "goal": GOAL,
            "start_on": datetime.date(year, 1, 1),
            "end_on": datetime.date(year, 12, 31),
            "reflection_min_chars": 300,
        },
        actor=actor,
    )
    materials = {m.title: m for m in Material.objects.filter(title__in=[m[0] for m in MATERIALS])}
    stages, books = [], []
    for i, (name, first, last, description, title, author, note, material_index) in enumerate(STAGES):
        stage = services.create_stage(
            campaign,
            {
                "order": i + 1,
                "name": name,
                "description": description,
                "start_on": datetime.date(year, first, 1),
                "end_on": _month_end(year, last),
            },
            actor=actor,
        )
        material = materials.get(MATERIALS[material_index][0])
        if material is not None and material.stage_id is None:
            services.update_material(
                material,
                {"stage": stage, "topics": list(material.topic_rows.values_list("topic", flat=True))},
                actor=actor,
                expected_version=material.version,
            )
        books.append(
            services.add_book(
                stage, {"title": title, "author": author, "note": note, "material": material}, actor=actor
            )
        )
        stages.append(stage)
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    tasks = []
    for stage_index, title, audience, evidence, kind, due_days, description in TASKS:
        stage = stages[stage_index]
        due = stage.end_on if due_days is None else stage.start_on + datetime.timedelta(days=due_days)
        tasks.append(
            services.create_task(
                stage,
                {
                    "title": title,
                    "description": description,
                    "audience": audience,
                    "evidence": evidence,
                    "meeting_kind": kinds.get(kind) if kind else None,
                    "book": books[stage_index] if evidence == "reflection" else None,
                    "due_on": min(due, stage.end_on),
                },
                actor=actor,
            )
        )
    return campaign, stages, books, tasks


def _report_documents(campaign, committee, branches, tasks, today, users) -> int:
    made = 0
    documents = [t for t in tasks if t.evidence == "document" and t.stage.start_on <= today]
    for t in documents:
        if t.audience == "committee":
            body = _("%(c)s关于开展“%(n)s”主题实践活动的实施方案。") % {"c": committee.name, "n": campaign.name}
            services.complete_task(
                t, committee, ContentFile(body.encode(), name="实施方案.txt"), actor=users.get("staff")
            )
            made += 1
    branch_docs = [t for t in documents if t.audience == "branch"]
    for i, branch in enumerate(branches):
        share = DOCUMENT_SHARE[i % len(DOCUMENT_SHARE)]
        for t in branch_docs[: round(len(branch_docs) * share)]:
            body = _("%(b)s：%(t)s。按活动方案要求完成，特此上报。") % {"b": branch.name, "t": t.title}
            actor = users.get("secretary1") if i == 0 else users.get("staff")
            services.complete_task(t, branch, ContentFile(body.encode(), name=f"{t.title}.txt"), actor=actor, note="")
            made += 1
    return made


def _exchange_meeting(branch, members, today, actor) -> Meeting:
    """The branch's reading exchange of the current quarter (recorded if none exists)."""
    start, _end = rules.quarter_of(today)
    found = (
        Meeting.objects.active()
        .filter(unit=branch, kinds__code=BuiltinKind.READING_EXCHANGE, date__gte=start, date__lte=today)
        .order_by("-date")
        .first()
    )
    if found is not None:
        return found
    day = max(start, today - datetime.timedelta(days=3))
    roster = list(
        BranchMembership.objects.filter(unit=branch, start_on__lte=day, end_on__isnull=True)
        .select_related("member")
        .order_by("member__name")
    )
    people = [r.member for r in roster] or members
    return meeting_services.record_meeting(
        branch,
        {
            "date": day,
            "start_time": datetime.time(15, 0),
            "end_time": datetime.time(16, 30),
            "place": "三楼会议室",
            "topic": _("“学党章、强基础、作表率”读书心得交流会"),
            "theme_category": "party_building",
            "host": people[0],
            "recorder": people[1] if len(people) > 1 else people[0],
            "minutes": _("支部党员交流阅读本阶段书目的体会，支部书记作点评。"),
        },
        actor=actor,
        kinds=list(MeetingKind.objects.filter(code=BuiltinKind.READING_EXCHANGE)),
        attendance=[(m, "present", "") for m in people],
    )


def _seed_reflections(
    campaign, stages, books, branches, today, users
) -> tuple[list[ReadingReflection], Meeting | None]:
    rng = random.Random(SEED + today.year)
    members = _branch_members(branches)
    open_stages = [i for i, s in enumerate(stages) if s.start_on <= today]
    if not open_stages or not branches:
        return [], None
    current = open_stages[-1]
    made: list[ReadingReflection] = []
    used: set = set()
    # Three reflections per branch (fewer in the branches that lag), across the open stages.
    per_branch = (4, 3, 3, 2, 3)
    member1 = users.get("member1")
    for b, branch in enumerate(branches):
        people = [m for m in members.get(branch.pk, []) if m.user_id is None or m.user != member1]
        for k in range(min(per_branch[b % len(per_branch)], len(people))):
            stage_index = open_stages[(b + k) % len(open_stages)] if k else current
            member = people[(k * 3 + b) % len(people)]
            title = _("学习《%(book)s》的体会") % {"book": books[stage_index].title}
            text = reflection_text(rng, stage_index, books[stage_index].title, used)
            made.append(
                services.submit_reflection(
                    member,
                    {"stage": stages[stage_index], "book": books[stage_index], "title": title, "text": text},
                    actor=member.user or users.get("staff"),
                    today=today,
                )
            )
    # A near-copy: a member of the second branch hands in a lightly changed copy of a reflection
    # from the first branch.
    if len(branches) > 1 and made and members.get(branches[1].pk):
        source = made[0]
        copier = members[branches[1].pk][-1]
        made.append(
            services.submit_reflection(
                copier,
                {"stage": source.stage, "book": source.book, "title": _("读书体会"), "text": near_copy(source.text)},
                actor=copier.user or users.get("staff"),
                today=today,
            )
        )
    # The first branch's committee comments and chooses two for the quarter's exchange.
    reviewer = users.get("secretary1") or users.get("staff")
    first = [r for r in made if r.unit_id == branches[0].pk]
    for r in first[:3]:
        services.comment_reflection(r, _("联系工作实际，体会真切，请在交流会上分享。"), actor=reviewer)
    for r in first[:2]:
        services.select_reflection(r, actor=reviewer)
    for r in made[len(first) : len(first) + 2]:
        services.comment_reflection(
            r, _("内容较充实，建议再结合本职工作谈谈打算。"), actor=users.get("staff") or reviewer
        )
    meeting = _exchange_meeting(branches[0], members.get(branches[0].pk, []), today, reviewer)
    chosen = [r for r in first if r.status == ReflectionStatus.SELECTED] or first[:1]
    if chosen:
        services.link_reflections(meeting, chosen[:1] + list(meeting.reading_reflections.all()), actor=reviewer)
    return made, meeting


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("主题活动：演示组织尚未载入，未添加。")
    users = _users()
    actor = users.get("staff")
    with transaction.atomic():
        materials = _seed_materials(actor)
        if Campaign.objects.filter(unit=committee, name=CAMPAIGN_NAME).exists():
            if not materials:
                return _("主题活动：演示数据已存在，未重复添加。")
            return _("主题活动：演示活动已存在，补充学习资料%(m)s份。") % {"m": len(materials)}
        branches = list(
            Unit.objects.active().filter(kind=UnitKind.BRANCH, path__startswith=committee.path).order_by("path")
        )
        campaign, stages, books, tasks = _seed_campaign(committee, today, actor)
        documents = _report_documents(campaign, committee, branches, tasks, today, users)
        reflections, meeting = _seed_reflections(campaign, stages, books, branches, today, users)
    flagged = sum(1 for r in reflections if r.is_flagged)
    return _(
        "主题活动：“%(name)s”%(stages)s个阶段、%(tasks)s项任务、%(docs)s份上报材料、%(refl)s篇读书心得"
        "（%(flagged)s篇疑似雷同）、%(materials)s份学习资料%(exchange)s。"
    ) % {
        "name": campaign.name,
        "stages": len(stages),
        "tasks": len(tasks),
        "docs": documents,
        "refl": len(reflections),
        "flagged": flagged,
        "materials": len(materials),
        "exchange": _("，读书心得交流会已关联心得") if meeting is not None else "",
    }
