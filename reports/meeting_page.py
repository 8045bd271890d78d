"""What reports adds to a meeting's detail page (``meetings.registry``), registered on import
from ``ReportsConfig.ready()``: the meeting notice (会议通知) to download."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.registry import register_detail_link


@register_detail_link(order=10)
def meeting_notice(user, meeting, kinds):
    """The notice of a meeting that is not archived (the notice view checks the reader)."""
    if meeting.is_archived:
        return None
    return reverse("reports:notice", args=[meeting.pk]), _("导出会议通知")
