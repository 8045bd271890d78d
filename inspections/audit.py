"""Readable Chinese labels for the audit action codes of the inspections app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "inspections.inspection.created": _("新建督查"),
    "inspections.inspection.changed": _("修改督查"),
    "inspections.inspection.started": _("督查开始实施"),
    "inspections.inspection.reported": _("督查形成报告"),
    "inspections.draw.created": _("随机抽查抽样"),
    "inspections.draw.repeated": _("复核随机抽样"),
    "inspections.finding.created": _("记录督查发现的问题"),
    "inspections.finding.changed": _("修改督查发现的问题"),
    "inspections.finding.raised": _("督查问题转为整改事项"),
    "inspections.report.exported": _("导出督查报告"),
}

logdisplay.register(ACTIONS)
