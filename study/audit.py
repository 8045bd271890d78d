"""Readable Chinese labels for the audit action codes of the study app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "study.record.submitted": _("提交个人学习记录"),
    "study.record.changed": _("修改个人学习记录"),
    "study.record.confirmed": _("确认个人学习记录"),
    "study.record.returned": _("退回个人学习记录"),
    "study.record.archived": _("撤回个人学习记录"),
    "study.year.created": _("设置年度学时要求"),
    "study.year.changed": _("修改年度学时要求"),
    "study.studyday.created": _("设置固定学习日"),
    "study.studyday.changed": _("修改固定学习日"),
    "study.ledger.exported": _("导出学时台账"),
}

logdisplay.register(ACTIONS)
