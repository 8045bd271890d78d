"""Readable Chinese labels for the audit action codes of the members app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "members.member.created": _("新增党员"),
    "members.member.changed": _("修改党员信息"),
    "members.member.transferred": _("转接组织关系"),
    "members.member.group_joined": _("加入党小组"),
    "members.member.group_left": _("退出党小组"),
    "members.member.archived": _("归档党员"),
    "members.member.restored": _("恢复党员"),
    "members.member.revealed": _("查看完整个人信息"),
    "members.member.exported": _("导出党员名册"),
    "members.data_key.rotated": _("轮换个人信息加密密钥"),
}

logdisplay.register(ACTIONS)
