"""Services: each change is refused with a Chinese message naming the field, or stored with its
audit entry."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.concurrency import StaleEditError
from common.models import AuditEntry
from lifemeetings import services
from lifemeetings.models import CriticismEntry, HeartTalk, MaterialStatus, PersonalProblem, ReviewMaterial
from tests import factories as f


def last_entry(obj):
    return AuditEntry.objects.for_object(obj).order_by("-id").first()


# --- talks -------------------------------------------------------------------------------------


def test_record_talk_stores_the_talk_and_its_audit_entry(pkg, personas, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.secretary_a)
    assert HeartTalk.objects.get() == talk
    assert talk.recorded_by == personas.secretary_a
    entry = last_entry(talk)
    assert entry.action == "lifemeetings.talk.created"
    assert entry.unit == pkg.unit
    assert entry.data["changes"]["counterpart"] == [None, "甲党员"]


def test_it_refuses_a_talk_with_someone_outside_the_branch(pkg, personas, talk_data):
    with pytest.raises(services.LifeMeetingError) as exc:
        services.record_talk(pkg.unit, talk_data(counterpart=personas.members.other_b), actor=personas.staff)
    assert exc.value.errors == {"counterpart": "谈话对象：须是本支部党员。"}
    assert not HeartTalk.objects.exists()
    assert not AuditEntry.objects.filter(action="lifemeetings.talk.created").exists()


def test_it_refuses_a_talk_for_a_group_instead_of_a_branch(pkg, personas, talk_data):
    with pytest.raises(services.LifeMeetingError) as exc:
        services.record_talk(personas.org.group_a, talk_data(), actor=personas.staff)
    assert "党支部" in exc.value.errors["unit"]


def test_update_talk_records_the_changes(pkg, personas, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    services.update_talk(talk, {"summary": "谈了学习计划。"}, actor=personas.secretary_a, expected_version=1)
    talk.refresh_from_db()
    assert talk.summary == "谈了学习计划。" and talk.version == 2
    entry = last_entry(talk)
    assert entry.action == "lifemeetings.talk.changed"
    assert entry.data["changes"] == {"summary": ["交流思想和工作情况。", "谈了学习计划。"]}


def test_a_stale_talk_edit_is_refused_and_changes_nothing(pkg, personas, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    services.update_talk(talk, {"summary": "第一次修改。"}, actor=personas.staff, expected_version=1)
    stale = HeartTalk.objects.get(pk=talk.pk)
    stale.version = 1
    with pytest.raises(StaleEditError) as exc:
        services.update_talk(stale, {"summary": "基于旧版本的修改。"}, actor=personas.staff, expected_version=1)
    assert exc.value.conflicts == [("谈话要点", "第一次修改。", "基于旧版本的修改。")]
    assert HeartTalk.objects.get(pk=talk.pk).summary == "第一次修改。"


def test_an_archived_talk_no_longer_covers_its_pair_until_restored(pkg, personas, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    assert services.talk_coverage(pkg.unit, pkg.year).coverage.is_done(pkg.secretary.pk, pkg.plain[0].pk)
    services.archive_talk(talk, actor=personas.staff)
    assert last_entry(talk).action == "lifemeetings.talk.archived"
    assert not services.talk_coverage(pkg.unit, pkg.year).coverage.is_done(pkg.secretary.pk, pkg.plain[0].pk)
    services.restore_talk(talk, actor=personas.staff)
    assert last_entry(talk).action == "lifemeetings.talk.restored"
    assert services.talk_coverage(pkg.unit, pkg.year).coverage.is_done(pkg.secretary.pk, pkg.plain[0].pk)


def test_coverage_uses_the_current_committee_and_the_branch_roster(pkg, personas, talk_data):
    services.record_talk(pkg.unit, talk_data(initiator=pkg.deputy, counterpart=pkg.secretary), actor=personas.staff)
    services.record_talk(pkg.unit, talk_data(initiator=pkg.plain[0], counterpart=pkg.organiser), actor=personas.staff)
    view = services.talk_coverage(pkg.unit, pkg.year)
    # 3 committee members, 7 people: 3 committee pairs + 3 × 4 committee–member pairs
    assert len(view.coverage.required) == 15
    assert len(view.coverage.done) == 2
    assert {m.pk for m in view.committee} == {m.pk for m in pkg.committee}
    assert personas.members.other_b.pk not in {m.pk for m in view.members}


# --- materials ---------------------------------------------------------------------------------


def test_only_a_committee_member_has_a_review_material(pkg, personas):
    with pytest.raises(services.LifeMeetingError) as exc:
        services.create_material(pkg.unit, pkg.year, pkg.plain[0], {"text": "x"}, actor=personas.staff)
    assert exc.value.errors["member"] == "支委：甲党员 不是本支部该年度的支委会成员。"


def test_a_material_is_drafted_submitted_returned_with_audit(pkg, personas):
    material = services.create_material(pkg.unit, pkg.year, pkg.deputy, {"text": "对照检查。"}, actor=personas.staff)
    assert last_entry(material).action == "lifemeetings.material.created"
    services.update_material(material, {"text": "对照检查，查摆问题。"}, actor=personas.staff, expected_version=1)
    assert last_entry(material).data["changes"]["text"] == ["对照检查。", "对照检查，查摆问题。"]
    services.submit_material(material, actor=personas.secretary_a)
    material.refresh_from_db()
    assert material.status == MaterialStatus.SUBMITTED and material.submitted_at is not None
    assert last_entry(material).data["changes"]["status"] == ["草稿", "已提交"]
    with pytest.raises(services.LifeMeetingError):
        services.update_material(material, {"text": "再改"}, actor=personas.staff, expected_version=2)
    with pytest.raises(services.LifeMeetingError) as exc:
        services.return_material(material, "  ", actor=personas.staff)
    assert exc.value.errors == {"reason": "退回理由：请填写。"}
    services.return_material(material, "根源剖析不够深入。", actor=personas.staff)
    material.refresh_from_db()
    assert material.status == MaterialStatus.DRAFT and material.return_reason == "根源剖析不够深入。"
    entry = last_entry(material)
    assert entry.action == "lifemeetings.material.returned" and entry.data["reason"] == "根源剖析不够深入。"


def test_it_refuses_to_submit_an_empty_material(pkg, personas):
    material = services.create_material(pkg.unit, pkg.year, pkg.deputy, {}, actor=personas.staff)
    with pytest.raises(services.LifeMeetingError) as exc:
        services.submit_material(material, actor=personas.staff)
    assert exc.value.errors == {"text": "材料正文：提交前请填写材料正文或上传附件。"}
    assert ReviewMaterial.objects.get().status == MaterialStatus.DRAFT


def test_an_attachment_is_judged_by_content_and_kept_with_its_checksum(pkg, personas):
    material = services.create_material(pkg.unit, pkg.year, pkg.deputy, {}, actor=personas.staff)
    disguised = SimpleUploadedFile("材料.pdf", "其实是文本".encode(), content_type="application/pdf")
    with pytest.raises(services.LifeMeetingError) as exc:
        services.add_material_attachment(material, disguised, actor=personas.staff)
    assert exc.value.errors["file"] == "附件：文件内容是文本，与文件名“材料.pdf”不符。"
    upload = SimpleUploadedFile("材料.txt", "对照检查材料".encode(), content_type="text/plain")
    attachment = services.add_material_attachment(material, upload, actor=personas.staff)
    assert attachment.original_name == "材料.txt" and len(attachment.sha256) == 64
    assert "材料" not in attachment.file.name
    assert last_entry(material).action == "lifemeetings.material.attachment_added"
    # An attachment alone is enough to submit.
    services.submit_material(material, actor=personas.staff)


# --- at the meeting ----------------------------------------------------------------------------


def test_criticism_entries_are_recorded_with_audit(pkg, personas):
    own = services.record_criticism(
        pkg.meeting, {"subject": pkg.deputy, "kind": "self", "text": "学习不够。"}, actor=personas.secretary_a
    )
    other = services.record_criticism(
        pkg.meeting,
        {"subject": pkg.deputy, "kind": "received", "by_member": pkg.plain[1], "text": "调研不够。"},
        actor=personas.secretary_a,
    )
    assert CriticismEntry.objects.count() == 2
    assert own.by_member is None and other.by_member == pkg.plain[1]
    assert last_entry(other).action == "lifemeetings.criticism.created"
    assert last_entry(other).data["changes"]["kind"] == [None, "相互批评"]


def test_it_refuses_received_criticism_without_who_said_it(pkg, personas):
    with pytest.raises(services.LifeMeetingError) as exc:
        services.record_criticism(
            pkg.meeting, {"subject": pkg.deputy, "kind": "received", "text": "意见"}, actor=personas.staff
        )
    assert exc.value.errors == {"by_member": "提出人：相互批评须填写提出人。"}


def test_it_refuses_entries_on_a_meeting_that_is_not_a_life_meeting(pkg, personas):
    theme_day = f.MeetingFactory(unit=pkg.unit, date=datetime.date(2025, 12, 1), kinds=["theme_day"])
    with pytest.raises(services.LifeMeetingError) as exc:
        services.record_problem(
            theme_day, {"member": pkg.deputy, "category": "work", "problem": "x"}, actor=personas.staff
        )
    assert "组织生活会" in exc.value.errors["__all__"]


def test_problems_are_recorded_and_edited_with_version(pkg, personas):
    problem = services.record_problem(
        pkg.meeting,
        {"member": pkg.deputy, "category": "style", "problem": "调研不够。", "root_cause": "群众观念淡化。"},
        actor=personas.secretary_a,
    )
    assert last_entry(problem).action == "lifemeetings.problem.created"
    services.update_problem(problem, {"measure": "每季度调研一次。"}, actor=personas.staff, expected_version=1)
    assert last_entry(problem).data["changes"] == {"measure": ["", "每季度调研一次。"]}
    with pytest.raises(StaleEditError):
        services.update_problem(problem, {"measure": "旧版本"}, actor=personas.staff, expected_version=1)


# --- raising rectification items ---------------------------------------------------------------


@pytest.fixture
def problem(pkg, personas):
    return services.record_problem(
        pkg.meeting,
        {
            "member": pkg.deputy,
            "category": "work",
            "problem": "党建与业务融合不够。",
            "root_cause": "一岗双责意识不强。",
        },
        actor=personas.secretary_a,
    )


def test_raising_opens_one_item_for_the_member_and_links_it(problem, pkg, personas):
    from rectification.models import Rectification

    deadline = timezone.localdate() + datetime.timedelta(days=30)
    _p, item_id, created = services.raise_item(
        problem, {"deadline": deadline, "measure": "设立党员示范岗。"}, actor=personas.secretary_a
    )
    assert created
    item = Rectification.objects.get()
    assert item.pk == item_id
    assert (item.source, item.unit, item.member, item.responsible) == ("life_meeting", pkg.unit, pkg.deputy, pkg.deputy)
    assert item.deadline == deadline and item.measure == "设立党员示范岗。" and item.category == "work"
    assert item.origin == problem
    problem.refresh_from_db()
    assert problem.rectification_id == item.pk and problem.raised_at is not None
    entry = last_entry(problem)
    assert entry.action == "lifemeetings.problem.raised" and entry.data["rectification"] == item.pk


def test_raising_twice_opens_nothing_more(problem, personas):
    from rectification.models import Rectification

    data = {"deadline": timezone.localdate() + datetime.timedelta(days=30), "measure": "措施"}
    services.raise_item(problem, data, actor=personas.staff)
    again = PersonalProblem.objects.get(pk=problem.pk)
    _p, item_id, created = services.raise_item(again, data, actor=personas.staff)
    # A stale copy that does not know about the link is not fooled either.
    stale = PersonalProblem.objects.get(pk=problem.pk)
    stale.rectification_id = None
    services.raise_item(stale, data, actor=personas.staff)
    assert not created
    assert Rectification.objects.count() == 1 and item_id == Rectification.objects.get().pk
    assert AuditEntry.objects.filter(action="lifemeetings.problem.raised").count() == 1


def test_it_refuses_to_raise_without_a_deadline_or_with_a_past_one(problem, personas):
    from rectification.models import Rectification

    with pytest.raises(services.LifeMeetingError) as exc:
        services.raise_item(problem, {"measure": "措施"}, actor=personas.staff)
    assert exc.value.errors == {"deadline": "完成时限：请填写。"}
    with pytest.raises(services.LifeMeetingError) as exc:
        services.raise_item(
            problem,
            {"deadline": timezone.localdate() - datetime.timedelta(days=1), "measure": "措施"},
            actor=personas.staff,
        )
    assert exc.value.errors == {"deadline": "完成时限：不能早于今天。"}
    assert not Rectification.objects.exists()


def test_a_raised_problem_cannot_be_archived_or_moved_to_another_person(problem, pkg, personas):
    services.raise_item(
        problem, {"deadline": timezone.localdate() + datetime.timedelta(days=9), "measure": "m"}, actor=personas.staff
    )
    problem.refresh_from_db()
    with pytest.raises(services.LifeMeetingError):
        services.archive_problem(problem, actor=personas.staff)
    with pytest.raises(services.LifeMeetingError) as exc:
        services.update_problem(
            problem, {"member": pkg.organiser}, actor=personas.staff, expected_version=problem.version
        )
    assert "member" in exc.value.errors


def test_the_package_lists_the_life_meetings_held_for_its_year(pkg, personas):
    """One 年度 per 组织生活会: the value stored on the record, not the date's window."""
    org = personas.org
    for_2025 = f.MeetingFactory(unit=org.branch_a, date=datetime.date(2026, 1, 20), kinds=["life_meeting"])
    for_2025.held_for_year = 2025
    for_2025.save()
    for_2026 = f.MeetingFactory(unit=org.branch_a, date=datetime.date(2026, 1, 25), kinds=["life_meeting"])
    for_2026.held_for_year = 2026
    for_2026.save()
    assert list(services.life_meetings(org.branch_a, 2025)) == [pkg.meeting, for_2025]
    assert list(services.life_meetings(org.branch_a, 2026)) == [for_2026]
