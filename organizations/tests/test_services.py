import datetime

import pytest

from common.concurrency import StaleEditError
from common.models import AuditEntry
from organizations import services
from organizations.models import Unit, UnitKind
from tests import factories as f

D = datetime.date


def entries(unit, action):
    return AuditEntry.objects.for_object(unit).filter(action=action)


@pytest.fixture
def staff(personas):
    return personas.staff


def test_it_creates_a_branch_with_the_default_term_and_an_audit_entry(org, staff):
    unit = services.create_unit(
        {"name": "第三党支部", "kind": UnitKind.BRANCH, "parent": org.committee, "founded_on": D(2021, 3, 1)},
        actor=staff,
    )
    assert unit.path == org.committee.path + f"{unit.pk:06d}/"
    assert unit.term_years == 3
    entry = entries(unit, "organizations.unit.created").get()
    assert entry.actor == staff and entry.unit == unit
    assert entry.data["changes"]["name"] == [None, "第三党支部"]
    assert entry.data["changes"]["parent"] == [None, "测试机关党委"]


def test_a_new_committee_defaults_to_five_year_terms(db, personas):
    unit = services.create_unit(
        {"name": "新机关党委", "kind": UnitKind.COMMITTEE, "parent": None, "founded_on": D(2021, 1, 1)},
        actor=personas.staff,
    )
    assert unit.term_years == 5 and unit.parent is None


@pytest.mark.parametrize(
    ("kind", "parent_attr", "message"),
    [
        (UnitKind.PARTY_GROUP, "committee", "上级：党小组不能设在机关党委“测试机关党委”之下。"),
        (UnitKind.BRANCH, "group_a", "上级：党支部不能设在党小组“第一党小组”之下。"),
        (UnitKind.GENERAL_BRANCH, None, "上级：党总支必须有上级组织。"),
    ],
)
def test_it_refuses_a_parent_of_a_kind_not_allowed(org, staff, kind, parent_attr, message):
    parent = getattr(org, parent_attr) if parent_attr else None
    with pytest.raises(services.UnitError) as exc:
        services.create_unit(
            {"name": "新组织", "kind": kind, "parent": parent, "founded_on": D(2021, 1, 1)}, actor=staff
        )
    assert str(exc.value) == message
    assert not Unit.objects.filter(name="新组织").exists()
    assert not AuditEntry.objects.filter(action="organizations.unit.created").exists()


def test_it_refuses_a_child_founded_before_its_parent(org, staff):
    with pytest.raises(services.UnitError, match="成立日期：不能早于上级“第一党支部”的成立日期 2020-01-01"):
        services.create_unit(
            {"name": "早小组", "kind": UnitKind.PARTY_GROUP, "parent": org.branch_a, "founded_on": D(2019, 12, 31)},
            actor=staff,
        )


def test_it_refuses_a_duplicate_name(org, staff):
    with pytest.raises(services.UnitError, match="名称：已有名为“第一党支部”的组织"):
        services.create_unit(
            {"name": " 第一党支部 ", "kind": UnitKind.BRANCH, "parent": org.committee, "founded_on": D(2021, 1, 1)},
            actor=staff,
        )


def test_it_refuses_a_child_of_a_dissolved_parent(org, staff):
    Unit.objects.filter(pk=org.branch_b.pk).update(dissolved_on=D(2023, 1, 1))
    org.branch_b.refresh_from_db()
    with pytest.raises(services.UnitError, match="上级：“第二党支部”已于 2023-01-01 撤销"):
        services.create_unit(
            {"name": "晚小组", "kind": UnitKind.PARTY_GROUP, "parent": org.branch_b, "founded_on": D(2024, 1, 1)},
            actor=staff,
        )


def test_update_records_old_and_new_values_and_bumps_the_version(org, staff):
    unit = org.branch_a
    services.update_unit(
        unit, {"name": "第一党支部（综合）", "term_years": 5, "department": "综合科"}, actor=staff, version=1
    )
    unit.refresh_from_db()
    assert (unit.name, unit.term_years, unit.department, unit.version) == ("第一党支部（综合）", 5, "综合科", 2)
    changes = entries(unit, "organizations.unit.changed").get().data["changes"]
    assert changes == {"name": ["第一党支部", "第一党支部（综合）"], "term_years": [3, 5], "department": ["", "综合科"]}


