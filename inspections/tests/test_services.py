"""Services: state change and audit entry for each; refusals name the field in Chinese."""

import datetime
import io

import pytest
from docx import Document

from common.concurrency import StaleEditError
from common.models import AuditEntry
from inspections import services
from inspections.models import Finding, Inspection, InspectionStatus, SpotCheckDraw
from inspections.tests.access import make_draw, make_finding, make_inspection
from meetings.models import Meeting
from tests import factories as f


def last_entry(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def branch_meetings(unit, days, month=2):
    return [f.MeetingFactory(unit=unit, date=datetime.date(2025, month, d), kinds=["theme_day"]) for d in days]


def draw_data(**overrides):
    data = {
        "record_type": "meeting",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 3, 31),
        "branch_count": 2,
        "records_per_branch": 2,
        "weighted": False,
        "seed": "42",
    }
    data.update(overrides)
    return data


# --- inspections -----------------------------------------------------------------------------


def test_it_creates_an_inspection_and_logs_it(personas):
    inspection = make_inspection(personas)
    assert inspection.status == InspectionStatus.PLANNED
    assert list(inspection.branches.all()) == [personas.org.branch_a]
    assert list(inspection.inspectors.all()) == [personas.inspector]
    entry = last_entry("inspections.inspection.created")
    assert entry.object_id == str(inspection.pk)
    assert entry.unit == personas.org.committee
    assert entry.data["scope"] == "第一党支部"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": " "}, "title", "督查名称"),
        ({"kind": "raid"}, "kind", "督查方式"),
        ({"planned_end": datetime.date(2025, 3, 1)}, "planned_end", "计划结束日期"),
        ({"inspectors": []}, "inspectors", "督查人员"),
        ({"branches": []}, "branches", "督查党支部"),
    ],
)
def test_it_refuses_an_incomplete_plan_naming_the_field(personas, overrides, field, message):
    with pytest.raises(services.InspectionError) as exc:
        make_inspection(personas, **overrides)
    assert exc.value.errors[field].startswith(message)
    assert not Inspection.objects.exists()


def test_it_refuses_an_inspector_without_the_inspector_or_staff_role(personas):
    with pytest.raises(services.InspectionError) as exc:
        make_inspection(personas, inspectors=[personas.secretary_a])
    assert "督查人员" in exc.value.errors["inspectors"]


def test_it_refuses_a_branch_of_another_committee(personas):
    other = f.UnitFactory(name="外单位党支部", parent=f.CommitteeUnitFactory(name="外单位党委"))
    with pytest.raises(services.InspectionError) as exc:
        make_inspection(personas, branches=[other])
    assert "督查党支部" in exc.value.errors["branches"]


def test_a_whole_committee_inspection_keeps_no_branch_list(personas):
    inspection = make_inspection(personas, whole_committee=True)
    assert inspection.branches.count() == 0
    assert [b.name for b in services.inspection_branches(inspection)] == ["第一党支部", "第二党支部"]


def test_it_updates_a_plan_with_the_changes_in_the_log(personas):
    inspection = make_inspection(personas)
    data = {
        "title": "第二季度抽查",
        "kind": "onsite",
        "planned_start": inspection.planned_start,
        "planned_end": inspection.planned_end,
        "inspectors": [personas.inspector, personas.staff],
        "whole_committee": False,
        "branches": [personas.org.branch_a, personas.org.branch_b],
        "notes": "",
    }
    services.update_inspection(inspection, data, actor=personas.staff, expected_version=1)
    inspection.refresh_from_db()
    assert (inspection.title, inspection.kind, inspection.version) == ("第二季度抽查", "onsite", 2)
    changes = last_entry("inspections.inspection.changed").data["changes"]
    assert changes["title"] == ["第一季度随机抽查", "第二季度抽查"]
    assert changes["kind"] == ["随机抽查", "实地指导"]
    assert changes["branches"] == ["第一党支部", "第一党支部、第二党支部"]
    assert "inspectors" in changes


def test_a_stale_plan_edit_is_refused_and_nothing_is_saved(personas):
    inspection = make_inspection(personas)
    data = {k: getattr(inspection, k) for k in services.INSPECTION_FIELDS}
    data.update(inspectors=[personas.inspector], branches=[personas.org.branch_a], title="甲")
    services.update_inspection(inspection, data, actor=personas.staff, expected_version=1)
    stale = Inspection.objects.get(pk=inspection.pk)
    data["title"] = "乙"
    with pytest.raises(StaleEditError) as exc:
        services.update_inspection(stale, data, actor=personas.staff, expected_version=1)
    assert exc.value.conflicts == [("督查名称", "甲", "乙")]
    assert Inspection.objects.get(pk=inspection.pk).title == "甲"


