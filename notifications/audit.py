"""Readable Chinese labels of the notifications app's audit action codes."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register({"notifications.periodic.ran": _("运行定期提醒")})
