"""Services: each asserts the state change and the audit entry."""

import datetime

import pytest

from common.concurrency import StaleEditError
from common.models import AuditEntry
from members import services
from members.models import BranchMembership, GroupMembership, Member
from members.services import MemberError
from members.tests.helpers import person
from tests import factories as f

pytestmark = pytest.mark.django_db


def last_entry(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


@pytest.fixture
def staff(personas):
    return personas.staff


# create_member ---------------------------------------------------------------------------------


def test_create_member_opens_memberships_and_logs(org, staff, member_data):
    member = services.create_member(org.branch_a, member_data(), actor=staff, group=org.group_a)
    assert member.name_initials == "zs"
    branch_row = member.branch_memberships.get()
    # Branch founded 2020-01-01 after joining 2010-07-01: membership starts at the founding.
    assert (branch_row.unit, branch_row.start_on, branch_row.end_on) == (org.branch_a, datetime.date(2020, 1, 1), None)
    assert member.group_memberships.get().unit == org.group_a
    entry = last_entry("members.member.created")
    assert entry.object_id == str(member.pk)
    assert entry.unit == org.branch_a
    assert entry.actor == staff
    assert entry.data["changes"]["name"] == [None, "张三"]
    # Personal data is masked in the log.
    assert entry.data["changes"]["id_number"][1] == "110105********" + member.id_number[-4:]
    assert entry.data["changes"]["phone"][1] == "139****5678"


def test_create_member_start_defaults_to_joining_when_later_than_founding(org, staff, member_data):
    member = services.create_member(
        org.branch_a,
        member_data(joined_on=datetime.date(2021, 5, 4), full_member_on=datetime.date(2022, 5, 4)),
        actor=staff,
    )
    assert member.branch_memberships.get().start_on == datetime.date(2021, 5, 4)


def test_it_refuses_a_duplicate_id_number_naming_the_field(org, staff, member_data):
    services.create_member(org.branch_a, member_data(), actor=staff)
    with pytest.raises(MemberError, match="公民身份号码已登记") as exc:
        services.create_member(org.branch_b, member_data(name="李四"), actor=staff)
    assert exc.value.field == "id_number"
    assert Member.objects.filter(name="李四").count() == 0


def test_it_refuses_a_bad_check_digit(org, staff, member_data):
    good = member_data()["id_number"]
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(MemberError, match="公民身份号码校验码不正确"):
        services.create_member(org.branch_a, member_data(id_number=bad), actor=staff)
    assert not AuditEntry.objects.filter(action="members.member.created").exists()


def test_it_refuses_a_birth_date_not_matching_the_id(org, staff, member_data):
    data = member_data()
    data["birth_date"] = datetime.date(1985, 3, 13)
    with pytest.raises(MemberError, match="出生日期.*不一致"):
        services.create_member(org.branch_a, data, actor=staff)


def test_it_refuses_a_full_member_date_before_joining(org, staff, member_data):
    with pytest.raises(MemberError, match="转正日期不能早于入党日期"):
        services.create_member(org.branch_a, member_data(full_member_on=datetime.date(2009, 1, 1)), actor=staff)


def test_it_refuses_a_group_of_another_branch(org, staff, member_data):
    with pytest.raises(MemberError, match="不属于党支部") as exc:
        services.create_member(org.branch_a, member_data(), actor=staff, group=org.group_b)
    assert exc.value.field == "group"
    assert not Member.objects.filter(name="张三").exists()


def test_it_refuses_a_dissolved_branch(org, staff, member_data):
    org.branch_b.dissolved_on = datetime.date(2022, 1, 1)
    org.branch_b.save()
    with pytest.raises(MemberError, match="已撤销"):
        services.create_member(org.branch_b, member_data(), actor=staff, start_on=datetime.date(2023, 1, 1))


def test_it_refuses_a_start_before_the_branch_was_founded(org, staff, member_data):
    with pytest.raises(MemberError, match="成立"):
        services.create_member(org.branch_a, member_data(), actor=staff, start_on=datetime.date(2015, 1, 1))


# update_member ---------------------------------------------------------------------------------


def test_update_member_saves_bumps_version_and_logs_old_and_new(org, staff):
    member = person(org.branch_a, name="张三", phone="13800000001")
    services.update_member(member, {"name": "李四", "phone": "13900000002"}, actor=staff, expected_version=1)
    member.refresh_from_db()
    assert (member.name, member.name_initials, member.version) == ("李四", "ls", 2)
    entry = last_entry("members.member.changed")
    assert entry.unit == org.branch_a
    assert entry.data["changes"]["name"] == ["张三", "李四"]
    assert entry.data["changes"]["phone"] == ["138****0001", "139****0002"]
    assert set(entry.data["changes"]) == {"name", "phone"}


def test_update_member_logs_an_id_change_even_when_the_masked_forms_are_equal(org, staff):
    from members.idnumbers import make_id_number

    old = make_id_number(datetime.date(1980, 1, 1), 5)
    # Another birth date whose number ends with the same four characters: masked, both look alike.
    day = datetime.date(1980, 1, 2)
    while make_id_number(day, 5)[-4:] != old[-4:]:
        day += datetime.timedelta(days=1)
    new = make_id_number(day, 5)
    member = person(org.branch_a, birth_date=datetime.date(1980, 1, 1), id_number=old)
    services.update_member(member, {"id_number": new, "birth_date": day}, actor=staff, expected_version=1)
    changes = last_entry("members.member.changed").data["changes"]
    assert changes["id_number"] == ["110105********" + old[-4:], "110105********" + new[-4:]]
    assert new not in str(changes)


def test_a_stale_edit_is_refused_lists_conflicts_and_overwrites_nothing(org, staff, personas):
    member = person(org.branch_a, name="张三", department="办公室")
    first = Member.objects.get(pk=member.pk)
    second = Member.objects.get(pk=member.pk)
    services.update_member(first, {"department": "财务科"}, actor=staff, expected_version=1)
    with pytest.raises(StaleEditError) as exc:
        services.update_member(
            second, {"department": "人事科", "post": "副科长"}, actor=personas.secretary_a, expected_version=1
        )
    labels = {label: (theirs, mine) for label, theirs, mine in exc.value.conflicts}
    assert labels["工作部门"] == ("财务科", "人事科")
    assert labels["职务"] == ("", "副科长")
    member.refresh_from_db()
    assert (member.department, member.post, member.version) == ("财务科", "", 2)
    assert AuditEntry.objects.filter(action="members.member.changed").count() == 1


def test_update_refuses_the_id_number_of_another_member(org, staff):
    a = person(org.branch_a)
    b = person(org.branch_a)
    with pytest.raises(MemberError, match="公民身份号码已登记"):
        services.update_member(
            a, {"id_number": b.id_number, "birth_date": b.birth_date}, actor=staff, expected_version=1
        )


def test_update_refuses_an_archived_member(org, staff):
    member = person(org.branch_a)
    services.archive_member(member, actor=staff)
    with pytest.raises(MemberError, match="已归档"):
        services.update_member(member, {"name": "新名"}, actor=staff, expected_version=member.version)


# transfer_member -------------------------------------------------------------------------------


def test_transfer_closes_the_open_row_opens_another_and_logs(org, staff):
    member = person(org.branch_a, group=org.group_a, start_on=datetime.date(2020, 3, 1))
    on = datetime.date(2023, 6, 1)
    services.transfer_member(member, org.branch_b, on=on, actor=staff, to_group=org.group_b)
    rows = list(member.branch_memberships.order_by("start_on").values_list("unit", "start_on", "end_on"))
    assert rows == [(org.branch_a.pk, datetime.date(2020, 3, 1), on), (org.branch_b.pk, on, None)]
    groups = list(member.group_memberships.order_by("start_on").values_list("unit", "end_on"))
    assert groups == [(org.group_a.pk, on), (org.group_b.pk, None)]
    entry = last_entry("members.member.transferred")
    assert entry.unit == org.branch_b
    assert (entry.data["from"], entry.data["to"], entry.data["on"]) == ("第一党支部", "第二党支部", "2023-06-01")


def test_transfer_history_answers_who_was_in_a_branch_on_a_date(org, staff):
    x = f.UnitFactory(parent=org.committee, name="甲支部")
    y = f.UnitFactory(parent=org.committee, name="乙支部")
    mover = person(x, name="转出者", start_on=datetime.date(2020, 1, 1))
    stayer = person(x, name="留守者", start_on=datetime.date(2020, 1, 1))
    newcomer = person(y, name="新来者", start_on=datetime.date(2021, 1, 1))
    services.transfer_member(mover, y, on=datetime.date(2023, 6, 1), actor=staff)
    assert set(services.members_on(x, datetime.date(2023, 5, 31))) == {mover, stayer}
    assert set(services.members_on(x, datetime.date(2023, 6, 1))) == {stayer}
    assert set(services.members_on(y, datetime.date(2023, 5, 31))) == {newcomer}
    assert set(services.members_on(y, datetime.date(2023, 6, 1))) == {newcomer, mover}
    assert set(services.members_on(y, datetime.date(2020, 12, 31))) == set()
    assert set(services.members_in_subtree_on(org.committee, datetime.date(2023, 6, 1))) >= {mover, stayer, newcomer}


def test_transfer_refuses_the_same_branch(org, staff):
    member = person(org.branch_a)
    with pytest.raises(MemberError, match="相同") as exc:
        services.transfer_member(member, org.branch_a, on=datetime.date(2023, 1, 1), actor=staff)
    assert exc.value.field == "to_branch"
    assert member.branch_memberships.count() == 1


def test_transfer_refuses_a_date_before_the_current_start(org, staff):
    member = person(org.branch_a, start_on=datetime.date(2022, 1, 1))
    with pytest.raises(MemberError, match="转接日期不能早于进入现党支部的日期（2022-01-01）"):
        services.transfer_member(member, org.branch_b, on=datetime.date(2021, 12, 31), actor=staff)
    assert BranchMembership.objects.get(member=member).end_on is None


def test_transfer_refuses_a_dissolved_or_archived_target(org, staff):
    member = person(org.branch_a)
    org.branch_b.dissolved_on = datetime.date(2022, 1, 1)
    org.branch_b.save()
    with pytest.raises(MemberError, match="已撤销"):
        services.transfer_member(member, org.branch_b, on=datetime.date(2023, 1, 1), actor=staff)
    archived = f.UnitFactory(parent=org.committee, archived_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(MemberError, match="已归档"):
        services.transfer_member(member, archived, on=datetime.date(2023, 1, 1), actor=staff)
    assert not AuditEntry.objects.filter(action="members.member.transferred").exists()


def test_transfer_refuses_a_future_date(org, staff):
    member = person(org.branch_a)
    with pytest.raises(MemberError, match="不能晚于今天"):
        services.transfer_member(member, org.branch_b, on=datetime.date(2999, 1, 1), actor=staff)


# groups ----------------------------------------------------------------------------------------


def test_assign_and_leave_group(org, staff):
    member = person(org.branch_a, start_on=datetime.date(2020, 1, 1))
    other_group = f.GroupFactory(parent=org.branch_a, name="第三党小组")
    services.assign_group(member, org.group_a, on=datetime.date(2021, 1, 1), actor=staff)
    services.assign_group(member, other_group, on=datetime.date(2022, 1, 1), actor=staff)
    rows = list(GroupMembership.objects.filter(member=member).order_by("start_on").values_list("unit", "end_on"))
    assert rows == [(org.group_a.pk, datetime.date(2022, 1, 1)), (other_group.pk, None)]
    assert last_entry("members.member.group_joined").data["from"] == "第一党小组"
    services.leave_group(member, on=datetime.date(2023, 1, 1), actor=staff)
    assert not GroupMembership.objects.filter(member=member, end_on__isnull=True).exists()
    assert last_entry("members.member.group_left").unit == org.branch_a


def test_assign_group_refuses_a_group_of_another_branch(org, staff):
    member = person(org.branch_a)
    with pytest.raises(MemberError, match="不属于党支部"):
        services.assign_group(member, org.group_b, on=datetime.date(2021, 1, 1), actor=staff)


# archive / restore -----------------------------------------------------------------------------


def test_archive_hides_from_current_lists_keeps_history_and_restore_brings_back(org, staff):
    member = person(org.branch_a)
    services.archive_member(member, actor=staff, reason="迁出本单位")
    member.refresh_from_db()
    assert member.is_archived
    assert member not in Member.objects.active()
    assert BranchMembership.objects.get(member=member).end_on is None  # nothing historic closed
    entry = last_entry("members.member.archived")
    assert (entry.data["reason"], entry.unit) == ("迁出本单位", org.branch_a)
    with pytest.raises(MemberError, match="已归档"):
        services.archive_member(member, actor=staff)

    services.restore_member(member, actor=staff)
    member.refresh_from_db()
    assert not member.is_archived
    assert member in Member.objects.active()
    assert last_entry("members.member.restored").object_id == str(member.pk)
    with pytest.raises(MemberError, match="未归档"):
        services.restore_member(member, actor=staff)


# reveal / export -------------------------------------------------------------------------------


def test_reveal_returns_the_value_and_logs_which_field(org, staff):
    member = person(org.branch_a)
    assert services.reveal_member_field(member, "id_number", actor=staff) == member.id_number
    entry = last_entry("members.member.revealed")
    assert (entry.data["field"], entry.actor, entry.unit) == ("id_number", staff, org.branch_a)
    assert member.id_number not in str(entry.data)


def test_reveal_refuses_other_fields(org, staff):
    member = person(org.branch_a)
    with pytest.raises(MemberError):
        services.reveal_member_field(member, "birth_date", actor=staff)
    assert not AuditEntry.objects.filter(action="members.member.revealed").exists()


def test_record_export_logs_count_and_fullness(org, staff):
    services.record_export(actor=staff, count=7, full=True, unit=org.branch_a)
    entry = last_entry("members.member.exported")
    assert (entry.data["count"], entry.data["full"], entry.unit) == (7, True, org.branch_a)


def test_audit_labels_are_registered():
    from common.logdisplay import action_label

    assert action_label("members.member.revealed") == "查看完整个人信息"
    assert action_label("members.member.transferred") == "转接组织关系"
