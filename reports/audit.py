"""Readable Chinese labels for the audit action codes of the reports app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "reports.minutes_book.exported": _("导出会议记录本"),
    "reports.notice.exported": _("导出会议通知"),
}

logdisplay.register(ACTIONS)
