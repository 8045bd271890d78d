"""Readable Chinese labels of the audit action codes the ledger import writes."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register(
    {
        "ledger.workbook.imported": _("导入台账工作簿"),
        "organizations.unit.imported": _("台账导入组织"),
        "members.member.imported": _("台账导入党员"),
        "committees.term.imported": _("台账导入支委会届次"),
    }
)
