"""Readable Chinese labels of the audit action codes written by the common app.

(``common/audit.py`` is the writer of the log; the labels live here and are registered from
``CommonConfig.ready()``.)
"""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register(
    {
        "common.backup.created": _("创建备份"),
        "common.backup.restored": _("从备份恢复"),
    }
)
