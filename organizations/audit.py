"""Readable Chinese labels for the organisation tree's audit action codes."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

logdisplay.register(
    {
        "organizations.unit.created": _("新建组织"),
        "organizations.unit.changed": _("修改组织信息"),
        "organizations.unit.dissolved": _("撤销组织"),
        "organizations.unit.archived": _("归档组织"),
        "organizations.unit.restored": _("恢复组织"),
    }
)
