"""The inspection report (督查报告) as .docx, built with the Chinese-font helpers of ``reports.docx``.

Cover; 一、督查范围; 二、督查方式; 三、随机抽样 (each draw's seed, inputs and sample table, so
that anyone can repeat it); 四、发现的问题 (per branch); 五、整改事项 (items raised from the
findings, with their status); signature lines. The footer carries the page number and who
exported the report when.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from inspections import services
from inspections.models import Finding, Inspection
from reports import docx as d
from reports.minutes_book import Export


def export_by(actor) -> Export:
    name = (actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else ""
    return Export(by=name or "—", at=timezone.now())


def filename(inspection: Inspection) -> str:
    return _("%(title)s-督查报告.docx") % {"title": inspection.title}


def _people(users) -> str:
    return "、".join(sorted((u.get_full_name() or u.get_username()) for u in users)) or "—"


def _period(inspection: Inspection) -> str:
    return _("%(start)s至%(end)s") % {
        "start": d.chinese_date(inspection.planned_start),
        "end": d.chinese_date(inspection.planned_end),
    }


def build_report(inspection: Inspection, *, export: Export) -> tuple[bytes, dict]:
    """The report's bytes and a summary for the audit entry."""
    inspectors = list(inspection.inspectors.all())
    branches = list(services.inspection_branches(inspection))
    draws = list(inspection.draws.order_by("created_at", "id"))
    findings = list(
        Finding.objects.filter(inspection=inspection, archived_at__isnull=True)
        .select_related("unit", "meeting")
        .order_by("unit__path", "id")
    )
    items = services.items_by_finding(f.pk for f in findings)

    title = _("%(title)s督查报告") % {"title": inspection.title}
    doc = d.new_document(title=title, author=export.by)
    d.add_footer(doc, export.note)
    _cover(doc, inspection, inspectors, export)
    d.page_break(doc)

    d.heading(doc, _("一、督查范围"), 1)
    d.paragraph(
        doc,
        _("本次督查由%(committee)s组织，范围为%(scope)s，共%(n)s个党支部。")
        % {
            "committee": inspection.committee.name,
            "scope": _("全体党支部") if inspection.whole_committee else _("以下党支部"),
            "n": len(branches),
        },
    )
    d.table(
        doc, [[_("序号"), _("党支部")]] + [[str(i), b.name] for i, b in enumerate(branches, 1)], widths_mm=[16, 140]
    )

    d.heading(doc, _("二、督查方式"), 1)
    d.paragraph(
        doc,
        _("督查方式为%(kind)s，计划时间%(period)s，督查人员：%(people)s。")
        % {"kind": inspection.get_kind_display(), "period": _period(inspection), "people": _people(inspectors)},
    )
    if inspection.notes:
        d.text_block(doc, inspection.notes)

    d.heading(doc, _("三、随机抽样"), 1)
    if not draws:
        d.paragraph(doc, _("本次督查未进行随机抽样。"))
    for number, draw in enumerate(draws, start=1):
        _draw_section(doc, number, draw)

    d.heading(doc, _("四、发现的问题"), 1)
    by_unit = defaultdict(list)
    for f in findings:
        by_unit[f.unit].append(f)
    if not findings:
        d.paragraph(doc, _("本次督查未发现问题。"))
    for unit, rows in by_unit.items():
        d.heading(doc, unit.name, 2)
        table = [[_("序号"), _("问题描述"), _("严重程度"), _("涉及记录")]]
        for i, f in enumerate(rows, start=1):
            record = f"{f.meeting.date:%Y-%m-%d} {f.meeting.topic}" if f.meeting else "—"
            table.append([str(i), f.text, f.get_severity_display(), record])
        d.table(doc, table, widths_mm=[12, 84, 18, 42])

    d.heading(doc, _("五、整改事项"), 1)
    raised = [(f, item) for f in findings for item in items.get(f.pk, [])]
    if not raised:
        d.paragraph(doc, _("本次督查发现的问题尚未转为整改事项。"))
    else:
        table = [[_("序号"), _("党支部"), _("问题"), _("责任人"), _("整改期限"), _("状态")]]
        for i, (f, item) in enumerate(raised, start=1):
            table.append(
                [
                    str(i),
                    f.unit.name,
                    item.problem,
                    item.responsible.name if item.responsible_id else "—",
                    item.deadline.isoformat() if item.deadline else "—",
                    item.get_status_display(),
                ]
            )
        d.table(doc, table, widths_mm=[12, 28, 56, 20, 22, 18])

    _signatures(doc)
    summary = {
        "title": inspection.title,
        "draws": [dr.seed for dr in draws],
        "findings": len(findings),
        "items": len(raised),
    }
    return d.to_bytes(doc), summary