def test_update_from_a_stale_form_is_refused_and_overwrites_nothing(org, staff):
    services.update_unit(org.branch_a, {"name": "甲支部"}, actor=staff, version=1)
    stale = Unit.objects.get(pk=org.branch_a.pk)
    stale.version = 1
    with pytest.raises(StaleEditError) as exc:
        services.update_unit(stale, {"name": "乙名称"}, actor=staff, version=1)
    assert ("名称", "甲支部", "乙名称") in exc.value.conflicts
    assert Unit.objects.get(pk=org.branch_a.pk).name == "甲支部"
    assert entries(org.branch_a, "organizations.unit.changed").count() == 1


def test_update_refuses_a_founding_date_after_a_childs(org, staff):
    with pytest.raises(services.UnitError, match="成立日期：不能晚于下级组织最早的成立日期 2020-01-01"):
        services.update_unit(org.branch_a, {"founded_on": D(2021, 1, 1)}, actor=staff, version=1)


def test_dissolving_an_empty_branch_keeps_it_with_its_date(org, staff):
    branch = f.UnitFactory(name="第九党支部", parent=org.committee)
    services.dissolve_unit(branch, on=D(2024, 6, 30), actor=staff)
    branch.refresh_from_db()
    assert branch.dissolved_on == D(2024, 6, 30) and not branch.is_archived
    entry = entries(branch, "organizations.unit.dissolved").get()
    assert entry.data["changes"] == {"dissolved_on": [None, "2024-06-30"]}


def test_it_refuses_to_dissolve_a_branch_with_open_memberships(org, staff):
    branch = f.UnitFactory(name="第九党支部", parent=org.committee)
    f.member_in(branch)
    f.member_in(branch)
    with pytest.raises(services.UnitError, match="还有 2 名党员的组织关系在本支部"):
        services.dissolve_unit(branch, on=D(2024, 6, 30), actor=staff)
    branch.refresh_from_db()
    assert branch.dissolved_on is None
    assert not AuditEntry.objects.filter(action="organizations.unit.dissolved").exists()


def test_it_refuses_to_dissolve_a_unit_with_undissolved_children(org, staff):
    with pytest.raises(services.UnitError, match="还有 1 个下级组织未撤销"):
        services.dissolve_unit(org.branch_b, on=D(2024, 6, 30), actor=staff)


def test_it_refuses_a_dissolution_before_the_founding(org, staff):
    branch = f.UnitFactory(name="第九党支部", parent=org.committee, founded_on=D(2022, 1, 1))
    with pytest.raises(services.UnitError, match="撤销日期：不能早于成立日期 2022-01-01"):
        services.dissolve_unit(branch, on=D(2021, 12, 31), actor=staff)


def test_archive_and_restore_round_trip_with_audit(org, staff):
    branch = f.UnitFactory(name="误建支部", parent=org.committee)
    services.archive_unit(branch, actor=staff)
    assert Unit.objects.get(pk=branch.pk).is_archived
    assert branch not in Unit.objects.active()
    services.restore_unit(branch, actor=staff)
    assert not Unit.objects.get(pk=branch.pk).is_archived
    assert entries(branch, "organizations.unit.archived").count() == 1
    assert entries(branch, "organizations.unit.restored").count() == 1


def test_it_refuses_to_archive_a_unit_with_active_children(org, staff):
    with pytest.raises(services.UnitError, match="还有 1 个下级组织未归档"):
        services.archive_unit(org.branch_a, actor=staff)


def test_it_refuses_to_restore_below_an_archived_parent(org, staff):
    branch = f.UnitFactory(name="误建支部", parent=org.committee)
    group = f.GroupFactory(name="误建小组", parent=branch)
    services.archive_unit(group, actor=staff)
    services.archive_unit(branch, actor=staff)
    with pytest.raises(services.UnitError, match="上级“误建支部”已归档，请先恢复上级组织"):
        services.restore_unit(group, actor=staff)
