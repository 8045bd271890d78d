"""Pages: wrong methods answer 405, the flows through the forms, the includes on the member and
branch pages, and the scorecards table at a fixed query count."""

import datetime

import pytest
from django.urls import reverse

from recognition.models import FiveLeadsNote, FourStrong, Nomination, NoticeStatus, WorkdayCalendar
from recognition.tests import access
from recognition.tests import builders as b
from tests import factories as f
from tests.matrix import wrong_method
from tests.test_access_matrix import _url

D = datetime.date


@pytest.mark.parametrize("name", [n for n in access.MATRIX if "@" not in n])
def test_a_wrong_method_answers_405(name, personas, login):
    method, _expected, target = access.MATRIX[name]
    # GET pages (some with a form that posts back) refuse PUT; POST-only actions refuse GET.
    response = wrong_method(login(personas.staff), method, _url(name, target, personas), instead_of_get="put")
    assert response.status_code == 405


def test_the_scorecards_table_keeps_its_query_count(personas, login, django_assert_max_num_queries):
    client = login(personas.staff)
    year = datetime.date.today().year
    url = reverse("recognition:fiveleads.list") + f"?year={year}"

    def grow(n):
        for _i in range(n):
            branch = f.UnitFactory(parent=personas.org.committee)
            term = f.CommitteeTermFactory(unit=branch, status="current", elected_on=D(year - 1, 3, 1))
            for role in ("secretary", "organization", "publicity"):
                m = f.member_in(branch)
                f.TermMemberFactory(term=term, member=m, role=role)
                meeting = f.MeetingFactory(unit=branch, date=D(year, 1, 5), lecturer=m, kinds=["party_lesson"])
                f.AttendanceFactory(meeting=meeting, member=m)

    grow(1)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    grow(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("fiveleads/") >= 33


def test_the_member_page_shows_the_scorecard_to_readers_only(personas, login):
    url = reverse("members:member.detail", args=[personas.members.secretary_a.pk]) + "?tab=duties"
    assert "带头讲党课" in login(personas.staff).get(url).content.decode()
    own = reverse("members:member.detail", args=[personas.members.member_a.pk]) + "?tab=duties"
    assert "带头讲党课" not in login(personas.member_a).get(own).content.decode()


def test_the_branch_page_shows_the_badge_and_the_committee_table(personas, login):
    year = datetime.date.today().year
    b.four_strong(personas, year=year - 1, status=NoticeStatus.NAMED)
    url = reverse("organizations:unit.detail", args=[personas.org.branch_a.pk])
    overview = login(personas.staff).get(url).content.decode()
    assert "本年度须复评" in overview and "?tab=fiveleads" in overview and "带头严于律己" not in overview
    page = login(personas.staff).get(url + "?tab=fiveleads").content.decode()
    assert "本年度须复评" in page and "带头严于律己" in page and "甲书记" in page
    member_page = login(personas.member_a).get(url + "?tab=fiveleads").content.decode()
    assert "本年度须复评" in member_page and "带头严于律己" not in member_page


def test_the_scorecard_page_adds_a_note(personas, login):
    year = datetime.date.today().year
    client = login(personas.staff)
    url = reverse("recognition:fiveleads.note", args=[personas.members.secretary_a.pk, year])
    response = client.post(url, {"duty": "serve", "text": "社区报到服务 3 次", "needs_attention": ""}, follow=True)
    assert "已填写五带头说明" in response.content.decode()
    assert "社区报到服务 3 次" in response.content.decode()
    assert FiveLeadsNote.objects.get().duty == "serve"


def test_four_strong_through_the_pages(personas, login):
    year = datetime.date.today().year
    staff, secretary = personas.staff, personas.secretary_a
    client = login(staff)
    client.post(reverse("recognition:criteria.defaults", args=[year]))
    client = login(secretary)
    response = client.post(reverse("recognition:fourstrong.create", args=[personas.org.branch_a.pk]), {"year": year})
    app = FourStrong.objects.get()
    assert response.url == reverse("recognition:fourstrong.detail", args=[app.pk])
    page = client.get(response.url).content.decode()
    assert "政治强" in page and "作用发挥强" in page
    data = {"version": app.version, **{f"crit_{r.criterion_id}": "已落实" for r in app.assessments.all()}}
    client.post(reverse("recognition:fourstrong.self", args=[app.pk]), data)
    client.post(reverse("recognition:fourstrong.submit", args=[app.pk]))
    client = login(staff)
    review = {f"result_{r.criterion_id}": "pass" for r in app.assessments.all()}
    # The records of this bare branch contradict several default criteria: a pass needs a reason.
    review.update({f"comment_{r.criterion_id}": "已实地核实。" for r in app.assessments.all()})
    client.post(reverse("recognition:fourstrong.review", args=[app.pk]), review)
    client.post(
        reverse("recognition:fourstrong.notice", args=[app.pk]), {"notice_start": "2025-09-30", "notice_days": 5}
    )
    app.refresh_from_db()
    assert app.status == NoticeStatus.NOTICED and app.notice_end == D(2025, 10, 13)
    page = client.get(reverse("recognition:fourstrong.detail", args=[app.pk])).content.decode()
    assert "2025-09-30 至 2025-10-13" in page


def test_naming_before_the_notice_ends_is_refused_with_a_message(personas, login):
    today = datetime.date.today()
    n = b.nomination(personas, status="noticed", notice_start=today, notice_end=today + datetime.timedelta(days=7))
    response = login(personas.staff).post(reverse("recognition:nomination.name", args=[n.pk]), follow=True)
    assert "公示期满后方可命名" in response.content.decode()
    assert Nomination.objects.get(pk=n.pk).status == NoticeStatus.NOTICED


def test_nominating_through_the_form_names_the_missing_member(personas, login):
    client = login(personas.secretary_a)
    url = reverse("recognition:nomination.create", args=[personas.org.branch_a.pk])
    data = {"kind": "model_post", "year": 2025, "title": "示范岗", "reason": "好", "method": "score", "pass_mark": 80}
    assert "党员：推荐党员示范岗须选择党员。" in client.post(url, data).content.decode()
    data["member"] = personas.members.other_a.pk
    response = client.post(url, data)
    n = Nomination.objects.get()
    assert (
        response.url == reverse("recognition:nomination.detail", args=[n.pk]) and n.member == personas.members.other_a
    )


def test_the_certificate_downloads_as_docx(personas, login):
    n = b.nomination(personas, status="named", member=personas.members.other_a)
    response = login(personas.secretary_a).get(reverse("recognition:nomination.certificate", args=[n.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_a_stale_calendar_edit_keeps_the_input_and_lists_the_conflict(personas, login):
    day = b.calendar_day()
    client = login(personas.staff)
    url = reverse("recognition:calendar.edit", args=[day.pk])
    WorkdayCalendar.objects.filter(pk=day.pk).update(note="国庆节（改）", version=2)
    response = client.post(url, {"date": "2030-10-01", "is_workday": "", "note": "我的说明", "version": 1})
    body = response.content.decode()
    assert "国庆节（改） → 我的说明" in body and 'value="我的说明"' in body
    response = client.post(reverse("recognition:calendar.create"), {"date": "2030-10-01", "note": "重复"})
    assert "日期：2030-10-01 已有安排" in response.content.decode()


def test_the_review_page_shows_the_records_beside_a_criterion_and_flags_a_contradiction(personas, login):
    from recognition.models import FourStrongCriterion
    from recognition.services import create_four_strong, save_self_assessment, submit_four_strong

    year = 2025
    f.seat_committees(personas)  # a branch with a secretary alone holds no 支委会 (docs/rules.md)
    FourStrongCriterion.objects.create(
        year=year, dimension="leadership", text="支委会每月至少召开一次，重要事项集体研究决定。", order=1
    )
    app = create_four_strong(personas.org.branch_a, year, actor=personas.secretary_a)
    save_self_assessment(
        app,
        {r.criterion_id: "每月召开。" for r in app.assessments.all()},
        actor=personas.secretary_a,
        version=app.version,
    )
    submit_four_strong(app, actor=personas.secretary_a)
    page = login(personas.staff).get(reverse("recognition:fourstrong.detail", args=[app.pk])).content.decode()
    assert "支委会：已落实0个周期，未落实12个" in page
    assert "记录与“通过”不符" in page
