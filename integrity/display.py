"""Rendering helpers (pure apart from Django's escaping): shared passages as <mark> spans and the
risk bar chart as server-side SVG. Every piece of user text is escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> SafeString:
    """text with each (start, end) span wrapped in <mark class="shared">, everything escaped.

    Spans are numbered in the order given, so the n-th passage of one text and the n-th of the
    other carry the same number."""
    numbered = sorted((start, end, number) for number, (start, end) in enumerate(spans, start=1))
    out = []
    position = 0
    for start, end, number in numbered:
        if start < position or end <= start:
            continue
        out.append(escape(text[position:start]))
        label = escape(_("相同片段 %(n)s") % {"n": number}, quote=True)
        out.append(f'<mark class="shared" title="{label}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece above is escaped)


BAR_LABEL_W = 170
BAR_W = 360
BAR_H = 20
BAR_GAP = 6


def risk_bars_svg(rows: Sequence[tuple[str, float]], *, url: Callable[[int], str] | None = None) -> SafeString:
    """Horizontal bars, one per branch: (name, score 0..100). Red from 50, amber from 20."""
    width = BAR_LABEL_W + BAR_W + 50
    height = max(1, len(rows)) * (BAR_H + BAR_GAP) + BAR_GAP
    title = escape(_("各支部风险分"), quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="risk-bars" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" {FONT}>'
    ]
    for i, (name, score) in enumerate(rows):
        y = BAR_GAP + i * (BAR_H + BAR_GAP)
        length = BAR_W * max(0.0, min(score, 100.0)) / 100
        colour = "#c0392b" if score >= 50 else "#d68910" if score >= 20 else "#2e7d4f"
        clipped = name if len(name) <= 11 else name[:10] + "…"
        label = (
            f'<text x="{BAR_LABEL_W - 8}" y="{y + BAR_H / 2 + 4:g}" font-size="13" text-anchor="end" '
            f'fill="#1f2328">{escape(clipped)}<title>{escape(name)}</title></text>'
        )
        bar = (
            f'<rect x="{BAR_LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H}" rx="3" fill="{colour}">'
            f"<title>{escape(name)}：{score:g}</title></rect>"
            f'<text x="{BAR_LABEL_W + length + 6:.1f}" y="{y + BAR_H / 2 + 4:g}" font-size="12" '
            f'fill="#5f6b76">{score:g}</text>'
        )
        if url is not None:
            out.append(f'<a href="{escape(url(i), quote=True)}">{label}{bar}</a>')
        else:
            out.append(label + bar)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  (names escaped above)
