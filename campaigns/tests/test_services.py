"""Services: state change and audit entry, refusals in Chinese naming the field."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import services
from campaigns.models import ReadingReflection, ReflectionStatus, TaskCompletion
from campaigns.progress import campaign_progress, load_facts, load_tasks
from campaigns.reminders import overdue_reminders
from campaigns.tests import builders as b
from common.concurrency import StaleEditError
from common.models import AuditEntry
from compliance.services import compliance_table
from meetings import services as meeting_services
from meetings.models import MeetingKind
from notifications.models import Notification
from notifications.services import run_periodic
from tests import factories as f

D = datetime.date
OTHER_TEXT = (
    "支部工作条例把党支部的职责讲得很清楚，我们支部过去在三会一课的记录上不够规范，常常只写议题不写讨论。"
    "学习之后，组织委员牵头制定了会议记录格式，每次会议记录出席、缺席原因、讨论要点和决议事项，"
    "会后三天内由书记审核签字。主题党日也固定在每月第一个星期五，党员提前知道安排，参加率明显提高。"
    "对照四强支部标准，我们在党员作用发挥方面还有差距，下一步准备设立党员示范岗，"
    "让业务骨干在窗口服务和项目推进中亮身份、作表率，并把示范岗的工作情况纳入年终民主评议。"
    "我个人也要从按时交纳党费、认真参加组织生活这些基本要求做起，做一名合格党员。"
    "支部还准备在年底前组织一次条例知识测试，检验学习效果，对掌握不牢的内容再安排集中辅导。"
)


def audit(action, obj=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


@pytest.fixture
def setup(personas):
    c = b.campaign(personas.org.committee)
    s = b.stage(c)
    book = b.book(s)
    return personas, c, s, book


def reflection_data(s, book, text=b.LONG_TEXT, title="学习体会"):
    return {"stage": s, "book": book, "title": title, "text": text}


def test_it_launches_a_campaign_with_an_audit_entry(personas):
    c = services.create_campaign(
        personas.org.committee,
        {"name": "学党章", "goal": "", "start_on": D(2025, 1, 1), "end_on": D(2025, 12, 31)},
        actor=personas.staff,
    )
    assert c.reflection_min_chars == 300
    entry = audit("campaigns.campaign.created", c).get()
    assert entry.data["changes"]["name"] == [None, "学党章"]


def test_it_refuses_a_campaign_ending_before_it_starts(personas):
    with pytest.raises(services.CampaignError) as exc:
        services.create_campaign(
            personas.org.committee, {"name": "x", "start_on": D(2025, 5, 1), "end_on": D(2025, 1, 1)}, actor=None
        )
    assert exc.value.errors["end_on"] == "结束日期：不能早于开始日期。"


def test_it_refuses_a_campaign_launched_by_a_branch(personas):
    with pytest.raises(services.CampaignError) as exc:
        services.create_campaign(
            personas.org.branch_a, {"name": "x", "start_on": D(2025, 1, 1), "end_on": D(2025, 2, 1)}, actor=None
        )
    assert exc.value.errors["unit"].startswith("发起单位：")


def test_a_stale_campaign_edit_is_refused_with_the_conflicts(setup):
    personas, c, _s, _book = setup
    services.update_campaign(c, {"name": "新名称"}, actor=personas.staff, expected_version=1)
    assert audit("campaigns.campaign.changed", c).get().data["changes"]["name"] == ["学党章、强基础、作表率", "新名称"]
    with pytest.raises(StaleEditError) as exc:
        services.update_campaign(c, {"name": "第三个名称"}, actor=personas.staff, expected_version=1)
    assert ("活动名称", "新名称", "第三个名称") in exc.value.conflicts


def test_a_stage_must_lie_within_the_campaign(setup):
    personas, c, _s, _book = setup
    with pytest.raises(services.CampaignError) as exc:
        services.create_stage(
            c, {"name": "延长", "start_on": D(2025, 11, 1), "end_on": D(2026, 1, 31)}, actor=personas.staff
        )
    assert exc.value.errors["end_on"] == "结束日期：不能晚于活动结束日期 2025-12-31。"


def test_it_refuses_a_reflection_task_for_branches(setup):
    personas, _c, s, _book = setup
    with pytest.raises(services.CampaignError) as exc:
        services.create_task(
            s,
            {"title": "写心得", "audience": "branch", "evidence": "reflection", "due_on": D(2025, 4, 1)},
            actor=personas.staff,
        )
    assert exc.value.errors["evidence"].startswith("完成方式：面向每个党支部的任务")


def test_it_creates_a_meeting_task_and_logs_it(setup):
    personas, c, s, _book = setup
    kind = MeetingKind.objects.get(code="party_lesson")
    t = services.create_task(
        s,
        {"title": "讲党课", "audience": "branch", "evidence": "meeting", "meeting_kind": kind, "due_on": D(2025, 4, 1)},
        actor=personas.staff,
    )
    assert t.meeting_kind == kind and t.order == 1
    assert audit("campaigns.task.created", c).get().data["task"] == t.pk


def test_a_branch_marks_a_document_task_done_with_its_upload(setup):
    personas, c, s, _book = setup
    t = b.task(s)
    upload = SimpleUploadedFile("计划.txt", "第一党支部学习计划".encode(), content_type="text/plain")
    done = services.complete_task(t, personas.org.branch_a, upload, actor=personas.secretary_a, note="已上报")
    assert done.file.name.endswith(".txt") and "计划" not in done.file.name
    assert len(done.sha256) == 64 and done.size == len("第一党支部学习计划".encode())
    entry = audit("campaigns.task.completed", c).get()
    assert entry.unit == personas.org.branch_a and entry.data["name"] == "计划.txt"
    with pytest.raises(services.CampaignError) as exc:
        services.complete_task(t, personas.org.branch_a, upload, actor=personas.secretary_a)
    assert "已上报完成" in str(exc.value)


def test_it_refuses_an_upload_whose_content_is_not_an_accepted_type(setup):
    personas, _c, s, _book = setup
    t = b.task(s)
    upload = SimpleUploadedFile("计划.txt", b"MZ\x90\x00\x03\x00\x00\x00", content_type="text/plain")
    with pytest.raises(services.CampaignError) as exc:
        services.complete_task(t, personas.org.branch_a, upload, actor=personas.secretary_a)
    assert exc.value.errors["file"].startswith("完成材料：文件内容不是可接受的类型")
    assert TaskCompletion.objects.count() == 0


def test_a_reflection_shorter_than_the_minimum_is_refused_with_the_count(setup):
    personas, _c, s, book = setup
    with pytest.raises(services.CampaignError) as exc:
        services.submit_reflection(
            personas.members.member_a, reflection_data(s, book, text="学习党章" * 20), actor=None
        )
    assert exc.value.errors["text"] == "正文：读书心得至少 300 字，当前 80 字，还差 220 字。"
    assert ReadingReflection.objects.count() == 0


def test_the_minimum_length_is_set_per_campaign(personas):
    c = b.campaign(personas.org.committee, min_chars=50)
    s = b.stage(c)
    r = services.submit_reflection(
        personas.members.member_a, reflection_data(s, b.book(s), text="学习党章" * 13), actor=personas.member_a
    )
    assert r.unit == personas.org.branch_a and r.status == ReflectionStatus.SUBMITTED
    entry = audit("campaigns.reflection.submitted", r).get()
    assert entry.data["chars"] == 52 and entry.unit == personas.org.branch_a


def test_a_near_copy_is_flagged_beside_its_source_and_still_saved(setup):
    personas, _c, s, book = setup
    m = personas.members
    source = services.submit_reflection(m.other_b, reflection_data(s, book), actor=None)
    copy_text = "我也谈谈体会。" + b.LONG_TEXT.replace("我要", "我将")
    copy = services.submit_reflection(m.other_a, reflection_data(s, book, text=copy_text), actor=None)
    assert copy.similar_to == source and copy.similarity >= 0.8
    assert source.similar_to is None
    assert audit("campaigns.reflection.flagged", copy).get().data["similar_to"] == source.pk


def test_a_different_reflection_is_not_flagged(setup):
    personas, _c, s, book = setup
    m = personas.members
    services.submit_reflection(m.other_b, reflection_data(s, book), actor=None)
    other = services.submit_reflection(m.other_a, reflection_data(s, book, text=OTHER_TEXT), actor=None)
    assert other.similar_to is None and not audit("campaigns.reflection.flagged").exists()


def test_the_threshold_comes_from_settings(setup, settings):
    personas, _c, s, book = setup
    settings.ZHIBU = {**settings.ZHIBU, "SIMILARITY_THRESHOLD": 0.999}
    m = personas.members
    services.submit_reflection(m.other_b, reflection_data(s, book), actor=None)
    copy = services.submit_reflection(
        m.other_a, reflection_data(s, book, text="我也谈谈体会。" + b.LONG_TEXT), actor=None
    )
    assert copy.similar_to is None


def test_comment_then_select_then_unselect_move_the_status_with_audit(setup):
    personas, _c, s, book = setup
    r = b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    services.comment_reflection(r, "结合实际，很好。", actor=personas.secretary_a)
    r.refresh_from_db()
    assert r.status == ReflectionStatus.COMMENTED and r.comments.get().author == personas.secretary_a
    assert audit("campaigns.reflection.commented", r).get().data["changes"]["status"] == ["已提交", "已点评"]
    services.select_reflection(r, actor=personas.secretary_a)
    r.refresh_from_db()
    assert r.status == ReflectionStatus.SELECTED
    with pytest.raises(services.CampaignError) as exc:
        services.select_reflection(r, actor=personas.secretary_a)
    assert exc.value.errors["status"].startswith("状态：")
    services.unselect_reflection(r, actor=personas.secretary_a)
    assert ReadingReflection.objects.get(pk=r.pk).status == ReflectionStatus.COMMENTED
    assert audit("campaigns.reflection.unselected", r).exists()


def test_an_empty_comment_is_refused(setup):
    personas, _c, s, book = setup
    r = b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    with pytest.raises(services.CampaignError) as exc:
        services.comment_reflection(r, "  ", actor=personas.secretary_a)
    assert exc.value.errors["text"] == "点评：不能为空。"


def _exchange(personas, day, kinds=("reading_exchange",)):
    m = personas.members
    return meeting_services.record_meeting(
        personas.org.branch_a,
        {"date": day, "topic": "读书心得交流会", "host": m.secretary_a, "recorder": m.other_a},
        actor=personas.secretary_a,
        kinds=list(MeetingKind.objects.filter(code__in=kinds)),
        attendance=[(m.secretary_a, "present", ""), (m.other_a, "present", ""), (m.member_a, "present", "")],
    )


def test_linking_reflections_to_the_exchange_and_the_quarter_is_met_in_compliance(setup):
    personas, _c, s, book = setup
    r = b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    meeting = _exchange(personas, D(2025, 2, 20))
    assert services.link_reflections(meeting, [r], actor=personas.secretary_a) == [r.pk]
    assert list(r.meetings.all()) == [meeting]
    entry = audit("campaigns.reflection.linked", meeting).get()
    assert entry.data["added"] == [r.pk]
    cells = compliance_table(2025, as_of=D(2025, 3, 31), units=None)
    cell = next(
        c
        for c in cells
        if c.unit_id == personas.org.branch_a.pk
        and c.rule_code == "reading_exchange"
        and c.period_start == D(2025, 1, 1)
    )
    assert cell.status == "met"
    # Linking again with nothing removes the link.
    services.link_reflections(meeting, [], actor=personas.secretary_a)
    assert not r.meetings.exists()


def test_it_refuses_to_link_to_a_meeting_that_is_not_an_exchange(setup):
    personas, _c, s, book = setup
    r = b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    meeting = _exchange(personas, D(2025, 2, 20), kinds=("theme_day",))
    with pytest.raises(services.CampaignError) as exc:
        services.link_reflections(meeting, [r], actor=personas.secretary_a)
    assert exc.value.errors["meeting"].startswith("交流会：")


def test_it_refuses_to_link_another_branchs_reflection(setup):
    personas, _c, s, book = setup
    r = b.reflection(personas.members.other_b, personas.org.branch_b, s, book)
    meeting = _exchange(personas, D(2025, 2, 20))
    with pytest.raises(services.CampaignError) as exc:
        services.link_reflections(meeting, [r], actor=personas.secretary_a)
    assert exc.value.errors["reflections"].startswith("心得：")


def test_progress_counts_meetings_uploads_and_reflections(setup):
    personas, c, s, book = setup
    lesson = b.task(s, evidence="meeting", kind="reading_exchange", title="交流")
    doc = b.task(s, title="计划")
    write = b.task(s, audience="member", evidence="reflection", title="写心得")
    _exchange(personas, D(2025, 2, 20))
    b.completion(doc, personas.org.branch_b)
    b.reflection(personas.members.member_a, personas.org.branch_a, s, book)
    data = campaign_progress(c)
    facts = data.facts
    from campaigns import rules

    a, bb = personas.org.branch_a.pk, personas.org.branch_b.pk
    today = D(2025, 3, 1)
    assert rules.branch_task_state(data.facts_by_id[lesson.pk], a, facts, today).complete
    assert not rules.branch_task_state(data.facts_by_id[lesson.pk], bb, facts, today).complete
    assert rules.branch_task_state(data.facts_by_id[doc.pk], bb, facts, today).complete
    state = rules.branch_task_state(data.facts_by_id[write.pk], a, facts, today)
    assert (state.done, state.total) == (1, 3)


@pytest.mark.parametrize("size", [2, 12])
def test_loading_progress_costs_a_fixed_number_of_queries(setup, size, django_assert_num_queries):
    personas, c, s, book = setup
    for i in range(size):
        branch = f.UnitFactory(name=f"支部{i}", parent=personas.org.committee)
        member = f.member_in(branch)
        b.reflection(member, branch, s, book)
        f.MeetingFactory(unit=branch, date=D(2025, 2, 1), kinds=["reading_exchange", "theme_day"])
        t = b.task(s, title=f"任务{i}")
        b.completion(t, branch)
    branches = [u.pk for u in c.unit.children.all()]
    with django_assert_num_queries(7):
        load_tasks(c)
        load_facts(c, branches)


def test_overdue_tasks_remind_the_branch_secretary_once(setup):
    personas, c, s, _book = setup
    b.task(s, title="上报学习计划", due=D(2025, 3, 1))
    b.completion(b.task(s, title="已完成的任务", due=D(2025, 3, 1)), personas.org.branch_a)
    today = D(2025, 4, 2)
    reminders = list(overdue_reminders(today, {u.pk: u for u in (personas.org.branch_a, personas.org.branch_b)}))
    titles = {(r.unit_id, r.title) for r in reminders}
    assert (
        personas.org.branch_a.pk,
        "第一党支部：“学党章、强基础、作表率”任务“上报学习计划”已过期限（2025-03-01）",
    ) in titles
    assert not any("已完成的任务" in t and u == personas.org.branch_a.pk for u, t in titles)
    run_periodic(today)
    run_periodic(today)
    mine = Notification.objects.filter(user=personas.secretary_a, topic="campaigns.task_overdue")
    assert mine.filter(title__contains="上报学习计划").count() == 1


def test_no_reminders_before_the_due_date(setup):
    personas, _c, s, _book = setup
    b.task(s, due=D(2025, 3, 1))
    assert list(overdue_reminders(D(2025, 3, 1), {personas.org.branch_a.pk: personas.org.branch_a})) == []


def test_a_member_outside_any_branch_cannot_submit(setup):
    personas, _c, s, book = setup
    loner = f.MemberFactory()
    with pytest.raises(services.CampaignError) as exc:
        services.submit_reflection(loner, reflection_data(s, book), actor=None, today=timezone.localdate())
    assert "当前不在任何党支部" in exc.value.errors["__all__"]
