"""Planning pages: every view by persona (allowed / 403 / 404 / 405), forms, feed, query counts."""

import datetime

import pytest
from django.urls import reverse

from common.models import AuditEntry
from meetings import planning
from meetings.models import MeetingKind, MeetingPlan
from meetings.tests import access_planning
from tests import factories as f
from tests import matrix


def url_for(name, target, personas):
    return matrix.url_for(name, target, personas, access_planning.target_kwargs)


@pytest.mark.parametrize(("name", "persona"), matrix.cases(access_planning.MATRIX))
def test_each_page_answers_each_persona_as_the_policy_says(name, persona, personas, login):
    method, expected, target = access_planning.MATRIX[name]
    client = login(getattr(personas, persona))
    url = url_for(name, target, personas)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code in matrix.allowed(expected[persona])


@pytest.mark.parametrize("name", list(access_planning.MATRIX))
def test_each_page_refuses_the_wrong_method_with_405(name, personas, login):
    method, _expected, target = access_planning.MATRIX[name]
    # Forms take GET and POST, so DELETE is their wrong method; pages take GET only, actions POST only.
    instead_of_get = "delete" if name in FORM_PAGES else "post"
    response = matrix.wrong_method(login(personas.staff), method, url_for(name, target, personas), instead_of_get)
    assert response.status_code == 405


FORM_PAGES = {"meetings:plan.create", "meetings:plan.edit"}


def kind(code):
    return MeetingKind.objects.get(code=code)


def plan_theme_day(personas, unit, planned_on, **fields):
    """A theme day of ``unit`` planned by committee staff."""
    return planning.plan_meeting(
        unit, {"planned_on": planned_on, **fields}, actor=personas.staff, kinds=[kind("theme_day")]
    )


def test_the_secretary_plans_a_meeting_from_the_form(personas, login):
    client = login(personas.secretary_a)
    branch = personas.org.branch_a
    response = client.post(
        reverse("meetings:plan.create", kwargs={"pk": branch.pk}),
        {"planned_on": "2025-03-12", "kinds": [kind("theme_day").pk], "topic": "学党章"},
    )
    assert response.status_code == 302
    plan = MeetingPlan.objects.get(unit=branch)
    assert plan.topic == "学党章"
    assert AuditEntry.objects.filter(action="meetings.plan.created", object_id=str(plan.pk)).exists()


