import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.audit import log_action, verify_chain
from common.models import AuditEntry
from organizations import services
from organizations.models import UnitKind
from tests import factories as f
from tests.helpers import log_branch_a_changes

LOG = "accounts:audit.list"


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("inspector", 200), ("secretary_a", 404), ("member_a", 404), ("secretary_b", 404)],
)
def test_the_log_is_for_staff_and_inspectors_only(personas, login, who, status):
    assert login(getattr(personas, who)).get(reverse(LOG)).status_code == status


def test_the_log_refuses_post(personas, login):
    assert login(personas.staff).post(reverse(LOG)).status_code == 405


def _actions(response):
    return [e.action for e in response.context["entries"]]


@pytest.fixture
def history(personas):
    """A few real actions by two users on two branches."""
    staff = personas.staff
    org = personas.org
    services.update_unit(org.branch_a, {"department": "综合科"}, actor=staff, version=1)
    services.create_unit(
        {
            "name": "第三党小组",
            "kind": UnitKind.PARTY_GROUP,
            "parent": org.branch_b,
            "founded_on": datetime.date(2021, 1, 1),
        },
        actor=staff,
    )
    log_action("members.member.revealed", actor=personas.secretary_a, obj=personas.members.other_a, unit=org.branch_a)
    return personas


def test_entries_show_readable_chinese_labels(history, login):
    text = login(history.staff).get(reverse(LOG)).content.decode()
    assert "修改组织信息" in text and "新建组织" in text and "对应部门：（空） → 综合科" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"app": "organizations"}, ["organizations.unit.created", "organizations.unit.changed"]),
        ({"action": "organizations.unit.cr"}, ["organizations.unit.created"]),
        ({"actor": "secretary_a"}, ["members.member.revealed"]),
        ({"q": "第三党小组"}, ["organizations.unit.created"]),
        ({"q": "第一党支部"}, ["members.member.revealed", "organizations.unit.changed"]),
    ],
)
def test_filters_narrow_the_log(history, login, query, expected):
    response = login(history.inspector).get(reverse(LOG), query)
    assert _actions(response) == expected


def test_date_filters_use_the_day_the_entry_was_written(history, login):
    today = timezone.localdate()
    client = login(history.staff)
    assert len(_actions(client.get(reverse(LOG), {"date_from": today, "date_to": today}))) == 3
    tomorrow = today + datetime.timedelta(days=1)
    assert _actions(client.get(reverse(LOG), {"date_from": tomorrow})) == []
    assert _actions(client.get(reverse(LOG), {"date_to": today - datetime.timedelta(days=1)})) == []


def test_a_reversed_date_range_names_the_field(history, login):
    response = login(history.staff).get(reverse(LOG), {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "结束日期：不能早于开始日期。" in response.content.decode()


def test_the_log_pages_by_fifty(personas, login):
    log_branch_a_changes(personas, 55, data=lambda i: {"i": i})
    client = login(personas.staff)
    first = client.get(reverse(LOG), {"app": "organizations"})
    assert len(first.context["entries"]) == 50 and first.context["page"].paginator.num_pages == 2
    second = client.get(reverse(LOG), {"app": "organizations", "page": 2})
    assert len(second.context["entries"]) == 5
    assert "app=organizations&amp;page=2" in first.content.decode()


def test_entries_outside_the_scope_are_left_out(personas, login):
    outside = f.CommitteeUnitFactory(name="外单位党委")
    log_action("organizations.unit.changed", actor=None, obj=outside, unit=outside)
    response = login(personas.staff).get(reverse(LOG))
    assert "外单位党委" not in {e.object_repr for e in response.context["entries"]}


@pytest.mark.parametrize("size", [10, 60])
def test_log_query_count_does_not_grow_with_entries(personas, login, django_assert_max_num_queries, size):
    log_branch_a_changes(personas, size, changes=lambda i: {"name": [str(i), str(i + 1)]})
    client = login(personas.inspector)
    with django_assert_max_num_queries(9):
        assert client.get(reverse(LOG)).status_code == 200


def test_the_chain_holds_after_several_actions_and_entries_refuse_change(history):
    assert AuditEntry.objects.count() == 3
    assert verify_chain() == []
    entry = AuditEntry.objects.order_by("id").first()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry.action = "organizations.unit.archived"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    assert AuditEntry.objects.count() == 3 and verify_chain() == []


# Tampering behind the model's back (the database triggers, then the hash chain): test_audit_tamper.py.


# ---------------------------------------------------------------- the client IP: audit administrator only

IP = "203.0.113.77"


@pytest.fixture
def entry_with_ip(personas):
    from common.context import current_ip

    token = current_ip.set(IP)
    try:
        log_branch_a_changes(personas, 1)
    finally:
        current_ip.reset(token)
    assert AuditEntry.objects.get().ip == IP
    return personas


def test_the_audit_administrator_sees_the_ip_in_the_log(entry_with_ip, admins, login):
    text = login(admins.auditadmin).get(reverse(LOG)).content.decode()
    assert "IP 地址" in text and IP in text


@pytest.mark.parametrize("who", ["staff", "inspector"])
def test_staff_and_inspectors_see_the_entry_without_the_ip(entry_with_ip, login, who):
    response = login(getattr(entry_with_ip, who)).get(reverse(LOG))
    text = response.content.decode()
    assert [e.action for e in response.context["entries"]] == ["organizations.unit.changed"]
    assert "修改组织信息" in text
    assert IP not in text and "IP 地址" not in text


@pytest.mark.parametrize("who", ["staff", "inspector", "secretary_a", "member_a"])
def test_the_change_log_tab_of_an_object_hides_the_ip(entry_with_ip, login, who):
    url = reverse("organizations:unit.detail", args=[entry_with_ip.org.branch_a.pk])
    text = login(getattr(entry_with_ip, who)).get(url, {"tab": "history"}).content.decode()
    assert "修改组织信息" in text
    assert IP not in text and "IP 地址" not in text


def test_the_change_log_tab_shows_the_ip_to_the_audit_administrator():
    """The audit administrator holds no business role, so object pages are closed to them; the
    shared tab template still shows the column to them, and to nobody else."""
    from django.template.loader import render_to_string

    entry = AuditEntry(action="organizations.unit.changed", ip=IP, data={})
    shown = render_to_string("accounts/_audit_history.html", {"entries": [entry], "is_auditadmin": True})
    hidden = render_to_string("accounts/_audit_history.html", {"entries": [entry], "is_auditadmin": False})
    assert IP in shown and "IP 地址" in shown
    assert IP not in hidden and "IP 地址" not in hidden