def test_it_advances_only_along_the_status_table(personas):
    inspection = make_inspection(personas)
    services.advance_inspection(inspection, actor=personas.inspector)
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.IN_PROGRESS
    assert last_entry("inspections.inspection.started").data["changes"]["status"] == ["计划中", "实施中"]
    services.advance_inspection(inspection, actor=personas.inspector)
    assert last_entry("inspections.inspection.reported").data["changes"]["status"] == ["实施中", "已报告"]
    with pytest.raises(services.InspectionError) as exc:
        services.advance_inspection(inspection, actor=personas.inspector)
    assert exc.value.errors["status"].startswith("状态")


def test_a_reported_inspection_takes_no_more_edits_draws_or_findings(personas):
    inspection = make_inspection(personas)
    inspection.status = InspectionStatus.REPORTED
    inspection.save()
    with pytest.raises(services.InspectionError):
        services.draw_spot_check(inspection, draw_data(), actor=personas.inspector)
    with pytest.raises(services.InspectionError):
        make_finding(personas, inspection)


# --- draws -----------------------------------------------------------------------------------


def test_a_draw_stores_seed_inputs_candidates_and_sample_and_logs_them(personas):
    draw = make_draw(personas)
    assert draw.seed == "20250401"
    assert draw.candidates["units"] == [personas.org.branch_a.pk]
    records = draw.candidates["records"][str(personas.org.branch_a.pk)]
    assert [d for d, _i in records] == ["2025-02-05", "2025-02-12", "2025-02-19"]
    assert len(draw.sample) == 1 and len(draw.sample[0]["records"]) == 2
    entry = last_entry("inspections.draw.created")
    assert entry.data["seed"] == "20250401"
    assert entry.data["inputs"]["records_per_branch"] == 2
    assert entry.data["sample"] == draw.sample


def test_the_same_seed_and_data_repeat_the_same_sample(personas):
    branch_meetings(personas.org.branch_a, [3, 10, 17, 24])
    branch_meetings(personas.org.branch_b, [4, 11, 18])
    inspection = make_inspection(personas, whole_committee=True)
    first = services.draw_spot_check(inspection, draw_data(seed="777"), actor=personas.inspector)
    second = services.draw_spot_check(inspection, draw_data(seed="777"), actor=personas.staff)
    assert first.sample == second.sample
    other = [
        services.draw_spot_check(inspection, draw_data(seed=str(s), branch_count=1), actor=personas.staff)
        for s in range(8)
    ]
    assert len({str(d.sample) for d in other}) > 1


def test_a_blank_seed_gets_a_random_64_bit_one(personas):
    inspection = make_inspection(personas)
    draw = services.draw_spot_check(inspection, draw_data(seed=""), actor=personas.inspector)
    assert 0 <= int(draw.seed) < 2**64


def test_it_takes_all_branches_and_records_when_asked_for_more(personas):
    branch_meetings(personas.org.branch_a, [3, 10])
    inspection = make_inspection(personas, whole_committee=True)
    draw = services.draw_spot_check(
        inspection, draw_data(branch_count=9, records_per_branch=9), actor=personas.inspector
    )
    rows = {r["unit"]: r["records"] for r in draw.sample}
    assert set(rows) == {personas.org.branch_a.pk, personas.org.branch_b.pk}
    assert len(rows[personas.org.branch_a.pk]) == 2
    assert rows[personas.org.branch_b.pk] == []


def test_group_meetings_count_for_their_branch_and_archived_ones_do_not(personas):
    group_meeting = f.MeetingFactory(unit=personas.org.group_a, date=datetime.date(2025, 2, 2), kinds=["group_meeting"])
    gone = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 2, 3))
    Meeting.objects.filter(pk=gone.pk).update(archived_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 5, 1))  # outside the period
    draw = services.draw_spot_check(make_inspection(personas), draw_data(records_per_branch=5), actor=personas.staff)
    assert draw.sample[0]["records"] == [group_meeting.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"seed": "abc"}, "seed"),
        ({"seed": str(2**64)}, "seed"),
        ({"branch_count": 0}, "branch_count"),
        ({"records_per_branch": None}, "records_per_branch"),
        ({"period_end": datetime.date(2024, 12, 1)}, "period_end"),
        ({"record_type": "minutes"}, "record_type"),
    ],
)
def test_it_refuses_bad_draw_input_naming_the_field(personas, overrides, field):
    labels = {
        "seed": "随机种子",
        "branch_count": "抽取党支部数",
        "records_per_branch": "每个党支部抽取记录数",
        "period_end": "抽查期间止",
        "record_type": "抽查记录类型",
    }
    with pytest.raises(services.InspectionError) as exc:
        services.draw_spot_check(make_inspection(personas), draw_data(**overrides), actor=personas.staff)
    assert exc.value.errors[field].startswith(labels[field])
    assert not SpotCheckDraw.objects.exists()