def test_the_form_keeps_the_input_and_names_the_field_when_refused(personas, login):
    client = login(personas.secretary_a)
    response = client.post(
        reverse("meetings:plan.create", kwargs={"pk": personas.org.branch_a.pk}),
        {"planned_on": "2025-03-12", "topic": "保留的主题"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "请至少选择一种会议类型" in text and "保留的主题" in text
    assert not MeetingPlan.objects.exists()


def test_a_stale_edit_lists_the_conflict_and_overwrites_nothing(personas, login):
    plan = plan_theme_day(personas, personas.org.branch_a, datetime.date(2025, 3, 12), topic="原主题")
    planning.update_plan(
        plan,
        {"planned_on": plan.planned_on, "topic": "他人修改"},
        actor=personas.staff,
        kinds=[kind("theme_day")],
        expected_version=1,
    )
    client = login(personas.secretary_a)
    response = client.post(
        reverse("meetings:plan.edit", kwargs={"pk": plan.pk}),
        {"planned_on": "2025-03-12", "kinds": [kind("theme_day").pk], "topic": "我的修改", "version": "1"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "他人修改" in text and "我的修改" in text
    plan.refresh_from_db()
    assert plan.topic == "他人修改"


def test_the_plan_page_shows_missed_and_unplanned_meetings(personas, login):
    branch = personas.org.branch_a
    plan_theme_day(personas, branch, datetime.date(2024, 3, 12), topic="三月计划")
    f.MeetingFactory(unit=branch, date=datetime.date(2024, 5, 8), topic="计划外的支委会", kinds=["committee_meeting"])
    response = login(personas.member_a).get(reverse("meetings:plan.list", kwargs={"pk": branch.pk}) + "?year=2024")
    text = response.content.decode()
    assert "未按计划召开" in text and "计划外的支委会" in text


def test_the_calendar_shows_planned_and_held_items_and_links_the_neighbouring_months(personas, login):
    branch = personas.org.branch_a
    plan_theme_day(personas, branch, datetime.date(2025, 3, 12), topic="计划中的党日")
    f.MeetingFactory(
        unit=personas.org.group_a, date=datetime.date(2025, 3, 20), topic="小组学习", kinds=["group_meeting"]
    )
    response = login(personas.secretary_a).get(
        reverse("meetings:plan.calendar", kwargs={"pk": branch.pk}) + "?month=2025-03"
    )
    text = response.content.decode()
    assert "计划中的党日" in text and "小组学习" in text and "第一党小组" in text
    assert "?month=2025-02" in text and "?month=2025-04" in text


def test_the_committee_calendar_shows_only_units_in_scope(personas, login):
    f.MeetingFactory(
        unit=personas.org.branch_a, date=datetime.date(2025, 3, 20), topic="甲支部会议", kinds=["theme_day"]
    )
    f.MeetingFactory(
        unit=personas.org.branch_b, date=datetime.date(2025, 3, 21), topic="乙支部会议", kinds=["theme_day"]
    )
    url = reverse("meetings:plan.committee_calendar") + "?month=2025-03"
    staff_text = login(personas.staff).get(url).content.decode()
    assert "甲支部会议" in staff_text and "乙支部会议" in staff_text
    b_text = login(personas.secretary_b).get(url).content.decode()
    assert "乙支部会议" in b_text and "甲支部会议" not in b_text


# --- the feed -----------------------------------------------------------------------------------


def test_the_feed_needs_no_login_and_shows_no_names_or_minutes(personas, client):
    branch = personas.org.branch_a
    m = personas.members
    meeting = f.MeetingFactory(
        unit=branch,
        date=datetime.date.today() - datetime.timedelta(days=10),
        topic="主题党日：学党章",
        minutes="会议纪要的机密内容",
        host=m.secretary_a,
        recorder=m.other_a,
        kinds=["theme_day"],
    )
    f.AttendanceFactory(meeting=meeting, member=m.member_a)
    planning.plan_meeting(
        branch,
        {"planned_on": datetime.date.today() + datetime.timedelta(days=20), "topic": "下月计划"},
        actor=personas.staff,
        kinds=[kind("committee_meeting")],
    )
    token = planning.regenerate_feed_token(branch, actor=personas.secretary_a).token
    response = client.get(reverse("meetings:plan.ical", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 2
    assert "学党章" in text and "下月计划" in text
    for secret in ("会议纪要", "甲书记", "甲同事", "甲党员", "三楼会议室"):
        assert secret not in text


def test_an_unknown_or_revoked_token_answers_404(personas, client):
    old = planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff).token
    planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff)
    assert client.get(reverse("meetings:plan.ical", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("meetings:plan.ical", kwargs={"token": "nope"})).status_code == 404


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_the_plan_page_query_count_does_not_grow_with_plans(size, personas, login, django_assert_max_num_queries):
    branch = personas.org.branch_a
    for i in range(size):
        day = datetime.date(2025, 1 + i % 12, 1 + i % 27)
        plan_theme_day(personas, branch, day, topic=f"计划{i}")
        f.MeetingFactory(unit=branch, date=day, kinds=["theme_day", "party_lesson"])
    client = login(personas.secretary_a)
    url = reverse("meetings:plan.list", kwargs={"pk": branch.pk}) + "?year=2025"
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_committee_calendar_query_count_does_not_grow_with_units(
    size, personas, login, django_assert_max_num_queries
):
    for i in range(size):
        unit = f.UnitFactory(parent=personas.org.committee)
        plan_theme_day(personas, unit, datetime.date(2025, 3, 1 + i % 27))
        f.MeetingFactory(unit=unit, date=datetime.date(2025, 3, 1 + i % 27), kinds=["theme_day"])
    client = login(personas.staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("meetings:plan.committee_calendar") + "?month=2025-03").status_code == 200
