"""Pages: wrong methods answer 405, flows through the forms, the comparison's escaping, and
pinned query counts at two sizes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign, ReadingReflection, TaskCompletion
from campaigns.tests import builders as b
from campaigns.tests.test_services import OTHER_TEXT
from meetings.models import Meeting, MeetingKind
from tests import factories as f

D = datetime.date

# url name -> (kwargs, the allowed methods)
URLS = {
    "campaign.list": ({}, "GET"),
    "campaign.create": ({}, "GET POST"),
    "task.mine": ({}, "GET"),
    "campaign.detail": ({"pk": 1}, "GET"),
    "campaign.edit": ({"pk": 1}, "GET POST"),
    "campaign.archive": ({"pk": 1}, "POST"),
    "campaign.restore": ({"pk": 1}, "POST"),
    "stage.create": ({"pk": 1}, "GET POST"),
    "stage.edit": ({"pk": 1}, "GET POST"),
    "book.create": ({"pk": 1}, "GET POST"),
    "task.create": ({"pk": 1}, "GET POST"),
    "task.edit": ({"pk": 1}, "GET POST"),
    "campaign.progress": ({"pk": 1}, "GET"),
    "campaign.branch": ({"pk": 1, "unit_id": 1}, "GET"),
    "task.complete": ({"pk": 1, "unit_id": 1}, "POST"),
    "completion.download": ({"pk": 1}, "GET"),
    "reflection.list": ({}, "GET"),
    "reflection.create": ({}, "GET POST"),
    "reflection.detail": ({"pk": 1}, "GET"),
    "reflection.comment": ({"pk": 1}, "POST"),
    "reflection.select": ({"pk": 1}, "POST"),
    "reflection.unselect": ({"pk": 1}, "POST"),
    "reflection.compare": ({"pk": 1}, "GET"),
    "reflection.link": ({"unit_id": 1}, "GET POST"),
    "material.list": ({}, "GET"),
    "material.create": ({}, "GET POST"),
    "material.detail": ({"pk": 1}, "GET"),
    "material.edit": ({"pk": 1}, "GET POST"),
    "material.archive": ({"pk": 1}, "POST"),
    "material.restore": ({"pk": 1}, "POST"),
    "material.download": ({"pk": 1}, "GET"),
    "material.read": ({"pk": 1}, "POST"),
}


def test_every_url_of_the_app_is_listed_here():
    from tests.test_access_matrix import all_url_names

    assert {n.split(":", 1)[1] for n in all_url_names() if n.startswith("campaigns:")} == set(URLS)


@pytest.mark.parametrize("name", sorted(URLS))
def test_a_wrong_method_answers_405(name, personas, login):
    kwargs, allowed = URLS[name]
    client = login(personas.staff)
    url = reverse(f"campaigns:{name}", kwargs=kwargs)
    wrong = "post" if allowed == "GET" else "get" if allowed == "POST" else "put"
    assert getattr(client, wrong)(url).status_code == 405


@pytest.fixture
def world(personas):
    c = b.campaign(personas.org.committee, year=datetime.date.today().year)
    s = b.stage(c, start=D(c.start_on.year, 1, 1), end=D(c.start_on.year, 12, 31))
    book = b.book(s)
    return personas, c, s, book


def test_staff_launch_a_campaign_through_the_form(personas, login):
    response = login(personas.staff).post(
        reverse("campaigns:campaign.create"),
        {"name": "学党章", "goal": "", "start_on": "2025-01-01", "end_on": "2025-12-31", "reflection_min_chars": 300},
    )
    c = Campaign.objects.get()
    assert response.url == reverse("campaigns:campaign.detail", args=[c.pk]) and c.unit == personas.org.committee


def test_a_stale_campaign_edit_keeps_the_input_and_lists_the_conflict(world, login):
    personas, c, _s, _book = world
    Campaign.objects.filter(pk=c.pk).update(name="别人改过", version=2)
    data = {"name": "我的名称", "goal": "", "start_on": "2025-01-01", "end_on": "2025-12-31"}
    data.update({"reflection_min_chars": 300, "version": 1})
    response = login(personas.staff).post(reverse("campaigns:campaign.edit", args=[c.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "活动名称：别人改过 → 我的名称" in body and 'value="我的名称"' in body


def test_a_member_submits_a_reflection_and_a_short_one_is_refused_with_the_count(world, login):
    personas, _c, _s, book = world
    client = login(personas.member_a)
    response = client.post(reverse("campaigns:reflection.create"), {"book": book.pk, "title": "体会", "text": "太短了"})
    assert "正文：读书心得至少 300 字，当前 3 字，还差 297 字。" in response.content.decode()
    response = client.post(
        reverse("campaigns:reflection.create"), {"book": book.pk, "title": "体会", "text": b.LONG_TEXT}
    )
    r = ReadingReflection.objects.get()
    assert response.url == reverse("campaigns:reflection.detail", args=[r.pk])
    assert r.member == personas.members.member_a


def test_the_comparison_marks_shared_passages_and_escapes_the_text(world, login):
    personas, _c, s, book = world
    m = personas.members
    evil = "<script>alert(1)</script>"
    source = b.reflection(m.other_a, personas.org.branch_a, s, book, text=evil + b.LONG_TEXT)
    copy = b.reflection(m.member_a, personas.org.branch_a, s, book, text="开头不同。" + b.LONG_TEXT, similar_to=source)
    body = login(personas.secretary_a).get(reverse("campaigns:reflection.compare", args=[copy.pk])).content.decode()
    assert '<mark class="shared">' in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "甲同事" in body


def test_a_secretary_sees_only_their_side_when_the_source_is_in_another_branch(world, login):
    personas, _c, s, book = world
    m = personas.members
    source = b.reflection(m.other_b, personas.org.branch_b, s, book, text="乙支部原文" + b.LONG_TEXT)
    copy = b.reflection(m.member_a, personas.org.branch_a, s, book, text=b.LONG_TEXT, similar_to=source)
    body = login(personas.secretary_a).get(reverse("campaigns:reflection.compare", args=[copy.pk])).content.decode()
    assert "乙支部原文" not in body and "第二党支部" in body and "无权查看其正文" in body
    staff = login(personas.staff).get(reverse("campaigns:reflection.compare", args=[copy.pk])).content.decode()
    assert "乙支部原文" in staff


def test_a_flagged_reflection_shows_the_badge_in_the_list(world, login):
    personas, _c, s, book = world
    m = personas.members
    source = b.reflection(m.other_a, personas.org.branch_a, s, book)
    b.reflection(m.member_a, personas.org.branch_a, s, book, similar_to=source)
    b.reflection(m.secretary_a, personas.org.branch_a, s, book, text=OTHER_TEXT, title="另一篇")
    body = login(personas.secretary_a).get(reverse("campaigns:reflection.list")).content.decode()
    assert body.count("疑似雷同 0.93") == 1


def test_the_secretary_links_reflections_to_the_exchange_meeting(world, login):
    personas, _c, s, book = world
    m = personas.members
    r = b.reflection(m.member_a, personas.org.branch_a, s, book)
    meeting = f.MeetingFactory(unit=personas.org.branch_a, date=D(2025, 3, 20), kinds=["reading_exchange"])
    f.MeetingFactory(unit=personas.org.branch_a, date=D(2025, 3, 21), kinds=["theme_day"])
    client = login(personas.secretary_a)
    page = client.get(reverse("campaigns:reflection.link", args=[personas.org.branch_a.pk])).content.decode()
    assert meeting.topic in page
    response = client.post(
        reverse("campaigns:reflection.link", args=[personas.org.branch_a.pk]),
        {"meeting": meeting.pk, "reflections": [r.pk]},
    )
    assert response.status_code == 302
    assert list(r.meetings.all()) == [meeting]


def test_the_link_page_refuses_a_meeting_that_is_not_an_exchange(world, login):
    personas, _c, _s, _book = world
    f.MeetingFactory(unit=personas.org.branch_a, date=D(2025, 3, 20), kinds=["reading_exchange"])
    other = f.MeetingFactory(unit=personas.org.branch_a, date=D(2025, 3, 21), kinds=["theme_day"])
    response = login(personas.secretary_a).post(
        reverse("campaigns:reflection.link", args=[personas.org.branch_a.pk]), {"meeting": other.pk}
    )
    assert response.status_code == 200 and "交流会" in response.content.decode()
    assert not Meeting.objects.get(pk=other.pk).reading_reflections.exists()


def test_the_branch_page_uploads_a_document_and_shows_it_done(world, login):
    personas, c, s, _book = world
    t = b.task(s)
    client = login(personas.secretary_a)
    url = reverse("campaigns:task.complete", args=[t.pk, personas.org.branch_a.pk])
    client.post(url, {"file": SimpleUploadedFile("计划.txt", "学习计划".encode()), "note": "按时上报"})
    done = TaskCompletion.objects.get()
    assert done.unit == personas.org.branch_a and done.completed_by == personas.secretary_a
    page = client.get(reverse("campaigns:campaign.branch", args=[c.pk, personas.org.branch_a.pk])).content.decode()
    assert "计划.txt" in page and "已完成" in page


def test_my_tasks_show_my_reflection_task_done(world, login):
    personas, _c, s, book = world
    b.task(s, audience="member", evidence="reflection", title="提交党章心得", book=book)
    b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    body = login(personas.member_a).get(reverse("campaigns:task.mine")).content.decode()
    assert "提交党章心得" in body and "已完成" in body


def _branches(personas, c, s, book, n, first=0):
    kinds = MeetingKind.objects.filter(code__in=["party_lesson", "reading_exchange"])
    for i in range(first, first + n):
        branch = f.UnitFactory(name=f"测试支部{i:02d}", parent=personas.org.committee)
        member = f.member_in(branch)
        b.reflection(member, branch, s, book, title=f"心得{i}")
        meeting = f.MeetingFactory(unit=branch, date=s.start_on)
        meeting.kinds.set(kinds)
    b.task(s, title="上报")
    b.task(s, evidence="meeting", kind="party_lesson", title="党课")
    b.task(s, audience="member", evidence="reflection", title="心得")
    b.task(s, audience="committee", title="方案")


@pytest.mark.parametrize(
    "page", ["campaigns:campaign.progress", "campaigns:reflection.list", "campaigns:campaign.detail"]
)
def test_pages_cost_the_same_queries_for_3_and_30_branches(world, login, page, django_assert_num_queries):
    personas, c, s, book = world
    client = login(personas.staff)
    url = reverse(page, args=[c.pk]) if page != "campaigns:reflection.list" else reverse(page)
    _branches(personas, c, s, book, 3)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _branches(personas, c, s, book, 27, first=3)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_branch_page_costs_the_same_queries_for_few_and_many_members(world, login, django_assert_num_queries):
    personas, c, s, book = world
    b.task(s, audience="member", evidence="reflection", title="心得")
    b.task(s, evidence="meeting", kind="party_lesson", title="党课")
    client = login(personas.secretary_a)
    url = reverse("campaigns:campaign.branch", args=[c.pk, personas.org.branch_a.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _i in range(30):
        member = f.member_in(personas.org.branch_a)
        b.reflection(member, personas.org.branch_a, s, book)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
