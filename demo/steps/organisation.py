"""The demo organisation from the seed: a 管委会机关党委 and the five branches it set up in 2020.

``build_plan(today)`` decides everything (units, ~80 members, committee terms, logins) as plain
data with a seeded ``random.Random``, so the same day always gives the same organisation and the
plan is testable without a database. ``seed_demo()`` writes the plan in one transaction through the
services of organizations, members, committees and accounts (each change passes the same checks as
one made in the forms and carries its own audit entry), then logs one ``common.demo.seeded``
entry; it does nothing when the demo committee already exists, so ``make run`` can call it every
time.

The meetings (from January of last year up to today) are a step of their own (``demo.steps.meetings``), so that a
database seeded before the meetings existed gets them on the next ``seed_demo``.

Dates that drive the 换届提醒 are relative to today: the first branch's term is within 90 days of
its expiry, the second branch was newly elected this year.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Role
from committees import services as committee_services
from committees.models import CommitteeRole
from common.audit import log_action
from demo.registry import Loaded
from members import services as member_services
from members.idnumbers import make_id_number
from members.models import Education, Gender, Member, MemberCategory
from organizations import services as unit_services
from organizations.models import Unit, UnitKind

COMMITTEE_NAME = "管委会机关党委"
# Shared by every demo login and printed by ``demo_logins``: for the demo only, never production.
DEMO_PASSWORD = "demo-2026!"
SEED = 2020

COMMITTEE_FOUNDED = datetime.date(2020, 3, 16)
BRANCHES_FOUNDED = datetime.date(2020, 4, 20)
# The first elections of the newly set-up branches; the committee approved all five (seed, opening).
FIRST_ELECTION = datetime.date(2020, 5, 12)
BRANCH_TERM_YEARS = 3
COMMITTEE_TERM_YEARS = 5
APPROVAL_DELAY_DAYS = 9

SEC = CommitteeRole.SECRETARY
DEP = CommitteeRole.DEPUTY_SECRETARY
ORG = CommitteeRole.ORGANIZATION
PUB = CommitteeRole.PUBLICITY
DIS = CommitteeRole.DISCIPLINE


@dataclass(frozen=True)
class BranchSpec:
    name: str
    groups: tuple[tuple[str, str], ...]  # (party group name, department)
    size: int
    probationary: int
    seats: tuple[str, ...]  # roles of the current committee, in seat order
    early_seats: tuple[str, ...]  # roles of earlier terms
    elected_days_ago: Callable[[datetime.date], int]  # today -> days since the current election


def _near_expiry(today: datetime.date) -> int:
    # Elected three years ago less 50 days: the term expires in 50 days (换届提醒).
    return (today - _add_years(today, -BRANCH_TERM_YEARS)).days - 50


def _this_year(today: datetime.date) -> int:
    # Newly elected this year: up to 40 days ago, never before 1 January.
    return min(40, today.timetuple().tm_yday - 1)


BRANCH_SPECS = (
    BranchSpec(
        "机关第一党支部",
        (("综合办公室党小组", "综合办公室"), ("党群工作部党小组", "党群工作部"), ("纪检监察室党小组", "纪检监察室")),
        20,
        2,
        (SEC, DEP, ORG, PUB, DIS),
        (SEC, ORG, PUB, DIS),
        _near_expiry,
    ),
    BranchSpec(
        "机关第二党支部",
        (("规划建设局党小组", "规划建设局"), ("自然资源局党小组", "自然资源局")),
        19,
        2,
        (SEC, DEP, ORG, PUB, DIS),
        (SEC, ORG, PUB),
        _this_year,
    ),
    BranchSpec(
        "机关第三党支部",
        (("经济发展局党小组", "经济发展局"), ("招商服务局党小组", "招商服务局")),
        18,
        2,
        (SEC, ORG, PUB, DIS),
        (SEC, ORG, PUB, DIS),
        lambda today: 400,
    ),
    BranchSpec(
        "机关第四党支部",
        (("财政局党小组", "财政局"), ("审计室党小组", "审计室")),
        16,
        1,
        (SEC, ORG, PUB),
        (SEC, ORG, PUB),
        lambda today: 760,
    ),
    # Fewer than 7 正式党员: no committee, a secretary and a deputy (支部工作条例 第八条).
    BranchSpec(
        "机关第五党支部",
        (("社会事业局党小组", "社会事业局"), ("文化体育局党小组", "文化体育局")),
        7,
        1,
        (SEC, DEP),
        (SEC,),
        lambda today: 200,
    ),
)

# One demo login per role: (role, username). Grants and linked members are decided in build_plan.
LOGINS = (
    (Role.COMMITTEE_STAFF, "staff"),
    (Role.INSPECTOR, "inspector"),
    (Role.SECRETARY, "secretary1"),
    (Role.COMMITTEE_MEMBER, "committee1"),
    (Role.GROUP_LEADER, "leader1"),
    (Role.MEMBER, "member1"),
)

_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵赵吴周周徐孙马马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
)
_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国文博志晨阳亮成康"
_FEMALE = "芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪慧颖佳倩婷琪洁晶欣悦蕾璐瑶丹璇蓉岚薇怡"
_REGIONS = ("610100", "610100", "610200", "610300", "610323", "610324", "610326", "610327")
_ETHNICITIES = ("回族", "满族", "蒙古族")
_PHONE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "180", "186", "189")
_BUREAU_POSTS = ("科长", "副科长", "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "科员")
_JUNIOR_POSTS = ("一级科员", "科员", "四级主任科员")
_OFFICE_POSTS = ("副主任", "一级主任科员", "二级主任科员", "四级主任科员", "一级科员", "科员")


@dataclass
class MemberPlan:
    key: int
    name: str
    gender: str
    ethnicity: str
    birth_date: datetime.date
    id_number: str
    education: str
    category: str
    joined_on: datetime.date
    full_member_on: datetime.date | None
    phone: str
    department: str
    post: str
    is_leading_cadre: bool
    branch: int
    group: int
    start_on: datetime.date  # entered the branch (and the group)


@dataclass
class TermPlan:
    branch: int
    number: int
    elected_on: datetime.date
    ended_on: datetime.date | None
    seats: list[tuple[int, str]]  # (member key, role)
    doc_number: str = ""
    approved_on: datetime.date | None = None

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


@dataclass
class Plan:
    today: datetime.date
    members: list[MemberPlan] = field(default_factory=list)
    terms: list[TermPlan] = field(default_factory=list)
    staff_names: tuple[str, str] = ("", "")
    # username -> member key (staff and inspector are not linked to a member)
    linked: dict[str, int] = field(default_factory=dict)
    leader_group: tuple[int, int] = (0, 0)  # (branch index, group index) of leader1's grant


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Names:
    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self, gender: str) -> str:
        chars = _MALE if gender == Gender.MALE else _FEMALE
        while True:
            given = self.rng.choice(chars)
            if self.rng.random() < 0.7:
                given += self.rng.choice(chars)
            name = self.rng.choice(_SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def _election_dates(spec: BranchSpec, today: datetime.date) -> list[datetime.date]:
    """Every election of the branch, oldest first: regular three-year terms from the first
    election, then the current one (the term before it ended early or late, as happens)."""
    current = today - datetime.timedelta(days=spec.elected_days_ago(today))
    current = max(current, FIRST_ELECTION)
    dates, day = [], FIRST_ELECTION
    while day <= _add_years(current, -1):
        dates.append(day)
        day = _add_years(day, BRANCH_TERM_YEARS)
    return [*dates, current]


def _member(rng, names, key, *, branch, group, department, rank, probationary, today, transfer, used_ids):
    """One member; ``rank`` 0 heads the department, 1 is the deputy head, the rest are staff."""
    gender = Gender.FEMALE if rng.random() < 0.42 else Gender.MALE
    leading = rank < 2 and not probationary
    if probationary:
        birth = _random_date(rng, datetime.date(1994, 1, 1), datetime.date(2002, 6, 30))
        joined = today - datetime.timedelta(days=rng.randint(30, 330))
        full = None
    else:
        oldest, youngest = (1966, 1982) if leading else (1968, 1997)
        birth = _random_date(rng, datetime.date(oldest, 1, 1), datetime.date(youngest, 12, 31))
        joined = _random_date(rng, _add_years(birth, 19), _add_years(birth, 32))
        joined = max(min(joined, today - datetime.timedelta(days=800)), _add_years(birth, 18))
        # One year of probation; the branch meeting that confirms it falls a little later.
        full = _add_years(joined, 1) + datetime.timedelta(days=rng.randint(0, 20))
    if transfer and not probationary:
        # Transferred in from outside the organ after the branch was set up.
        start = max(full, _random_date(rng, datetime.date(2021, 3, 1), today - datetime.timedelta(days=90)))
    else:
        start = max(BRANCHES_FOUNDED, joined)

    office = department.endswith(("办公室", "室", "部"))
    if leading:
        post = ("主任", "副主任")[rank] if office else ("局长", "副局长")[rank]
    elif birth.year >= 1992:
        post = rng.choice(_JUNIOR_POSTS)
    else:
        post = rng.choice(_OFFICE_POSTS if office else _BUREAU_POSTS)

    # The 17th digit is odd for men and even for women (GB 11643).
    seq = rng.randint(1, 98) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == Gender.MALE else (0, 2, 4, 6, 8))
    region = rng.choice(_REGIONS)
    id_number = make_id_number(birth, seq, region)
    while id_number in used_ids:  # same birth date, place and sequence drawn twice
        seq = (seq + 10) % 1000
        id_number = make_id_number(birth, seq, region)
    used_ids.add(id_number)
    ethnicity = rng.choice(_ETHNICITIES) if rng.random() < 0.08 else "汉族"
    education = rng.choices(
        (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE),
        weights=(3, 6, 1) if not probationary else (4, 6, 0),
    )[0]
    return MemberPlan(
        key=key,
        name=names(gender),
        gender=gender,
        ethnicity=ethnicity,
        birth_date=birth,
        id_number=id_number,
        education=education,
        category=MemberCategory.PROBATIONARY if probationary else MemberCategory.FULL,
        joined_on=joined,
        full_member_on=full,
        phone=rng.choice(_PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
        department=department,
        post=post,
        is_leading_cadre=leading,
        branch=branch,
        group=group,
        start_on=start,
    )


def build_plan(today: datetime.date) -> Plan:
    """The whole demo organisation as plain data; the same ``today`` always gives the same plan."""
    rng = random.Random(SEED)
    names = _Names(rng)
    plan = Plan(today=today)
    used_ids: set[str] = set()
    for b, spec in enumerate(BRANCH_SPECS):
        branch_members: list[MemberPlan] = []
        for i in range(spec.size):
            g = i % len(spec.groups)
            m = _member(
                rng,
                names,
                len(plan.members),
                branch=b,
                group=g,
                department=spec.groups[g][1],
                rank=i // len(spec.groups),
                probationary=i >= spec.size - spec.probationary,
                # The last full member of a larger branch came in later (no seat in older terms).
                transfer=spec.size >= 15 and i == spec.size - spec.probationary - 1,
                today=today,
                used_ids=used_ids,
            )
            plan.members.append(m)
            branch_members.append(m)

        # Seat holders: full members who were in the branch from its founding, heads first, so
        # the secretary and committee members also lead their departments' groups (一岗双责).
        veterans = [m for m in branch_members if m.full_member_on and m.start_on <= FIRST_ELECTION]
        dates = _election_dates(spec, today)
        for n, elected in enumerate(dates, start=1):
            is_current = n == len(dates)
            roles = spec.seats if is_current else spec.early_seats
            shift = len(dates) - n  # older terms: the seats rotate down the list
            holders = veterans[shift : shift + len(roles)]
            plan.terms.append(
                TermPlan(
                    branch=b,
                    number=n,
                    elected_on=elected,
                    ended_on=None if is_current else dates[n],
                    seats=[(m.key, role) for m, role in zip(holders, roles, strict=True)],
                    approved_on=min(elected + datetime.timedelta(days=APPROVAL_DELAY_DAYS), today),
                )
            )

    # 批复 numbers run through each year in the order of approval.
    per_year: dict[int, int] = {}
    for term in sorted(plan.terms, key=lambda t: (t.approved_on, t.branch)):
        year = term.approved_on.year
        per_year[year] = per_year.get(year, 0) + 1
        term.doc_number = f"管机党批〔{year}〕{per_year[year]}号"

    plan.staff_names = (names(Gender.FEMALE), names(Gender.MALE))

    current_1 = next(t for t in plan.terms if t.branch == 0 and t.is_current)
    seat = {role: key for key, role in current_1.seats}
    plan.linked = {"secretary1": seat[SEC], "committee1": seat[ORG], "leader1": seat[PUB]}
    leader = plan.members[seat[PUB]]
    plan.leader_group = (0, leader.group)
    seated = {key for key, _role in current_1.seats}
    plain = next(m for m in plan.members if m.branch == 0 and m.key not in seated and m.full_member_on)
    plan.linked["member1"] = plain.key
    return plan


def demo_committee():
    return Unit.objects.filter(name=COMMITTEE_NAME, kind=UnitKind.COMMITTEE).first()


class DemoError(ValueError):
    """Why the demo cannot be loaded, in Chinese."""


def step(today: datetime.date):
    """The organisation step of ``seed_demo``: load it once, say what was done."""
    committee = seed_demo(today=today)
    if committee is None:
        return _("演示数据已存在（%(name)s），未做改动。") % {"name": COMMITTEE_NAME}
    return Loaded(
        _("已载入演示数据：%(name)s，党支部 %(branches)d 个，党员 %(members)d 名。")
        % {"name": committee.name, "branches": committee.children.count(), "members": demo_member_count(committee)}
    )


def seed_demo(*, today: datetime.date | None = None):
    """Load the demo organisation; return the committee, or None when it already exists."""
    if demo_committee() is not None:
        return None
    User = get_user_model()
    taken = sorted(User.objects.filter(username__in=[u for _r, u in LOGINS]).values_list("username", flat=True))
    if taken:
        raise DemoError(_("用户名 %(names)s 已被占用，未载入演示数据。") % {"names": "、".join(taken)})
    plan = build_plan(today or timezone.localdate())
    with transaction.atomic():
        return _write(plan)


def _write(plan: Plan) -> Unit:
    """Write the plan through the apps' services, as the committee's staff would enter it.

    The logins come first (the staff login is the actor of everything else). They are made
    directly: ``accounts.services.create_account`` issues a random password that must be changed,
    and the demo's logins share one published password. Linking a login to its member has no
    service either."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # one hash: the password is shared and published
    staff_name, inspector_name = plan.staff_names
    first_names = {"staff": staff_name, "inspector": inspector_name}
    first_names.update({username: plan.members[key].name for username, key in plan.linked.items()})
    users = {
        username: User.objects.create(
            username=username, password=password, is_active=True, first_name=first_names[username]
        )
        for _role, username in LOGINS
    }
    staff = users["staff"]

    committee = unit_services.create_unit(
        {
            "name": COMMITTEE_NAME,
            "kind": UnitKind.COMMITTEE,
            "parent": None,
            "founded_on": COMMITTEE_FOUNDED,
            "term_years": COMMITTEE_TERM_YEARS,
        },
        actor=staff,
    )
    branches, groups = [], []
    for b, spec in enumerate(BRANCH_SPECS):
        branch = unit_services.create_unit(
            {
                "name": spec.name,
                "kind": UnitKind.BRANCH,
                "parent": committee,
                "founded_on": BRANCHES_FOUNDED,
                "term_years": BRANCH_TERM_YEARS,
                "sort_order": b + 1,
            },
            actor=staff,
        )
        branches.append(branch)
        groups.append(
            [
                unit_services.create_unit(
                    {
                        "name": name,
                        "kind": UnitKind.PARTY_GROUP,
                        "parent": branch,
                        "founded_on": BRANCHES_FOUNDED,
                        "department": department,
                        "sort_order": g + 1,
                    },
                    actor=staff,
                )
                for g, (name, department) in enumerate(spec.groups)
            ]
        )

    members = [
        member_services.create_member(
            branches[m.branch],
            {
                "name": m.name,
                "gender": m.gender,
                "ethnicity": m.ethnicity,
                "birth_date": m.birth_date,
                "id_number": m.id_number,
                "education": m.education,
                "category": m.category,
                "joined_on": m.joined_on,
                "full_member_on": m.full_member_on,
                "phone": m.phone,
                "department": m.department,
                "post": m.post,
                "is_leading_cadre": m.is_leading_cadre,
            },
            actor=staff,
            group=groups[m.branch][m.group],
            start_on=m.start_on,
        )
        for m in plan.members
    ]

    # Oldest first in each branch: approving a term ends the one before it on its election day.
    for t in sorted(plan.terms, key=lambda t: (t.branch, t.number)):
        seats = [(members[key], role) for key, role in t.seats]
        term = committee_services.create_term(
            branches[t.branch], {"elected_on": t.elected_on, "term_years": BRANCH_TERM_YEARS}, seats, actor=staff
        )
        committee_services.submit_term(term, actor=staff)
        committee_services.approve_term(term, doc_number=t.doc_number, approved_on=t.approved_on, actor=staff)

    units = {
        "staff": (committee, Role.COMMITTEE_STAFF),
        "inspector": (committee, Role.INSPECTOR),
        "secretary1": (branches[0], Role.SECRETARY),
        "committee1": (branches[0], Role.COMMITTEE_MEMBER),
        "leader1": (groups[plan.leader_group[0]][plan.leader_group[1]], Role.GROUP_LEADER),
        "member1": (branches[0], Role.MEMBER),
    }
    for username, key in plan.linked.items():
        member = members[key]
        member.user = users[username]
        member.save(update_fields=["user"])
    for _role, username in LOGINS:
        unit, role = units[username]
        account_services.grant_role(users[username], role, unit, actor=staff)

    log_action(
        "common.demo.seeded",
        actor=None,
        obj=committee,
        unit=committee,
        data={
            "branches": len(branches),
            "party_groups": sum(len(g) for g in groups),
            "members": len(members),
            "terms": len(plan.terms),
            "users": [username for _role, username in LOGINS],
        },
    )
    return committee


def demo_member_count(committee: Unit) -> int:
    return Member.objects.current_in_subtree(committee).count()


def demo_logins() -> list[tuple[str, str, str]]:
    """``(role label with code, username, password)`` for each demo login that exists."""
    User = get_user_model()
    present = set(
        User.objects.filter(username__in=[u for _r, u in LOGINS], is_active=True).values_list("username", flat=True)
    )
    return [
        (f"{Role(role).label}({role.value})", username, DEMO_PASSWORD)
        for role, username in LOGINS
        if username in present
    ]
