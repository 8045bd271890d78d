"""Server-rendered SVG charts (pure: strings in, an SVG string out; every text escaped).

The same SVG serves the page, print and documents; no JavaScript, no remote fonts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.utils.translation import gettext as _

from common import calendar_words
from compliance.dashboards import BranchRow
from compliance.display import EMPTY_COLOUR, STATUS_COLOURS, status_label
from compliance.engine import DUE, MET, MISSED, NOT_APPLICABLE

LABEL_WIDTH = 170
CELL_W = 38
CELL_H = 24
GAP = 3
HEADER_H = 26
LEGEND_H = 34
FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _clip(text: str, limit: int = 11) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` px: a CJK character is a square, a Latin letter
    a little over half of one (good enough to space labels; the SVG has no layout engine)."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def heatmap_svg(
    rows: Sequence[BranchRow],
    *,
    cell_url: Callable[[BranchRow, str], str],
    row_url: Callable[[BranchRow], str] | None = None,
    title: str = "",
) -> str:
    """Branch × month heatmap. Colours: met green, missed red, due amber, n/a grey, no
    obligation white. Each cell links to ``cell_url(row, month_label)`` and carries a tooltip."""
    width = LABEL_WIDTH + 12 * (CELL_W + GAP)
    height = HEADER_H + len(rows) * (CELL_H + GAP) + LEGEND_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title or _("各支部逐月制度落实情况"))}" {FONT}>'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for m in range(12):
        x = LABEL_WIDTH + m * (CELL_W + GAP) + CELL_W / 2
        label = str(calendar_words.MONTHS[m])
        out.append(
            f'<text x="{x:g}" y="{HEADER_H - 9}" font-size="12" text-anchor="middle" fill="#5f6b76">{escape(label)}</text>'
        )
    for i, row in enumerate(rows):
        y = HEADER_H + i * (CELL_H + GAP)
        name = escape(_clip(row.name))
        text = f'<text x="{LABEL_WIDTH - 8}" y="{y + CELL_H / 2 + 4:g}" font-size="13" text-anchor="end" fill="#1f2328">{name}<title>{escape(row.name)}</title></text>'
        if row_url is not None:
            text = f'<a href="{_attr(row_url(row))}">{text}</a>'
        out.append(text)
        for m, month in enumerate(row.months):
            x = LABEL_WIDTH + m * (CELL_W + GAP)
            colour = STATUS_COLOURS[month.status] if month.status else EMPTY_COLOUR
            if month.status:
                parts = "，".join(
                    _("%(label)s %(n)s 项") % {"label": status_label(s), "n": month.counts[s]}
                    for s in (MISSED, DUE, MET, NOT_APPLICABLE)
                    if month.counts.get(s)
                )
            else:
                parts = _("无到期事项")
            tip = f"{row.name} · {month.month}：{parts}"
            rect = (
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="3" fill="{colour}" '
                f'stroke="#d8dde3"><title>{escape(tip)}</title></rect>'
            )
            if month.status:
                rect = f'<a href="{_attr(cell_url(row, month.month))}" aria-label="{_attr(tip)}">{rect}</a>'
            out.append(rect)
    y = HEADER_H + len(rows) * (CELL_H + GAP) + 10
    x = LABEL_WIDTH
    for status in (MET, MISSED, DUE, NOT_APPLICABLE):
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" rx="2" fill="{STATUS_COLOURS[status]}"/>')
        label = str(status_label(status))
        out.append(f'<text x="{x + 19}" y="{y + 12}" font-size="12" fill="#1f2328">{escape(label)}</text>')
        x += max(86, 19 + text_width(label, 12) + 18)  # English labels are longer than Chinese ones
    out.append(f'<rect x="{x}" y="{y}" width="14" height="14" rx="2" fill="{EMPTY_COLOUR}" stroke="#d8dde3"/>')
    out.append(f'<text x="{x + 19}" y="{y + 12}" font-size="12" fill="#1f2328">{escape(_("无到期事项"))}</text>')
    out.append("</svg>")
    return "".join(out)
