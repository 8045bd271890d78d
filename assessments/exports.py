"""The assessment's files and chart: all branches as .xlsx, one branch's report as .docx, and
the ranking as server-side SVG (a pure function; every text escaped)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments import rules
from members.roster import as_text
from reports import docx as d

GRADE_COLOURS = {"good": "#2e7d32", "fairly_good": "#1565c0", "average": "#ef6c00", "poor": "#c62828"}
FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""


@dataclass(frozen=True)
class ChartRow:
    name: str
    total: Decimal
    grade: str
    grade_label: str
    rank: int


def ranking_svg(rows: Sequence[ChartRow], *, title: str) -> str:
    """Horizontal bars (0–100) of each branch's total, best first, coloured by grade."""
    label_w, bar_w, row_h, top, legend_h = 180, 420, 26, 30, 30
    width = label_w + bar_w + 70
    height = top + len(rows) * row_h + legend_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ranking-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title, quote=True)}" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 60, 80, 100):
        x = label_w + bar_w * tick / 100
        out.append(f'<line x1="{x:g}" y1="{top - 6}" x2="{x:g}" y2="{top + len(rows) * row_h}" stroke="#d8dde3"/>')
        out.append(f'<text x="{x:g}" y="{top - 10}" font-size="11" text-anchor="middle" fill="#5f6b76">{tick}</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        name = row.name if len(row.name) <= 12 else row.name[:11] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + 17}" font-size="13" text-anchor="end" fill="#1f2328">'
            f"{escape(f'{row.rank}. {name}')}<title>{escape(row.name)}</title></text>"
        )
        w = bar_w * float(min(max(row.total, Decimal(0)), Decimal(100))) / 100
        colour = GRADE_COLOURS.get(row.grade, "#8a949e")
        tip = f"{row.name}：{rules.fmt(row.total)} · {row.grade_label}"
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{colour}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        out.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12" fill="#1f2328">'
            f"{escape(rules.fmt(row.total))} {escape(row.grade_label)}</text>"
        )
    y, x = top + len(rows) * row_h + 10, label_w
    for grade, label in (
        (rules.GOOD, _("好")),
        (rules.FAIRLY_GOOD, _("较好")),
        (rules.AVERAGE, _("一般")),
        (rules.POOR, _("差")),
    ):
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{GRADE_COLOURS[grade]}"/>')
        out.append(f'<text x="{x + 17}" y="{y + 11}" font-size="12" fill="#1f2328">{escape(label)}</text>')
        x += 70
    out.append("</svg>")
    return "".join(out)


def _stamp(exported_by: str, exported_at: datetime.datetime) -> str:
    return _("导出人：%(who)s　导出时间：%(at)s") % {"who": exported_by, "at": exported_at.strftime("%Y-%m-%d %H:%M")}


def _points_cell(score, leaf):
    """A leaf's points in the results sheet; 不适用 for a leaf the records cannot judge."""
    if score is None:
        return None
    if score.points is not None:
        return float(score.points)
    return _("不适用") if leaf.method == "automatic" else None