def test_a_weighted_draw_is_refused_while_risk_scores_are_unavailable(personas, monkeypatch):
    monkeypatch.setattr(services, "risk_function", lambda: None)
    with pytest.raises(services.InspectionError) as exc:
        services.draw_spot_check(make_inspection(personas), draw_data(weighted=True), actor=personas.staff)
    assert exc.value.errors["weighted"].startswith("按风险加权")


def test_a_weighted_draw_stores_the_risk_scores_and_weights(personas, monkeypatch):
    a, b = personas.org.branch_a, personas.org.branch_b
    calls = []

    def scores(units, *, start, end):
        calls.append(([u.pk for u in units], start, end))
        return {a.pk: (60.0, ["补录 3 次"]), b.pk: (0.0, [])}

    monkeypatch.setattr(services, "risk_function", lambda: scores)
    inspection = make_inspection(personas, whole_committee=True)
    draw = services.draw_spot_check(inspection, draw_data(weighted=True, branch_count=1), actor=personas.staff)
    assert calls == [([a.pk, b.pk], datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))]
    assert draw.candidates["weights"] == {str(a.pk): 61.0, str(b.pk): 1.0}
    assert draw.candidates["risk"][str(a.pk)] == [60.0, ["补录 3 次"]]
    services.repeat_draw(draw, actor=personas.inspector)
    assert draw.repeat_identical is True


def test_a_repeat_over_unchanged_data_is_identical_and_logged(personas):
    draw = make_draw(personas)
    services.repeat_draw(draw, actor=personas.staff)
    draw.refresh_from_db()
    assert draw.repeat_identical is True
    assert draw.repeat_result["method_identical"] is True
    assert draw.repeat_result["notes"] == []
    entry = last_entry("inspections.draw.repeated")
    assert entry.data["identical"] is True and entry.actor == personas.staff


def test_a_repeat_after_the_data_changed_says_what_changed(personas):
    draw = make_draw(personas)
    for day in (1, 2, 3, 4, 6, 7):
        f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 3, day))
    services.repeat_draw(draw, actor=personas.staff)
    draw.refresh_from_db()
    assert draw.repeat_result["method_identical"] is True  # the stored inputs still give the stored sample
    assert draw.repeat_result["notes"] == ["第一党支部新增或改期的记录 6 条"]
    # With six more candidates the sample very likely moved; either way the flag matches the samples.
    assert draw.repeat_identical == (draw.repeat_result["sample"] == draw.sample)
    assert last_entry("inspections.draw.repeated").data["notes"] == ["第一党支部新增或改期的记录 6 条"]


def test_sample_rows_link_each_record(personas):
    draw = make_draw(personas)
    rows = services.sample_rows(draw)
    assert rows[0]["unit"] == personas.org.branch_a
    assert rows[0]["candidates"] == 3
    assert all(r["url"] == f"/meetings/{r['id']}/" for r in rows[0]["records"])


# --- findings and rectification items --------------------------------------------------------


def test_it_adds_and_edits_a_finding_with_audit(personas):
    finding = make_finding(personas)
    assert last_entry("inspections.finding.created").unit == personas.org.branch_a
    meeting = branch_meetings(personas.org.group_a, [8])[0]
    services.update_finding(
        finding,
        {"unit": personas.org.branch_a, "meeting": meeting, "text": "签到表缺失", "severity": "severe"},
        actor=personas.inspector,
        expected_version=1,
    )
    finding.refresh_from_db()
    assert (finding.text, finding.severity, finding.meeting, finding.version) == ("签到表缺失", "severe", meeting, 2)
    changes = last_entry("inspections.finding.changed").data["changes"]
    assert changes["severity"] == ["一般", "严重"]
    assert changes["text"] == ["支委会记录不完整", "签到表缺失"]


def test_it_refuses_a_finding_outside_the_inspection_or_with_another_branchs_record(personas):
    inspection = make_inspection(personas)
    with pytest.raises(services.InspectionError) as exc:
        services.add_finding(
            inspection, {"unit": personas.org.branch_b, "text": "x", "severity": "general"}, actor=personas.staff
        )
    assert exc.value.errors["unit"].startswith("党支部")
    other = branch_meetings(personas.org.branch_b, [1])[0]
    with pytest.raises(services.InspectionError) as exc:
        services.add_finding(
            inspection,
            {"unit": personas.org.branch_a, "meeting": other, "text": "x", "severity": "general"},
            actor=personas.staff,
        )
    assert exc.value.errors["meeting"].startswith("涉及记录")
    with pytest.raises(services.InspectionError) as exc:
        services.add_finding(inspection, {"unit": personas.org.branch_a, "text": " "}, actor=personas.staff)
    assert exc.value.errors["text"].startswith("问题描述")
    assert not Finding.objects.exists()


