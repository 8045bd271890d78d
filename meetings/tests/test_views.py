"""Meeting record pages: who gets what, the record form round trip, locking, conflicts, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.models import AuditEntry
from meetings import registry, services
from meetings.models import Meeting, MeetingKind
from tests import factories as f
from tests.helpers import assert_page_shows


def form_post(roster, kinds, **overrides):
    """What a browser sends for a valid 主题党日 of branch A on 2025-03-10."""
    data = {
        "kinds": [k.pk for k in kinds],
        "date": "2025-03-10",
        "start_time": "14:30",
        "end_time": "16:00",
        "place": "三楼会议室",
        "topic": "学习党章",
        "theme_category": "party_building",
        "host": roster[0].pk,
        "recorder": roster[1].pk,
        "lecturer": "",
        "invited": "",
        "minutes": "学习党章第一章。",
        "resolutions": "",
    }
    for m in roster:
        data[f"att_{m.pk}"] = "present"
        data[f"reason_{m.pk}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def recorded(personas, branch, roster, kinds, meeting_data):
    def make(**kwargs):
        return services.record_meeting(
            branch,
            meeting_data(**kwargs.pop("data", {})),
            actor=personas.secretary_a,
            kinds=kinds(*kwargs.pop("codes", ("theme_day",))),
            attendance=kwargs.pop("attendance", [(m, "present", "") for m in roster]),
            **kwargs,
        )

    return make


# -- access ---------------------------------------------------------------------------------


def test_the_list_shows_meetings_in_scope_only(personas, recorded, login):
    mine = recorded(data={"topic": "甲支部会议"})
    b = personas.org.branch_b
    f.MeetingFactory(unit=b, topic="乙支部会议", kinds=["theme_day"])
    page = login(personas.secretary_a).get(reverse("meetings:meeting.list")).content.decode()
    assert "甲支部会议" in page and "乙支部会议" not in page
    page = login(personas.staff).get(reverse("meetings:meeting.list")).content.decode()
    assert "甲支部会议" in page and "乙支部会议" in page
    # member_a attended mine (everyone present) and sees it; a meeting without them is hidden.
    f.MeetingFactory(unit=personas.org.branch_a, topic="没参加的会", kinds=["theme_day"])
    page = login(personas.member_a).get(reverse("meetings:meeting.list")).content.decode()
    assert mine.topic in page and "没参加的会" not in page


def test_a_unit_filter_outside_scope_answers_404(personas, login):
    url = reverse("meetings:meeting.list") + f"?unit={personas.org.branch_b.pk}"
    assert login(personas.secretary_a).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("meetings:meeting.list", "post"),
        ("meetings:meeting.detail", "post"),
        ("meetings:meeting.archive", "get"),
        ("meetings:meeting.restore", "get"),
        ("meetings:attachment.upload", "get"),
        ("meetings:meeting.edit", "put"),
        ("meetings:kind.list", "post"),
        ("meetings:kind.create", "put"),
        ("meetings:meeting.create", "put"),
    ],
)
def test_a_wrong_method_answers_405(name, method, personas, recorded, login):
    meeting = recorded()
    kwargs = (
        {"pk": meeting.pk}
        if name
        not in ("meetings:meeting.list", "meetings:kind.list", "meetings:kind.create", "meetings:meeting.create")
        else {}
    )
    client = login(personas.staff)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405


def test_attachment_urls_answer_405_to_the_wrong_method(personas, recorded, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.add_attachment(
        recorded(), SimpleUploadedFile("a.txt", b"x"), "document", actor=personas.staff
    )
    client = login(personas.staff)
    assert client.post(reverse("meetings:attachment.download", args=[attachment.pk])).status_code == 405
    assert client.get(reverse("meetings:attachment.archive", args=[attachment.pk])).status_code == 405


@pytest.mark.parametrize("name", ["meetings:meeting.detail", "meetings:meeting.edit"])
def test_meetings_of_another_branch_answer_404(name, personas, recorded, login):
    assert login(personas.secretary_b).get(reverse(name, args=[recorded().pk])).status_code == 404


def test_posts_on_another_branch_answer_404_and_change_nothing(personas, recorded, login):
    meeting = recorded()
    client = login(personas.secretary_b)
    assert client.post(reverse("meetings:meeting.archive", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:attachment.upload", args=[meeting.pk])).status_code == 404
    assert not Meeting.objects.get(pk=meeting.pk).is_archived


def test_the_record_form_of_another_branch_answers_404(personas, login):
    url = reverse("meetings:meeting.create", kwargs={"unit_id": personas.org.branch_a.pk})
    assert login(personas.secretary_b).get(url).status_code == 404
    assert login(personas.inspector).get(url).status_code == 403


def test_the_unit_chooser_lists_units_the_user_may_record_for(personas, login):
    page = login(personas.secretary_a).get(reverse("meetings:meeting.create")).content.decode()
    assert "第一党支部" in page and "第一党小组" in page and "第二党支部" not in page
    response = login(personas.secretary_a).get(reverse("meetings:meeting.create") + f"?unit={personas.org.group_a.pk}")
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting.create", kwargs={"unit_id": personas.org.group_a.pk})


# -- record form ----------------------------------------------------------------------------


def test_a_secretary_records_a_meeting_through_the_form(personas, branch, roster, kinds, login):
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    page = client.get(url).content.decode()
    for m in roster:
        assert f'name="att_{m.pk}"' in page
    data = form_post(roster, kinds("theme_day", "party_lesson"), lecturer=roster[0].pk)
    data[f"att_{roster[-1].pk}"] = "absent"
    data[f"reason_{roster[-1].pk}"] = "official"
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting.detail", args=[meeting.pk])
    assert meeting.attendance.get(member=roster[-1]).absence_reason == "official"
    assert set(meeting.kinds.values_list("code", flat=True)) == {"theme_day", "party_lesson"}
    assert meeting.entered_by == personas.secretary_a


def test_refusals_name_the_field_and_keep_what_the_user_typed(personas, branch, roster, kinds, login):
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    data = form_post(roster, kinds("party_lesson", "general_meeting"), host="", topic="我填写的主题")
    for m in roster[:3]:
        data[f"att_{m.pk}"] = "absent"
    data[f"reason_{roster[0].pk}"] = "sick"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "主持人：不能为空。" in page
    assert "讲课人：党课须填写讲课人。" in page
    assert "未过半数" in page
    assert "缺席原因：请为缺席的" in page
    assert 'value="我填写的主题"' in page
    assert 'value="三楼会议室"' in page
    assert not Meeting.objects.exists()


def test_a_life_meeting_without_problems_is_refused_in_the_form(personas, branch, roster, kinds, login):
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    response = client.post(url, form_post(roster, kinds("life_meeting")))
    assert "组织生活会须记录解决的实际问题" in response.content.decode()
    response = client.post(url, form_post(roster, kinds("life_meeting"), problem_1="会议室预约难"))
    assert response.status_code == 302
    assert Meeting.objects.get().problems.get().text == "会议室预约难"


def test_a_life_meeting_with_three_problems_is_saved_with_a_warning(personas, branch, roster, kinds, login):
    """The seed asks to solve one or two real problems; more is kept, with a warning."""
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    problems = {"problem_1": "会议室预约难", "problem_2": "食堂排队", "problem_3": "学习流于形式"}
    response = client.post(url, form_post(roster, kinds("life_meeting"), **problems), follow=True)
    meeting = Meeting.objects.get()
    assert meeting.problems.count() == 3
    assert meeting.held_for_year == 2025
    page = response.content.decode()
    assert "记录了3个实际问题" in page and "突出解决1至2个实际问题" in page


def test_the_form_proposes_last_year_for_a_life_meeting_in_january(personas, branch, roster, kinds, login):
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    data = form_post(roster, kinds("life_meeting"), problem_1="会议室预约难", date="2025-01-20", held_for_year="")
    assert client.post(url, data).status_code == 302
    assert Meeting.objects.get().held_for_year == 2024
    form = client.get(url).context["form"]
    today = timezone.localdate()
    assert form.initial["held_for_year"] == (today.year - 1 if today.month <= 2 else today.year)


def test_a_posted_member_outside_the_unit_on_that_date_is_named(personas, branch, roster, kinds, login):
    newcomer = f.member_in(branch, name="新调入", start_on=datetime.date(2025, 3, 15))
    data = form_post(roster, kinds("theme_day"), **{f"att_{newcomer.pk}": "present"})
    response = login(personas.secretary_a).post(reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk}), data)
    assert "新调入 在2025-03-10不是本单位党员" in response.content.decode()


def test_a_group_leader_records_for_their_group_only(personas, login):
    org = personas.org
    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=org.group_a, role="group_leader")
    client = login(leader)
    assert client.get(reverse("meetings:meeting.create", kwargs={"unit_id": org.group_a.pk})).status_code == 200
    assert client.get(reverse("meetings:meeting.create", kwargs={"unit_id": org.branch_a.pk})).status_code == 404
    page = client.get(reverse("meetings:meeting.create", kwargs={"unit_id": org.group_a.pk})).content.decode()
    assert "党小组会" in page and "支部党员大会" not in page


# -- detail, edit, lock ---------------------------------------------------------------------


def test_the_detail_shows_counts_the_late_badge_and_entry(personas, recorded, roster, login):
    attendance = [(m, "present", "") for m in roster[:-1]] + [(roster[-1], "absent", "sick")]
    meeting = recorded(attendance=attendance, entered_at=timezone.make_aware(datetime.datetime(2025, 3, 25, 9)))
    page = login(personas.inspector).get(reverse("meetings:meeting.detail", args=[meeting.pk])).content.decode()
    assert "补录" in page
    assert "会议日期2025-03-10，录入于2025-03-25（晚15天）" in page
    assert "病假" in page
    assert "甲书记" in page  # entered by
    assert "修改" not in page.split('<nav class="tabs">')[0].split("</h1>")[1]  # inspector cannot edit


def test_the_detail_links_the_notice(personas, recorded, login):
    ordinary = recorded()
    page = login(personas.secretary_a).get(reverse("meetings:meeting.detail", args=[ordinary.pk])).content.decode()
    assert reverse("reports:notice", args=[ordinary.pk]) in page


def test_the_detail_shows_the_links_registered_by_other_apps(personas, recorded, login, monkeypatch):
    monkeypatch.setattr(registry, "_detail_links", [])
    seen = []

    @registry.register_detail_link
    def themed_only(user, meeting, kinds):
        seen.append((user, meeting, [k.code for k in kinds]))
        return (f"/elsewhere/{meeting.pk}/", "别处的页面") if meeting.topic == "有链接" else None

    registry.register_detail_link(themed_only)  # registering twice keeps one
    linked = recorded(data={"topic": "有链接"})
    plain = recorded(data={"topic": "无链接"})
    client = login(personas.secretary_a)
    page = client.get(reverse("meetings:meeting.detail", args=[linked.pk])).content.decode()
    assert f'href="/elsewhere/{linked.pk}/"' in page and "别处的页面" in page
    assert seen == [(personas.secretary_a, linked, ["theme_day"])]
    assert "别处的页面" not in client.get(reverse("meetings:meeting.detail", args=[plain.pk])).content.decode()


def test_the_detail_shows_the_notes_registered_by_other_apps(personas, recorded, login, monkeypatch):
    monkeypatch.setattr(registry, "_detail_notes", [])
    registry.register_detail_note(lambda request, meeting: None)  # nothing to say
    registry.register_detail_note(
        lambda request, meeting: format_html('<div class="note">{}：{}</div>', request.user.username, meeting.topic)
    )
    meeting = recorded(data={"topic": "有说明"})
    page = login(personas.secretary_a).get(reverse("meetings:meeting.detail", args=[meeting.pk])).content.decode()
    assert f'<div class="note">{personas.secretary_a.username}：有说明</div>' in page


def test_the_detail_links_are_shown_by_order(personas, recorded, login, monkeypatch):
    monkeypatch.setattr(registry, "_detail_links", [])
    registry.register_detail_link(lambda user, meeting, kinds: ("/late/", "后登记的"), order=5)
    registry.register_detail_link(lambda user, meeting, kinds: ("/early/", "先登记的"))
    registry.register_detail_link(order=1)(lambda user, meeting, kinds: ("/first/", "最前"))
    meeting = recorded()
    page = login(personas.secretary_a).get(reverse("meetings:meeting.detail", args=[meeting.pk])).content.decode()
    assert page.index("/first/") < page.index("/late/") < page.index("/early/")


def test_the_history_tab_shows_the_reason_of_a_locked_edit(personas, branch, roster, kinds, recorded, login):
    meeting = recorded()
    Meeting.objects.filter(pk=meeting.pk).update(entered_at=timezone.now() - datetime.timedelta(days=20))
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.edit", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'name="reason"' in page and "已锁定" in page
    data = form_post(roster, kinds("theme_day"), place="党员活动室", version=meeting.version, reason="")
    response = client.post(url, data)
    assert "修改理由：该记录录入已超过7天，已锁定" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).place == "三楼会议室"
    data["reason"] = "地点录错，据签到表更正"
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("meetings:meeting.detail", args=[meeting.pk]) + "?tab=history").content.decode()
    assert "地点录错，据签到表更正" in history
    assert "修改会议记录" in history


def test_a_stale_edit_lists_the_conflicts_and_keeps_the_input(personas, roster, kinds, recorded, login):
    meeting = recorded()
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.edit", args=[meeting.pk])
    assert client.post(url, form_post(roster, kinds("theme_day"), topic="别人的主题", version=1)).status_code == 302
    response = client.post(url, form_post(roster, kinds("theme_day"), topic="我的主题", version=1))
    assert_page_shows(response, "已被他人修改", "主题：别人的主题 → 我的主题", 'value="我的主题"')
    assert Meeting.objects.get(pk=meeting.pk).topic == "别人的主题"


def test_archive_and_restore_through_the_pages(personas, recorded, login):
    meeting = recorded()
    client = login(personas.secretary_a)
    assert client.post(reverse("meetings:meeting.archive", args=[meeting.pk]), {"reason": "重复"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).is_archived
    assert client.post(reverse("meetings:meeting.restore", args=[meeting.pk])).status_code == 302
    assert not Meeting.objects.get(pk=meeting.pk).is_archived
    assert AuditEntry.objects.for_object(meeting).filter(action="meetings.meeting.archived").exists()


# -- kinds ----------------------------------------------------------------------------------


def test_staff_add_a_kind(personas, login):
    client = login(personas.staff)
    response = client.post(
        reverse("meetings:kind.create"), {"name": "志愿服务", "code": "volunteer_service", "unit_kind": "branch"}
    )
    assert response.status_code == 302
    assert MeetingKind.objects.filter(code="volunteer_service", builtin=False).exists()
    response = client.post(reverse("meetings:kind.create"), {"name": "志愿服务", "code": "x", "unit_kind": "branch"})
    assert "名称：已有名为“志愿服务”的会议类型。" in response.content.decode()
    assert "志愿服务" in client.get(reverse("meetings:kind.list")).content.decode()


def test_others_may_not_add_kinds(personas, login):
    assert login(personas.secretary_a).post(reverse("meetings:kind.create"), {"name": "x"}).status_code == 403


# -- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "member_a"])
def test_the_list_runs_a_fixed_number_of_queries(persona, personas, roster, login, django_assert_max_num_queries):
    client = login(getattr(personas, persona))
    url = reverse("meetings:meeting.list")
    client.get(url)  # warm the session

    def add(n):
        for _i in range(n):
            m = f.MeetingFactory(unit=personas.org.branch_a, host=roster[0], kinds=["theme_day", "party_lesson"])
            for member in roster:
                f.AttendanceFactory(meeting=m, member=member)

    add(3)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    add(27)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.context["count"] == 30


def test_the_detail_runs_a_fixed_number_of_queries(personas, recorded, login, django_assert_max_num_queries):
    meeting = recorded()
    client = login(personas.staff)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("meetings:meeting.detail", args=[meeting.pk])).status_code == 200


def record_beside_a_group_meeting(personas, branch, roster, kinds, login, start, end):
    """member_a attended a 党小组学习 on 2025-03-10 from ``start`` to ``end``; secretary_a then
    records the branch's theme day of that date (the form of form_post)."""
    other = f.MeetingFactory(
        unit=personas.org.group_a,
        date=datetime.date(2025, 3, 10),
        start_time=start,
        end_time=end,
        topic="党小组学习",
        kinds=["group_meeting"],
    )
    f.AttendanceFactory(meeting=other, member=personas.members.member_a)
    client = login(personas.secretary_a)
    url = reverse("meetings:meeting.create", kwargs={"unit_id": branch.pk})
    return client.post(url, form_post(roster, kinds("theme_day")), follow=True)


def test_a_member_present_at_an_overlapping_meeting_is_named_at_saving(personas, branch, roster, kinds, login):
    response = record_beside_a_group_meeting(
        personas, branch, roster, kinds, login, datetime.time(15, 0), datetime.time(16, 30)
    )
    assert Meeting.objects.filter(topic="学习党章").exists(), "the warning does not block the record"
    page = response.content.decode()
    assert "甲党员" in page and "“党小组学习”" in page and "时间重叠" in page


def test_meetings_that_do_not_overlap_give_no_warning(personas, branch, roster, kinds, login):
    response = record_beside_a_group_meeting(
        personas, branch, roster, kinds, login, datetime.time(16, 0), datetime.time(17, 0)
    )
    assert "时间重叠" not in response.content.decode()
