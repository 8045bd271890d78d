"""factory_boy factories for every model the apps share. No large fixtures."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from accounts.models import Role, RoleGrant
from committees.models import CommitteeRole, CommitteeTerm, TermMember, TermStatus
from committees.rules import add_years
from members.idnumbers import make_id_number
from members.models import BranchMembership, GroupMembership, Member, MemberCategory
from organizations.models import Unit, UnitKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Zhibu#2026")
    is_active = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = UnitKind.BRANCH
    founded_on = datetime.date(2020, 1, 1)
    term_years = 3


class CommitteeUnitFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"机关党委{n}")
    kind = UnitKind.COMMITTEE
    term_years = 5


class GroupFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"第{n}党小组")
    kind = UnitKind.PARTY_GROUP


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _name(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n // 3) % len(_GIVEN)] + _GIVEN[(n * 7) % len(_GIVEN)]


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(_name)
    name_initials = factory.LazyAttribute(lambda o: "".join(lazy_pinyin(o.name, style=Style.FIRST_LETTER)))
    gender = "male"
    birth_date = factory.Sequence(lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=97 * (n % 150)))
    # The 17th digit is odd for men and even for women (GB 11643).
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(o.birth_date, (2 * n + (1 if o.gender == "male" else 0)) % 1000)
    )
    category = MemberCategory.FULL
    joined_on = datetime.date(2005, 7, 1)
    full_member_on = datetime.date(2006, 7, 1)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    department = "办公室"


class _MembershipFactory(factory.django.DjangoModelFactory):
    """A member's membership of a unit since 2020-01-01 (a branch or a party group)."""

    class Meta:
        abstract = True

    member = factory.SubFactory(MemberFactory)
    start_on = datetime.date(2020, 1, 1)


class BranchMembershipFactory(_MembershipFactory):
    class Meta:
        model = BranchMembership

    unit = factory.SubFactory(UnitFactory)


class GroupMembershipFactory(_MembershipFactory):
    class Meta:
        model = GroupMembership

    unit = factory.SubFactory(GroupFactory)


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.MEMBER


class CommitteeTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeTerm

    unit = factory.SubFactory(UnitFactory)
    number = factory.Sequence(lambda n: n + 1)
    # In the middle of its term on the suite's (frozen) today, whatever day that is: elected four
    # years ago for five, a year before the renewal window opens. Its seats cover the fixed past
    # dates the tests record meetings on (2025 and most of 2024) for any today up to early 2029.
    # A test about expiry or renewal gives its term explicit dates.
    elected_on = factory.LazyFunction(lambda: add_years(timezone.localdate(), -4))
    term_years = 5


class TermMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermMember

    term = factory.SubFactory(CommitteeTermFactory)
    member = factory.SubFactory(MemberFactory)
    role = CommitteeRole.MEMBER


def member_in(branch, *, user=None, group=None, start_on=datetime.date(2020, 1, 1), **kwargs) -> Member:
    """A member with an open membership of ``branch`` (and ``group`` if given)."""
    member = MemberFactory(user=user, **kwargs)
    BranchMembershipFactory(member=member, unit=branch, start_on=start_on)
    if group is not None:
        GroupMembershipFactory(member=member, unit=group, start_on=start_on)
    return member


def secretary_in(branch, *, term=None, **kwargs) -> Member:
    """A member of ``branch`` (``kwargs`` as for member_in) who holds the secretary's seat of the
    branch's current committee (``term``: fields of that term)."""
    secretary = member_in(branch, **kwargs)
    current = CommitteeTermFactory(unit=branch, status=TermStatus.CURRENT, **(term or {}))
    TermMemberFactory(term=current, member=secretary, role=CommitteeRole.SECRETARY)
    return secretary


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "committees.Approval"

    term = factory.SubFactory(CommitteeTermFactory, status="current")
    doc_number = factory.Sequence(lambda n: f"机党发〔2024〕{n + 1}号")
    approved_on = factory.LazyAttribute(lambda o: o.term.elected_on + datetime.timedelta(days=14))


def _now():
    return timezone.now()


class MeetingFactory(factory.django.DjangoModelFactory):
    """A bare meeting row (no validation). For a checked record use meetings.services.record_meeting."""

    class Meta:
        model = "meetings.Meeting"
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    date = datetime.date(2025, 3, 10)
    start_time = datetime.time(14, 30)
    end_time = datetime.time(16, 0)
    place = "三楼会议室"
    topic = factory.Sequence(lambda n: f"学习党章第{n + 1}次")
    theme_category = "party_building"
    entered_at = factory.LazyFunction(_now)

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        """``kinds=["theme_day", ...]`` (codes or MeetingKind rows). The kept monthly counts
        are recounted, as ``meetings.services`` does for a real record."""
        if not create or not extracted:
            return
        from meetings import counts
        from meetings.models import MeetingKind

        codes = [k for k in extracted if isinstance(k, str)]
        rows = [k for k in extracted if not isinstance(k, str)]
        self.kinds.set(rows + list(MeetingKind.objects.filter(code__in=codes)))
        counts.refresh([self.unit_id], [self.date.year])


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory)
    status = "present"
    absence_reason = ""


def seat_committees(personas):
    """Give branches A and B of the personas a 支部委员会 of three (secretary, organisation,
    publicity): a branch whose term has only a secretary holds no 支委会 (docs/rules.md), so
    tests that judge 支委会 cells need one."""
    from committees.models import CommitteeRole

    m = personas.members
    for term, organizer, publicity in (
        (personas.terms.a, m.member_a, m.other_a),
        (personas.terms.b, m.other_b, MemberFactory(name="乙委员")),
    ):
        TermMemberFactory(term=term, member=organizer, role=CommitteeRole.ORGANIZATION)
        TermMemberFactory(term=term, member=publicity, role=CommitteeRole.PUBLICITY)
    return personas
