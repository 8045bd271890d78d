"""Readable Chinese labels for the audit action codes of the meetings app (records)."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "meetings.meeting.recorded": _("录入会议记录"),
    "meetings.meeting.changed": _("修改会议记录"),
    "meetings.meeting.archived": _("归档会议记录"),
    "meetings.meeting.restored": _("恢复会议记录"),
    "meetings.attachment.added": _("上传会议附件"),
    "meetings.attachment.archived": _("归档会议附件"),
    "meetings.kind.created": _("新增会议类型"),
}

logdisplay.register(ACTIONS)
