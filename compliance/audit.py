"""Readable Chinese labels of the compliance app's audit action codes (rules and the table)."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register(
    {
        "compliance.rule.created": _("新增制度规则"),
        "compliance.rule.changed": _("调整制度规则（新增版本）"),
        "compliance.rule.retired": _("停止执行制度规则"),
        "compliance.table.exported": _("导出制度落实情况表"),
        "compliance.deadline.set": _("设定年度组织生活会截止日期"),
    }
)
