"""Integrity pages by persona, wrong methods, escaping, and pinned query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance
from tests import factories as f

D = datetime.date(2025, 3, 10)
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}
MINUTES = (
    "支部书记主持召开支部党员大会。会议集中学习了《中国共产党章程》第二章有关条款，全体党员逐条对照检查，"
    "结合岗位实际谈了体会。会议还研究了本季度发展党员工作，决定由组织委员负责联系入党积极分子。"
)


def meeting(unit, day=D, **kw):
    entered = timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 0)))
    kw.setdefault("entered_at", entered)
    return f.MeetingFactory(unit=unit, date=day, **kw)


@pytest.fixture
def twins(personas):
    a = meeting(personas.org.branch_a, minutes=MINUTES, topic="三月党员大会")
    b = meeting(personas.org.branch_b, D + datetime.timedelta(days=2), minutes=MINUTES.replace("第二章", "第三章"))
    return a, b


def test_the_dashboard_ranks_branches_by_risk_with_counts_and_links(personas, login, twins):
    meeting(personas.org.branch_b, late_entry=True, entered_at=timezone.now())
    response = login(personas.inspector).get(reverse("integrity:dashboard"), PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("第二党支部") < body.index("第一党支部")  # 15 + 5 points before 15
    assert reverse("integrity:unit", args=[personas.org.branch_a.pk]) in body
    assert "纪要雷同 1条（每条15分" in body
    assert "<svg" in body


@pytest.mark.parametrize(("persona", "status"), [("staff", 200), ("secretary_a", 403), ("member_a", 404)])
def test_the_dashboard_is_for_staff_and_inspectors(personas, login, persona, status):
    assert login(getattr(personas, persona)).get(reverse("integrity:dashboard")).status_code == status


def test_a_bad_period_is_refused_with_the_field_named(personas, login):
    response = login(personas.staff).get(reverse("integrity:dashboard"), {"start": "2025-05-01", "end": "2025-01-01"})
    assert "截止日期：不能早于起始日期。" in response.content.decode()


@pytest.mark.parametrize("name", ["integrity:dashboard", "integrity:unit", "integrity:meeting", "integrity:compare"])
def test_every_page_refuses_post(personas, login, twins, name):
    args = {"integrity:unit": [personas.org.branch_a.pk], "integrity:meeting": [twins[0].pk]}.get(name, [])
    assert login(personas.staff).post(reverse(name, args=args)).status_code == 405


def test_the_branch_page_lists_its_records_with_explanations(personas, login, twins):
    response = login(personas.secretary_a).get(reverse("integrity:unit", args=[personas.org.branch_a.pk]), PERIOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "三月党员大会" in body and "纪要雷同" in body
    # The secretary may not see branch B's record: told there is one, not which.
    assert "会议纪要与其他支部一条记录的纪要相似度" in body
    assert "第二党支部" not in body
    assert reverse("integrity:compare") not in body


def test_the_branch_page_of_another_branch_or_a_group_answers_404(personas, login):
    client = login(personas.secretary_b)
    assert client.get(reverse("integrity:unit", args=[personas.org.branch_a.pk])).status_code == 404
    staff = login(personas.staff)
    assert staff.get(reverse("integrity:unit", args=[personas.org.group_a.pk])).status_code == 404


def test_the_meeting_page_shows_the_explanation_and_the_compare_link_to_an_inspector(personas, login, twins):
    a, b = twins
    response = login(personas.inspector).get(reverse("integrity:meeting", args=[a.pk]))
    body = response.content.decode()
    assert "会议纪要与第二党支部" in body
    assert f"{reverse('integrity:compare')}?a={a.pk}&amp;b={b.pk}" in body


def test_the_meeting_page_of_another_branch_answers_404(personas, login, twins):
    assert login(personas.secretary_b).get(reverse("integrity:meeting", args=[twins[0].pk])).status_code == 404
    assert login(personas.member_a).get(reverse("integrity:meeting", args=[twins[0].pk])).status_code == 404


def test_the_meeting_page_says_when_there_is_nothing_to_note(personas, login):
    m = meeting(personas.org.branch_a, minutes="会议按议程进行。")
    body = login(personas.staff).get(reverse("integrity:meeting", args=[m.pk])).content.decode()
    assert "这条记录没有需要提示的情况。" in body


def test_compare_highlights_the_shared_passages(personas, login, twins):
    a, b = twins
    response = login(personas.staff).get(reverse("integrity:compare"), {"a": a.pk, "b": b.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<mark class="shared"') == 4  # two passages (split by 第二/三章), in each text
    assert "相似度" in body


def test_compare_escapes_the_minutes(personas, login):
    evil = "<script>alert('x')</script>" + MINUTES
    a = meeting(personas.org.branch_a, minutes=evil)
    b = meeting(personas.org.branch_a, minutes=evil + "<b>粗体</b>")
    body = login(personas.staff).get(reverse("integrity:compare"), {"a": a.pk, "b": b.pk}).content.decode()
    assert "<script>" not in body and "<b>" not in body
    text = re.sub(r'<mark class="shared" title="[^"]*">|</mark>', "", body)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "&lt;b&gt;粗体&lt;/b&gt;" in text


@pytest.mark.parametrize("query", [{}, {"a": "x", "b": "1"}, {"a": "1"}, {"a": "999999", "b": "999998"}])
def test_compare_without_two_records_answers_404(personas, login, query):
    assert login(personas.staff).get(reverse("integrity:compare"), query).status_code == 404


def test_compare_with_a_record_out_of_scope_answers_404(personas, login, twins):
    a, b = twins
    assert login(personas.secretary_a).get(reverse("integrity:compare"), {"a": a.pk, "b": b.pk}).status_code == 404
    own = meeting(personas.org.branch_a, D + datetime.timedelta(days=1), minutes=MINUTES)
    ok = login(personas.secretary_a).get(reverse("integrity:compare"), {"a": a.pk, "b": own.pk})
    assert ok.status_code == 200
    assert login(personas.member_a).get(reverse("integrity:compare"), {"a": a.pk, "b": own.pk}).status_code == 404


def _populate(personas, n):
    for i in range(n):
        day = D + datetime.timedelta(days=i)
        m = meeting(personas.org.branch_a, day, minutes=MINUTES + str(i), late_entry=True)
        Attendance.objects.create(meeting=m, member=personas.members.other_a, status="present")
        meeting(personas.org.branch_b, day, minutes=MINUTES)


@pytest.mark.parametrize("size", [2, 15])
def test_the_pages_run_a_fixed_number_of_queries(personas, login, size, django_assert_max_num_queries):
    _populate(personas, size)
    client = login(personas.staff)
    client.get(reverse("integrity:dashboard"), PERIOD)  # warm caches (content types, session)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("integrity:dashboard"), PERIOD).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("integrity:unit", args=[personas.org.branch_a.pk]), PERIOD).status_code == 200


def test_the_badge_tag_shows_a_records_signals_only_to_readers(personas, rf, twins):
    from django.template import Context, Template

    template = Template("{% load integrity_tags %}{% integrity_badge meeting %}")
    request = rf.get("/")
    request.user = personas.inspector
    shown = template.render(Context({"request": request, "meeting": twins[0]}))
    assert "纪要雷同" in shown and reverse("integrity:meeting", args=[twins[0].pk]) in shown
    request.user = personas.member_a
    assert template.render(Context({"request": request, "meeting": twins[0]})).strip() == ""


def test_the_meeting_record_shows_its_signals_to_readers_of_signals(personas, login, twins):
    """The note integrity adds to ``meetings:meeting.detail`` (``integrity.meeting_page``)."""
    record = reverse("meetings:meeting.detail", args=[twins[0].pk])
    page = login(personas.inspector).get(record).content.decode()
    assert "可信度提示" in page and "纪要雷同" in page
    assert reverse("integrity:meeting", args=[twins[0].pk]) in page
    f.AttendanceFactory(meeting=twins[0], member=personas.members.member_a)
    member_page = login(personas.member_a).get(record)  # a member who attended sees the record, not the signals
    assert member_page.status_code == 200 and "可信度提示" not in member_page.content.decode()
