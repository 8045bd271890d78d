"""Item services: state change, history row and audit entry for each; refusals name the field."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.concurrency import StaleEditError
from common.models import AuditEntry
from rectification import services
from rectification.models import Rectification, RectificationStatusChange, Status
from tests import factories as f


def entries(obj, action):
    return list(AuditEntry.objects.for_object(obj).filter(action=action))


def test_open_item_stores_the_item_its_origin_first_history_row_and_audit(personas):
    meeting = f.MeetingFactory(unit=personas.org.branch_a, kinds=["life_meeting"])
    item = services.open_item(
        unit=personas.org.branch_a,
        source="life_meeting",
        problem="  批评和自我批评不够深入  ",
        measure="会后逐条整改",
        responsible=personas.members.secretary_a,
        member=personas.members.other_a,
        deadline=datetime.date(2026, 9, 1),
        origin=meeting,
        category="style",
        actor=personas.secretary_a,
    )
    item.refresh_from_db()
    assert item.status == Status.OPEN and item.problem == "批评和自我批评不够深入"
    assert item.origin == meeting and item.created_by == personas.secretary_a
    assert list(item.status_changes.values_list("from_status", "to_status")) == [("", "open")]
    (entry,) = entries(item, "rectification.item.created")
    assert entry.unit == personas.org.branch_a
    assert entry.data["changes"]["source"] == [None, "组织生活会"]
    assert entry.data["changes"]["category"] == [None, "作风"]
    assert entry.data["origin"]["id"] == meeting.pk


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"problem": " "}, "problem", "问题：不能为空。"),
        ({"source": "rumour"}, "source", "问题来源：请选择组织生活会、督查、民主评议、考核或其他。"),
        ({"category": "mood"}, "category", "问题类别：请选择思想、工作、作风、纪律或其他。"),
    ],
)
def test_open_item_refuses_bad_fields_naming_them(personas, kwargs, field, message):
    data = {"unit": personas.org.branch_a, "source": "other", "problem": "问题", "actor": personas.staff, **kwargs}
    with pytest.raises(services.RectificationError) as exc:
        services.open_item(**data)
    assert exc.value.errors[field] == message
    assert not Rectification.objects.exists()


def test_open_item_refuses_a_unit_that_is_not_a_branch(personas):
    with pytest.raises(services.RectificationError) as exc:
        services.open_item(unit=personas.org.group_a, source="other", problem="问题", actor=personas.staff)
    assert exc.value.errors["unit"] == "党支部：整改事项须属于一个党支部。"


def test_update_item_saves_with_the_version_and_logs_the_changes(item, personas):
    services.update_item(
        item,
        {"measure": "补齐并每月检查", "deadline": datetime.date(2026, 7, 31)},
        actor=personas.secretary_a,
        expected_version=1,
    )
    item.refresh_from_db()
    assert item.version == 2 and item.measure == "补齐并每月检查"
    (entry,) = entries(item, "rectification.item.changed")
    assert entry.data["changes"] == {
        "measure": ["补齐学习记录", "补齐并每月检查"],
        "deadline": ["2026-06-30", "2026-07-31"],
    }


def test_update_item_refuses_a_stale_form_and_writes_nothing(item, personas):
    services.update_item(item, {"measure": "甲的修改"}, actor=personas.staff, expected_version=1)
    stale = Rectification.objects.get(pk=item.pk)
    stale.version = 1
    with pytest.raises(StaleEditError) as exc:
        services.update_item(stale, {"measure": "乙的修改"}, actor=personas.secretary_a, expected_version=1)
    assert ("整改措施", "甲的修改", "乙的修改") in exc.value.conflicts
    assert Rectification.objects.get(pk=item.pk).measure == "甲的修改"
    assert len(entries(item, "rectification.item.changed")) == 1


def test_a_verified_item_is_not_edited(item, personas):
    services.move_item(item, "start", actor=personas.member_a)
    services.move_item(item, "submit", actor=personas.member_a, note="已补齐")
    services.move_item(item, "verify", actor=personas.inspector)
    with pytest.raises(services.RectificationError) as exc:
        services.update_item(item, {"measure": "x"}, actor=personas.staff, expected_version=item.version)
    assert "已验收销号" in exc.value.errors["__all__"]


def test_the_whole_pipeline_writes_history_and_audit_for_each_move(item, personas):
    services.move_item(item, "start", actor=personas.member_a)
    services.move_item(item, "submit", actor=personas.member_a, note="已补齐三个月的学习记录")
    assert item.status == Status.SUBMITTED and item.submitted_by == personas.member_a
    services.move_item(item, "return", actor=personas.inspector, note="缺少三月记录")
    services.move_item(item, "submit", actor=personas.secretary_a, note="已补三月记录")
    services.move_item(item, "verify", actor=personas.inspector)
    item.refresh_from_db()
    assert item.status == Status.VERIFIED and item.verified_by == personas.inspector
    assert item.evidence == "已补三月记录" and item.submitted_by == personas.secretary_a
    history = list(item.status_changes.values_list("from_status", "to_status", "note"))
    assert history == [
        ("", "open", ""),
        ("open", "in_progress", ""),
        ("in_progress", "submitted", "已补齐三个月的学习记录"),
        ("submitted", "in_progress", "缺少三月记录"),
        ("in_progress", "submitted", "已补三月记录"),
        ("submitted", "verified", ""),
    ]
    actions = [e.action for e in AuditEntry.objects.for_object(item).order_by("id")]
    assert actions == [
        "rectification.item.created",
        "rectification.item.started",
        "rectification.item.submitted",
        "rectification.item.returned",
        "rectification.item.submitted",
        "rectification.item.verified",
    ]
    (returned,) = entries(item, "rectification.item.returned")
    assert returned.data["reason"] == "缺少三月记录"
    assert returned.data["changes"]["status"] == ["待验收", "整改中"]


def test_the_submitter_cannot_verify_and_nothing_changes(item, personas):
    services.move_item(item, "start", actor=personas.secretary_a)
    services.move_item(item, "submit", actor=personas.secretary_a, note="已整改")
    with pytest.raises(services.RectificationError) as exc:
        services.move_item(item, "verify", actor=personas.secretary_a)
    assert "不能验收或退回自己提交的整改" in exc.value.errors["__all__"]
    assert Rectification.objects.get(pk=item.pk).status == Status.SUBMITTED
    assert not entries(item, "rectification.item.verified")


def test_a_move_out_of_order_is_refused(item, personas):
    with pytest.raises(services.RectificationError) as exc:
        services.move_item(item, "verify", actor=personas.inspector)
    assert "只能从“待验收”进行" in str(exc.value)
    assert RectificationStatusChange.objects.filter(item=item).count() == 1


def test_archive_and_restore_are_logged_and_block_moves(item, personas):
    services.archive_item(item, actor=personas.staff, reason="重复立项")
    item.refresh_from_db()
    assert item.is_archived
    assert entries(item, "rectification.item.archived")[0].data == {"reason": "重复立项"}
    with pytest.raises(services.RectificationError):
        services.move_item(item, "start", actor=personas.staff)
    services.restore_item(item, actor=personas.staff)
    item.refresh_from_db()
    assert not item.is_archived and len(entries(item, "rectification.item.restored")) == 1


def test_evidence_is_kept_by_content_under_a_generated_name(item, personas):
    upload = SimpleUploadedFile("../../整改报告.txt", "整改完成".encode(), content_type="application/x-evil")
    evidence = services.add_evidence(item, upload, actor=personas.member_a)
    assert evidence.original_name == "整改报告.txt"
    assert evidence.content_type.startswith("text/plain")
    assert "整改报告" not in evidence.file.name and evidence.file.name.endswith(".txt")
    assert len(evidence.sha256) == 64 and evidence.size == len("整改完成".encode())
    (entry,) = entries(item, "rectification.evidence.added")
    assert entry.data["sha256"] == evidence.sha256


def test_evidence_refuses_a_disguised_or_too_large_file(item, personas, settings):
    with pytest.raises(services.RectificationError) as exc:
        services.add_evidence(item, SimpleUploadedFile("照片.png", b"plain text"), actor=personas.staff)
    assert exc.value.errors["file"] == "佐证材料：文件内容是文本，与文件名“照片.png”不符。"
    settings.ZHIBU = {**settings.ZHIBU, "ATTACHMENT_MAX_BYTES": 10}
    with pytest.raises(services.RectificationError) as exc:
        services.add_evidence(item, SimpleUploadedFile("a.txt", b"x" * 11), actor=personas.staff)
    assert "超过大小上限" in exc.value.errors["file"]
    assert not item.evidence_files.exists()
