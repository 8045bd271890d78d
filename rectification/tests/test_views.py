"""Ledger and item pages by persona: content, forms, moves, files, wrong methods, query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from common.models import AuditEntry
from rectification import services
from rectification.models import Rectification, Status
from tests import factories as f


def _open(personas, **kwargs):
    data = {"unit": personas.org.branch_a, "source": "inspection", "problem": "问题", "actor": personas.staff}
    return services.open_item(**{**data, **kwargs})


WRONG_METHODS = [
    ("rectification:item.list", "post", {}),
    ("rectification:item.export", "post", {}),
    ("rectification:item.create", "put", {}),
    ("rectification:item.detail", "post", {"pk": 0}),
    ("rectification:item.edit", "delete", {"pk": 0}),
    ("rectification:item.move", "get", {"pk": 0}),
    ("rectification:item.archive", "get", {"pk": 0}),
    ("rectification:item.restore", "get", {"pk": 0}),
    ("rectification:evidence.upload", "get", {"pk": 0}),
    ("rectification:evidence.download", "post", {"pk": 0}),
    ("rectification:round.list", "post", {}),
    ("rectification:round.create", "put", {}),
    ("rectification:round.detail", "post", {"pk": 0}),
    ("rectification:round.open", "get", {"pk": 0}),
    ("rectification:round.decide", "put", {"pk": 0}),
    ("rectification:round.self", "put", {"pk": 0}),
    ("rectification:round.vote", "put", {"pk": 0}),
    ("rectification:round.archive", "get", {"pk": 0}),
    ("rectification:round.restore", "get", {"pk": 0}),
]


@pytest.mark.parametrize(("name", "method", "kwargs"), WRONG_METHODS)
def test_a_wrong_method_answers_405(name, method, kwargs, personas, login):
    client = login(personas.staff)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405


def test_the_ledger_shows_closure_rate_and_overdue_count(personas, login):
    today = datetime.date.today()
    done = _open(personas, problem="已完成的问题")
    services.move_item(done, "start", actor=personas.staff)
    services.move_item(done, "submit", actor=personas.staff, note="完成")
    services.move_item(done, "verify", actor=personas.inspector)
    _open(personas, problem="逾期的问题", deadline=today - datetime.timedelta(days=3))
    _open(personas, problem="乙支部的问题", unit=personas.org.branch_b)
    archived = _open(personas, problem="归档的问题")
    services.archive_item(archived, actor=personas.staff)
    page = login(personas.staff).get(reverse("rectification:item.list"))
    assert page.context["stats"] == {"total": 3, "verified": 1, "overdue": 1, "rate": pytest.approx(1 / 3)}
    html = page.content.decode()
    assert "33%" in html and "逾期的问题" in html and "归档的问题" not in html
    assert [b["unit__name"] for b in page.context["by_branch"]] == ["第一党支部", "第二党支部"]


def test_the_ledger_filters(personas, login):
    today = datetime.date.today()
    _open(personas, problem="甲的逾期问题", deadline=today - datetime.timedelta(days=1))
    _open(personas, problem="甲的考核问题", source="assessment", responsible=personas.members.other_a)
    _open(personas, problem="乙的问题", unit=personas.org.branch_b)
    client = login(personas.staff)
    url = reverse("rectification:item.list")

    def problems(**params):
        return sorted(i.problem for i in client.get(url, params).context["page"].object_list)

    assert problems(overdue="on") == ["甲的逾期问题"]
    assert problems(source="assessment") == ["甲的考核问题"]
    assert problems(unit=personas.org.branch_b.pk) == ["乙的问题"]
    assert problems(responsible="甲同事") == ["甲的考核问题"]
    assert problems(status="open", year=today.year) == ["乙的问题", "甲的考核问题", "甲的逾期问题"]
    assert problems(year=2001) == []


def test_the_branch_ledger_shows_that_branch_only_and_a_foreign_unit_filter_is_404(personas, login):
    _open(personas, problem="甲的问题")
    _open(personas, problem="乙的问题", unit=personas.org.branch_b)
    client = login(personas.secretary_a)
    page = client.get(reverse("rectification:item.branch", args=[personas.org.branch_a.pk]))
    assert [i.problem for i in page.context["page"].object_list] == ["甲的问题"]
    assert client.get(reverse("rectification:item.list"), {"unit": personas.org.branch_b.pk}).status_code == 404


def test_a_member_sees_only_the_items_they_answer_for(personas, login):
    _open(personas, problem="我的问题", responsible=personas.members.member_a)
    _open(personas, problem="涉及我的问题", member=personas.members.member_a)
    _open(personas, problem="别人的问题", responsible=personas.members.other_a)
    page = login(personas.member_a).get(reverse("rectification:item.list"))
    assert sorted(i.problem for i in page.context["page"].object_list) == ["我的问题", "涉及我的问题"]
    assert not page.context["can_create"] and not page.context["can_export"]


@pytest.mark.parametrize("persona", ["staff", "member_a"])
def test_the_ledger_runs_a_fixed_number_of_queries(persona, personas, login):
    client = login(getattr(personas, persona))
    url = reverse("rectification:item.list")
    client.get(url)

    def add(n):
        for i in range(n):
            _open(
                personas,
                problem=f"问题{i}",
                responsible=personas.members.member_a,
                member=personas.members.other_a,
                deadline=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            )

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.context["count"] == 30
    assert len(large) == len(small) <= 12


def test_create_round_trip_and_a_missing_problem_is_named(personas, login):
    client = login(personas.secretary_a)
    url = reverse("rectification:item.create", kwargs={"unit_id": personas.org.branch_a.pk})
    page = client.post(url, {"source": "life_meeting", "problem": "", "measure": "措施"})
    assert page.status_code == 200
    assert "问题：不能为空。" in page.content.decode()
    assert 'name="measure"' in page.content.decode() and "措施" in page.content.decode()
    response = client.post(
        url,
        {
            "source": "life_meeting",
            "category": "work",
            "problem": "党建与业务融合不够",
            "measure": "设立党员示范岗",
            "responsible": personas.members.other_a.pk,
            "deadline": "2026-09-30",
        },
    )
    item = Rectification.objects.get()
    assert response.status_code == 302 and response.url == reverse("rectification:item.detail", args=[item.pk])
    assert item.responsible == personas.members.other_a and item.created_by == personas.secretary_a


def test_the_create_form_offers_only_the_branchs_members(personas, login):
    page = login(personas.secretary_a).get(
        reverse("rectification:item.create", kwargs={"unit_id": personas.org.branch_a.pk})
    )
    names = {m.name for m in page.context["form"].fields["responsible"].queryset}
    assert names == {"甲书记", "甲党员", "甲同事"}


def test_the_edit_form_shows_the_deadline_in_the_date_fields_iso_format(personas, login):
    # A date input only shows (and posts back) a value written as YYYY-MM-DD; the zh-hans default
    # format 2026/03/31 would show an empty field and clear the deadline on save.
    item = _open(personas, deadline=datetime.date(2026, 3, 31))
    page = login(personas.staff).get(reverse("rectification:item.edit", args=[item.pk]))
    assert 'value="2026-03-31"' in page.content.decode()


def test_a_stale_edit_keeps_the_input_and_lists_the_conflict(personas, login):
    item = _open(personas, measure="原措施")
    services.update_item(item, {"measure": "别人改的"}, actor=personas.staff, expected_version=1)
    page = login(personas.secretary_a).post(
        reverse("rectification:item.edit", args=[item.pk]),
        {"source": "inspection", "problem": "问题", "measure": "我改的", "version": 1},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "整改措施：别人改的 → 我改的" in html
    assert Rectification.objects.get(pk=item.pk).measure == "别人改的"


def test_the_detail_shows_history_origin_and_only_the_moves_the_user_may_make(personas, login):
    meeting = f.MeetingFactory(unit=personas.org.branch_a, kinds=["life_meeting"], topic="2025年度组织生活会")
    item = _open(personas, source="life_meeting", origin=meeting, responsible=personas.members.member_a)
    services.move_item(item, "start", actor=personas.member_a)
    page = login(personas.member_a).get(reverse("rectification:item.detail", args=[item.pk]))
    assert [m["code"] for m in page.context["moves"]] == ["submit"]
    assert page.context["origin"] == (str(meeting), reverse("meetings:meeting.detail", args=[meeting.pk]))
    assert [(c.from_status, c.to_status) for c in page.context["changes"]] == [("", "open"), ("open", "in_progress")]
    history = login(personas.staff).get(reverse("rectification:item.detail", args=[item.pk]), {"tab": "history"})
    assert "开始整改" in history.content.decode()


def test_moves_by_persona(personas, login):
    client = login(personas.secretary_a)
    inspection = _open(personas)
    life = _open(personas, source="life_meeting")
    for item in (inspection, life):
        services.move_item(item, "start", actor=personas.staff)
        services.move_item(item, "submit", actor=personas.staff, note="完成")
    move = reverse("rectification:item.move", args=[inspection.pk])
    # The secretary verifies only 组织生活会 / 民主评议 items.
    assert client.post(move, {"move": "verify"}).status_code == 403
    assert client.post(reverse("rectification:item.move", args=[life.pk]), {"move": "verify"}).status_code == 302
    assert Rectification.objects.get(pk=life.pk).status == Status.VERIFIED
    # The submitter (staff) may not verify; the inspector may, and a send-back needs a reason.
    staff = login(personas.staff)
    assert staff.post(move, {"move": "verify"}).status_code == 403
    inspector = login(personas.inspector)
    inspector.post(move, {"move": "return", "note": ""})
    assert Rectification.objects.get(pk=inspection.pk).status == Status.SUBMITTED
    response = inspector.post(move, {"move": "return", "note": "材料不全"}, follow=True)
    assert "已退回整改" in response.content.decode()
    assert Rectification.objects.get(pk=inspection.pk).status == Status.IN_PROGRESS


def test_a_submission_without_evidence_shows_the_message(personas, login):
    item = _open(personas, responsible=personas.members.member_a)
    client = login(personas.member_a)
    move = reverse("rectification:item.move", args=[item.pk])
    client.post(move, {"move": "start"})
    page = client.post(move, {"move": "submit", "note": " "}, follow=True)
    assert "整改情况：提交验收须写明整改情况。" in page.content.decode()
    assert Rectification.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_evidence_upload_and_download(personas, login):
    item = _open(personas, responsible=personas.members.member_a)
    client = login(personas.member_a)
    upload = SimpleUploadedFile("整改说明.txt", "已完成整改".encode())
    client.post(reverse("rectification:evidence.upload", args=[item.pk]), {"file": upload})
    evidence = item.evidence_files.get()
    response = client.get(reverse("rectification:evidence.download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "已完成整改".encode()
    assert "attachment;" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    assert (
        login(personas.secretary_b).get(reverse("rectification:evidence.download", args=[evidence.pk])).status_code
        == 404
    )


def test_archive_and_restore_pages(personas, login):
    item = _open(personas)
    client = login(personas.secretary_a)
    client.post(reverse("rectification:item.archive", args=[item.pk]), {"reason": "重复"})
    assert Rectification.objects.get(pk=item.pk).is_archived
    client.post(reverse("rectification:item.restore", args=[item.pk]))
    assert not Rectification.objects.get(pk=item.pk).is_archived


# --- export -----------------------------------------------------------------------------------


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_the_export_carries_exporter_time_filters_rows_and_an_audit_entry(personas, login):
    personas.members.other_a.phone = "13912345678"
    personas.members.other_a.save()
    _open(personas, problem='=HYPERLINK("http://x","点我")', responsible=personas.members.other_a)
    _open(personas, problem="乙的问题", unit=personas.org.branch_b)
    client = login(personas.staff)
    response = client.get(reverse("rectification:item.export"), {"unit": personas.org.branch_a.pk})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = _sheet(response)
    assert ws["A1"].value == "整改台账"
    assert ws["A2"].value.startswith("导出人：党群办　导出时间：")
    assert ws["A3"].value == "筛选条件：党支部：第一党支部"
    header = [c.value for c in ws[5]]
    assert header[:3] == ["序号", "党支部", "问题来源"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6)]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["问题"] == '=HYPERLINK("http://x","点我")' and ws.cell(row=6, column=5).data_type == "s"
    assert row["责任人"] == "甲同事" and row["联系电话"] == "139****5678"
    assert b"13912345678" not in response.content
    entry = AuditEntry.objects.get(action="rectification.ledger.exported")
    assert entry.actor == personas.staff and entry.data["count"] == 1
    assert entry.data["filters"] == {"党支部": "第一党支部"}


def test_the_secretary_exports_only_their_branch(personas, login):
    _open(personas, problem="甲的问题")
    _open(personas, problem="乙的问题", unit=personas.org.branch_b)
    ws = _sheet(login(personas.secretary_a).get(reverse("rectification:item.export")))
    problems = [r[4].value for r in ws.iter_rows(min_row=6)]
    assert problems == ["甲的问题"]


def test_an_item_raised_from_an_inspection_finding_links_back_to_it(personas, login):
    import datetime

    from inspections.tests.access import make_finding
    from rectification.services import open_item

    finding = make_finding(personas)
    item = open_item(
        unit=finding.unit,
        source="inspection",
        problem="纪要内容过于简单",
        actor=personas.inspector,
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        origin=finding,
    )
    page = login(personas.staff).get(reverse("rectification:item.detail", kwargs={"pk": item.pk})).content.decode()
    expected = reverse("inspections:inspection.detail", kwargs={"pk": finding.inspection_id}) + f"#finding-{finding.pk}"
    assert f'href="{expected}"' in page
