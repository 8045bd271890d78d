"""Weekday names for the pages and documents, translatable (Monday first, as ``date.weekday()``)."""

from django.utils.translation import gettext_lazy as _

# 星期一 … 星期日: in sentences and documents ("2025年3月10日（星期一）", "每月最后一个星期五").
LONG = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))
# 周一 … 周日: column headings of a calendar.
SHORT = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
