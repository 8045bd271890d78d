"""What integrity adds to a meeting's detail page (``meetings.registry``), registered on import
from ``IntegrityConfig.ready()``: the record's integrity signals in one line, for readers who
may see them."""

from __future__ import annotations

from django.template.loader import render_to_string

from integrity.templatetags.integrity_tags import integrity_badge
from meetings.registry import register_detail_note


@register_detail_note
def integrity_signals(request, meeting):
    context = integrity_badge({"request": request}, meeting)
    if not context["integrity_signals"]:
        return None
    return render_to_string("integrity/_signals_badge.html", context, request=request)
