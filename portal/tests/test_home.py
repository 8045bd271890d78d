import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import CommitteeRole, RoleDuty, TermStatus
from members.models import MemberCategory
from tests import factories as f

HOME = "portal:home"


def grow(org, branches: int, prefix: str = ""):
    """``branches`` more branches, each with a party group, a full and a probationary member, a term."""
    for i in range(branches):
        branch = f.UnitFactory(name=f"扩展{prefix}第{i}党支部", parent=org.committee)
        group = f.GroupFactory(name=f"扩展{prefix}第{i}党小组", parent=branch)
        f.member_in(branch, group=group)
        f.member_in(branch, group=group, category=MemberCategory.PROBATIONARY, full_member_on=None)
        f.CommitteeTermFactory(unit=branch, number=1, status=TermStatus.CURRENT)


@pytest.mark.parametrize("who", ["staff", "inspector", "secretary_a", "member_a", "secretary_b"])
def test_home_answers_every_persona_and_refuses_post(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(reverse(HOME)).status_code == 200
    assert client.post(reverse(HOME)).status_code == 405


def test_staff_sees_committee_counts_and_every_branch(personas, login):
    f.member_in(personas.org.branch_b, category=MemberCategory.PROBATIONARY, full_member_on=None)
    overview = login(personas.staff).get(reverse(HOME)).context["overview"]
    assert overview["branch_count"] == 2 and overview["group_count"] == 2
    assert (overview["members"].full, overview["members"].probationary) == (5, 1)
    rows = {b.name: (b.member_count.full, b.member_count.probationary, b.term.number) for b in overview["branches"]}
    assert rows == {"第一党支部": (3, 0, 1), "第二党支部": (2, 1, 1)}


def test_inspector_sees_the_same_overview(personas, login):
    response = login(personas.inspector).get(reverse(HOME))
    assert response.context["overview"]["branch_count"] == 2


def test_staff_home_lists_expired_terms_and_branches_without_a_committee(personas, login):
    term = personas.terms.b
    term.elected_on = datetime.date(2020, 1, 1)
    term.save()
    f.UnitFactory(name="新建党支部", parent=personas.org.committee)
    response = login(personas.staff).get(reverse(HOME))
    overview = response.context["overview"]
    assert [(t.pk, status) for t, status in overview["reminders"]] == [(term.pk, "expired")]
    assert [b.name for b in overview["missing_terms"]] == ["新建党支部"]
    text = response.content.decode()
    assert "换届提醒" in text and "已到期" in text and "无现任支委会" in text


def test_secretary_sees_only_their_own_branch(personas, login):
    response = login(personas.secretary_a).get(reverse(HOME))
    assert "overview" not in response.context
    summaries = response.context["summaries"]
    assert [s["unit"].name for s in summaries] == ["第一党支部"]
    assert summaries[0]["unit"].member_count.total == 3
    assert [g.name for g in summaries[0]["groups"]] == ["第一党小组"]
    assert "第二党支部" not in response.content.decode()


def test_secretary_sees_the_reminder_of_their_own_term_only(personas, login):
    for term in (personas.terms.a, personas.terms.b):
        term.elected_on = datetime.date(2020, 1, 1)
        term.save()
    summary = login(personas.secretary_a).get(reverse(HOME)).context["summaries"][0]
    assert [t.pk for t, _ in summary["reminders"]] == [personas.terms.a.pk]


def test_member_sees_profile_branch_and_the_duties_of_their_roles(personas, login):
    RoleDuty.objects.update_or_create(role=CommitteeRole.ORGANIZATION, defaults={"text": "负责组织发展\n管理党员"})
    f.TermMemberFactory(term=personas.terms.a, member=personas.members.member_a, role=CommitteeRole.ORGANIZATION)
    response = login(personas.member_a).get(reverse(HOME))
    me = response.context["me"]
    assert me["member"] == personas.members.member_a and me["branch"] == personas.org.branch_a
    text = response.content.decode()
    assert reverse("members:member.detail", args=[personas.members.member_a.pk]) in text
    assert "组织委员" in text and "负责组织发展" in text and "管理党员" in text
    assert response.context["summaries"] == []


def test_a_user_without_grants_is_told_to_ask_for_access(db, login):
    response = login(f.UserFactory(username="nobody")).get(reverse(HOME))
    assert "尚未分配角色" in response.content.decode()


@pytest.mark.parametrize("who", ["staff", "secretary_a"])
def test_dashboard_query_count_does_not_grow_with_branches(personas, login, who):
    """Same number of queries with 3 and with 15 more branches (and a sane ceiling)."""
    client = login(getattr(personas, who))
    client.get(reverse(HOME))  # the first page after login fills session caches
    counts = []
    for added in (3, 12):
        grow(personas.org, added, prefix=str(added))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(HOME))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # For staff the new branches are judged in these requests (the kept standings); once kept,
    # the committee section only reads them.
    assert counts[1] <= 34, counts
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(HOME))
    # The secretary's own table: compliance_table reads the 年度 deadlines and, as of a day inside
    # the year, the meetings after it (issue 12), two queries more than before.
    assert len(queries) <= 27, len(queries)
    if who == "staff":
        assert response.context["overview"]["branch_count"] == 2 + 15
    else:
        assert len(response.context["summaries"]) == 1
