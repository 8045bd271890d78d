"""Readable Chinese labels of the committees app's audit action codes."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register(
    {
        "committees.term.created": _("登记支委会届次"),
        "committees.term.changed": _("修改支委会届次"),
        "committees.term.submitted": _("提交届次选举结果待批复"),
        "committees.term.approved": _("批复支委会届次"),
        "committees.term.returned": _("退回支委会届次"),
        "committees.term.ended": _("支委会届次届满结束"),
        "committees.term.imported": _("从台账导入支委会届次"),
        "committees.term.archived": _("归档支委会届次"),
        "committees.term.restored": _("恢复支委会届次"),
        "committees.duty.changed": _("修改职务工作职责"),
    }
)