def _cover(doc, inspection: Inspection, inspectors, export: Export) -> None:
    for _i in range(4):
        doc.add_paragraph()
    d.paragraph(doc, inspection.committee.name, size=Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph()
    d.paragraph(doc, _("督查报告"), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    d.paragraph(doc, inspection.title, size=Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER)
    for _i in range(6):
        doc.add_paragraph()
    pairs = [
        (_("督查方式"), inspection.get_kind_display()),
        (_("计划时间"), _period(inspection)),
        (_("督查人员"), _people(inspectors)),
        (_("状态"), inspection.get_status_display()),
        (_("导出日期"), d.chinese_date(timezone.localtime(export.at).date())),
        (_("导出人"), export.by),
    ]
    d.field_table(doc, pairs, label_width_mm=30, value_width_mm=90)


def _draw_section(doc, number: int, draw) -> None:
    d.heading(doc, _("抽样%(n)s（随机种子 %(seed)s）") % {"n": number, "seed": draw.seed}, 2)
    candidates = draw.candidates or {}
    pairs = [
        (_("随机种子"), draw.seed),
        (_("抽查记录类型"), draw.get_record_type_display()),
        (
            _("抽查期间"),
            _("%(start)s至%(end)s") % {"start": draw.period_start.isoformat(), "end": draw.period_end.isoformat()},
        ),
        (
            _("抽取数量"),
            _("党支部%(n)s个，每个党支部记录%(m)s条") % {"n": draw.branch_count, "m": draw.records_per_branch},
        ),
        (_("按风险加权"), _("是（权重 = 1 + 风险分）") if draw.weighted else _("否")),
        (
            _("候选范围"),
            _("党支部%(units)s个（编号 %(ids)s），记录%(records)s条")
            % {
                "units": len(candidates.get("units", [])),
                "ids": "、".join(str(u) for u in candidates.get("units", [])) or "—",
                "records": sum(len(v) for v in (candidates.get("records") or {}).values()),
            },
        ),
        (_("抽样时间"), timezone.localtime(draw.created_at).strftime("%Y-%m-%d %H:%M")),
    ]
    d.field_table(doc, pairs)
    d.paragraph(
        doc,
        _(
            "复核方法：以上述随机种子与输入，对按编号排序的候选党支部、按（日期，编号）排序的候选记录，"
            "用系统“重复抽样”功能重新计算，数据未变时得到相同的样本。"
        ),
        size=Pt(10),
    )
    table = [[_("党支部"), _("记录编号"), _("抽中的记录")]]
    for row in services.sample_rows(draw):
        name = row["unit"].name if row["unit"] else str(row["unit_id"])
        if not row["records"]:
            table.append([name, "—", _("（期间内无记录）")])
        for r in row["records"]:
            table.append([name, str(r["id"]), r["text"]])
    d.table(doc, table, widths_mm=[36, 20, 100])


def _signatures(doc) -> None:
    doc.add_paragraph()
    d.heading(doc, _("签字"), 1)
    for label in (_("督查人员（签字）"), _("被督查党支部书记（签字）"), _("机关党委负责人（签字）")):
        d.paragraph(doc, _("%(label)s：______________　　日期：____年__月__日") % {"label": label})
