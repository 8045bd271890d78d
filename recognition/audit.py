"""Readable Chinese labels for the audit action codes of the recognition app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "recognition.calendar.created": _("新增节假日安排"),
    "recognition.calendar.changed": _("修改节假日安排"),
    "recognition.note.created": _("填写五带头说明"),
    "recognition.note.archived": _("撤回五带头说明"),
    "recognition.criteria.defaulted": _("载入四强支部默认标准"),
    "recognition.criterion.created": _("新增四强支部标准"),
    "recognition.criterion.changed": _("修改四强支部标准"),
    "recognition.criterion.archived": _("归档四强支部标准"),
    "recognition.fourstrong.created": _("申报四强支部"),
    "recognition.fourstrong.self_assessed": _("填写四强支部自评"),
    "recognition.fourstrong.submitted": _("提交四强支部自评"),
    "recognition.fourstrong.returned": _("退回四强支部自评"),
    "recognition.fourstrong.reviewed": _("审核四强支部"),
    "recognition.fourstrong.noticed": _("四强支部公示"),
    "recognition.fourstrong.objected": _("登记四强支部公示异议"),
    "recognition.fourstrong.named": _("命名四强支部"),
    "recognition.fourstrong.rejected": _("四强支部不予命名"),
    "recognition.fourstrong.lapsed": _("四强支部称号失效"),
    "recognition.nomination.created": _("推荐示范点、示范岗"),
    "recognition.nomination.review_opened": _("开始评审示范点、示范岗"),
    "recognition.nomination.reviewed": _("评审打分或表决"),
    "recognition.nomination.decided": _("确定示范点、示范岗评审结果"),
    "recognition.nomination.noticed": _("示范点、示范岗公示"),
    "recognition.nomination.objected": _("登记示范点、示范岗公示异议"),
    "recognition.nomination.named": _("命名示范点、示范岗"),
    "recognition.nomination.rejected": _("示范点、示范岗不予命名"),
    "recognition.nomination.exported": _("打印荣誉证书"),
}

logdisplay.register(ACTIONS)
