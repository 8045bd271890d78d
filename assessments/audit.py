"""Readable Chinese labels for the audit action codes of the assessments app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "assessments.indicatorset.created": _("建立年度考核指标体系"),
    "assessments.indicatorset.changed": _("修改考核等次分档"),
    "assessments.indicatorset.published": _("发布年度考核结果"),
    "assessments.indicator.created": _("新增考核指标"),
    "assessments.indicator.changed": _("修改考核指标"),
    "assessments.indicator.archived": _("删除考核指标"),
    "assessments.assessment.recomputed": _("重新计算考核得分"),
    "assessments.score.entered": _("录入人工评分"),
    "assessments.assessment.exported": _("导出考核结果"),
    "assessments.dutyreport.created": _("起草述职报告"),
    "assessments.dutyreport.changed": _("修改述职报告"),
    "assessments.dutyreport.submitted": _("提交述职报告并开始评议"),
    "assessments.dutyreport.closed": _("结束述职评议"),
    "assessments.dutyreport.voted": _("参加述职评议投票"),
    "assessments.attachment.added": _("上传述职报告附件"),
}

logdisplay.register(ACTIONS)