def test_raising_an_item_opens_it_through_rectification_once(personas):
    from rectification.models import Rectification

    finding = make_finding(personas)
    data = {
        "problem": "支委会记录不完整",
        "measure": "补全记录",
        "responsible": personas.members.secretary_a,
        "deadline": datetime.date(2025, 6, 30),
        "category": "work",
    }
    item = services.raise_item(finding, data, actor=personas.inspector)
    assert (item.source, item.unit, item.origin, item.responsible) == (
        "inspection",
        personas.org.branch_a,
        finding,
        personas.members.secretary_a,
    )
    assert last_entry("inspections.finding.raised").data["item"] == item.pk
    again = services.raise_item(finding, data, actor=personas.inspector)
    assert again.pk == item.pk
    assert Rectification.objects.count() == 1
    services.raise_item(finding, {**data, "problem": "另一问题"}, actor=personas.inspector)
    assert [i.problem for i in services.items_by_finding([finding.pk])[finding.pk]] == ["支委会记录不完整", "另一问题"]


def test_raising_an_item_refuses_an_empty_problem_and_passes_on_rectifications_refusal(personas):
    finding = make_finding(personas)
    with pytest.raises(services.InspectionError) as exc:
        services.raise_item(finding, {"problem": ""}, actor=personas.inspector)
    assert exc.value.errors["problem"].startswith("问题")
    with pytest.raises(services.InspectionError) as exc:
        services.raise_item(finding, {"problem": "x", "category": "nonsense"}, actor=personas.inspector)
    assert "category" in exc.value.errors


def test_raising_an_item_says_so_when_rectification_is_unavailable(personas, monkeypatch):
    monkeypatch.setattr(services, "open_item_function", lambda: None)
    with pytest.raises(services.InspectionError) as exc:
        services.raise_item(make_finding(personas), {"problem": "x"}, actor=personas.inspector)
    assert "整改台账" in exc.value.errors["__all__"]


# --- report ----------------------------------------------------------------------------------


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def test_the_report_holds_scope_draw_findings_items_and_signatures(personas):
    draw = make_draw(personas)
    inspection = draw.inspection
    sampled = Meeting.objects.get(pk=draw.sample[0]["records"][0])
    finding = services.add_finding(
        inspection,
        {"unit": personas.org.branch_a, "meeting": sampled, "text": "纪要过于简略", "severity": "serious"},
        actor=personas.inspector,
    )
    services.raise_item(
        finding, {"problem": "纪要过于简略", "deadline": datetime.date(2025, 6, 1)}, actor=personas.inspector
    )
    content = services.export_report(inspection, actor=personas.inspector)
    text = docx_text(content)
    for expected in (
        "督查报告",
        "第一季度随机抽查",
        "一、督查范围",
        "第一党支部",
        "二、督查方式",
        "随机抽查",
        "三、随机抽样",
        "随机种子",
        "20250401",
        "党支部1个，每个党支部记录2条",
        sampled.topic,
        "四、发现的问题",
        "纪要过于简略",
        "较重",
        "五、整改事项",
        "待整改",
        "2025-06-01",
        "督查人员（签字）",
        "导出人：督查员",
    ):
        assert expected in text, expected
    entry = last_entry("inspections.report.exported")
    assert entry.data == {"title": "第一季度随机抽查", "draws": ["20250401"], "findings": 1, "items": 1}
    assert entry.actor == personas.inspector


def test_the_report_body_uses_chinese_fonts(personas):
    content = services.export_report(make_inspection(personas), actor=personas.staff)
    doc = Document(io.BytesIO(content))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    assert "本次督查未进行随机抽样。" in docx_text(content)


def test_a_weighted_draw_runs_on_integritys_risk_scores(personas):
    if services.risk_function() is None:
        pytest.skip("integrity.services.branch_risk_scores is not installed")
    branch_meetings(personas.org.branch_a, [3, 10])
    inspection = make_inspection(personas, whole_committee=True)
    draw = services.draw_spot_check(inspection, draw_data(weighted=True), actor=personas.inspector)
    assert set(draw.candidates["weights"]) == {str(personas.org.branch_a.pk), str(personas.org.branch_b.pk)}
    assert all(1.0 <= w <= 101.0 for w in draw.candidates["weights"].values())
    services.repeat_draw(draw, actor=personas.inspector)
    assert draw.repeat_identical is True