def build_xlsx(indicator_set, leaves, assessments, scores, ranks, *, exported_by: str, exported_at) -> bytes:
    """Sheet 1: one row per branch (rank, total, grade, every leaf's points); sheet 2: every lost
    point with the records behind it. ``scores``: {(assessment id, indicator id): Score}."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("考核结果")
    ws.cell(row=1, column=1, value=_("%(year)s年度党支部党建工作考核结果") % {"year": indicator_set.year}).font = Font(
        bold=True, size=14
    )
    as_text(ws.cell(row=2, column=1, value=_stamp(exported_by, exported_at)))
    ws.cell(
        row=3,
        column=1,
        value=_("状态：%(status)s（排名仅供党委内部使用）") % {"status": indicator_set.get_status_display()},
    )
    headers = [_("排名"), _("党支部"), _("总分"), _("等次")] + [
        f"{leaf.name}（{rules.fmt(leaf.weight)}）" for leaf in leaves
    ]
    fill = PatternFill("solid", fgColor="EEF0F3")
    for c, title in enumerate(headers, start=1):
        cell = as_text(ws.cell(row=4, column=c, value=title))
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = 18 if c == 2 else (8 if c in (1, 3, 4) else 14)
    for r, a in enumerate(assessments, start=5):
        ws.cell(row=r, column=1, value=ranks.get(a.pk))
        as_text(ws.cell(row=r, column=2, value=a.unit.name))
        ws.cell(row=r, column=3, value=float(a.total))
        as_text(ws.cell(row=r, column=4, value=a.get_grade_display()))
        for c, leaf in enumerate(leaves, start=5):
            s = scores.get((a.pk, leaf.pk))
            ws.cell(row=r, column=c, value=_points_cell(s, leaf))
    ws.freeze_panes = "C5"
    lost = wb.create_sheet(_("失分说明"))
    for c, (title, width) in enumerate(
        ((_("党支部"), 18), (_("指标"), 24), (_("得分"), 8), (_("满分"), 8), (_("说明"), 50), (_("依据记录"), 70)),
        start=1,
    ):
        cell = as_text(lost.cell(row=1, column=c, value=title))
        cell.font, cell.fill = Font(bold=True), fill
        lost.column_dimensions[get_column_letter(c)].width = width
    r = 2
    for a in assessments:
        for leaf in leaves:
            s = scores.get((a.pk, leaf.pk))
            if s is None or s.points is None or s.points >= leaf.weight:
                continue
            detail = (
                "\n".join(e["text"] for e in s.evidence)
                if s.evidence
                else "\n".join(t for t in (s.evidence_text, s.comment) if t)
            )
            for c, value in enumerate(
                (a.unit.name, leaf.name, float(s.points), float(leaf.weight), s.explanation, detail), start=1
            ):
                cell = as_text(lost.cell(row=r, column=c, value=value))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_docx(assessment, rows, changes, *, exported_by: str, exported_at) -> bytes:
    """One branch's report: total and grade, a table of every leaf, then every lost point with
    the records behind it. ``rows``: [(TreeRow, Score or None)]."""
    indicator_set = assessment.indicator_set
    title = _("%(unit)s%(year)s年度党建工作考核情况") % {"unit": assessment.unit.name, "year": indicator_set.year}
    doc = d.new_document(title=title, author=exported_by)
    d.add_footer(doc, _stamp(exported_by, exported_at))
    d.paragraph(doc, title, bold=True, size=d.HEADING_SIZES[1], align=d.WD_ALIGN_PARAGRAPH.CENTER)
    d.field_table(
        doc,
        [
            (_("党支部"), assessment.unit.name),
            (_("年度"), str(indicator_set.year)),
            (_("总分"), rules.fmt(assessment.total)),
            (_("等次"), assessment.get_grade_display()),
            (_("状态"), indicator_set.get_status_display()),
        ],
    )
    d.heading(doc, _("一、各项指标得分"), 2)
    table = [[_("指标"), _("分值"), _("得分"), _("评分方法")]]
    for tree_row, score in rows:
        ind = tree_row.indicator
        if not ind.is_leaf:
            table.append([ind.name, "", "", ""])
            continue
        points = rules.fmt(score.points) if score is not None and score.points is not None else "—"
        if score is not None and score.points is None and ind.method == "automatic":
            points = _("不适用")
        table.append(["　" * tree_row.depth + ind.name, rules.fmt(ind.weight), points, tree_row.rule_text])
    d.table(doc, table, widths_mm=[50, 14, 14, 78])
    d.heading(doc, _("二、失分说明"), 2)
    any_lost = False
    for tree_row, score in rows:
        ind = tree_row.indicator
        if not ind.is_leaf or score is None or score.points is None or score.points >= ind.weight:
            continue
        any_lost = True
        d.paragraph(doc, f"{ind.name}：{score.explanation}", bold=True)
        for e in score.evidence:
            d.paragraph(doc, f"· {e['text']}")
        if score.evidence_text:
            d.paragraph(doc, _("评分依据：%(text)s") % {"text": score.evidence_text})
        if score.comment:
            d.paragraph(doc, _("评语：%(text)s") % {"text": score.comment})
    if not any_lost:
        d.paragraph(doc, _("各项指标均得满分。"))
    if changes:
        d.heading(doc, _("三、发布前得分变化记录"), 2)
        d.table(
            doc,
            [[_("时间"), _("指标"), _("原得分"), _("新得分"), _("原因")]]
            + [
                [
                    f"{c.at:%Y-%m-%d %H:%M}",
                    c.score.indicator.name,
                    rules.fmt(c.old_points),
                    rules.fmt(c.new_points),
                    f"{c.get_reason_display()}：{c.note}",
                ]
                for c in changes
            ],
            widths_mm=[28, 36, 14, 14, 64],
        )
    return d.to_bytes(doc)
