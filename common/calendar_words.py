"""Weekday and month names for pages, charts and documents, translatable (weekdays Monday first, as
``date.weekday()``; months January first)."""

from django.utils.translation import gettext_lazy as _

# 星期一 … 星期日: in sentences and documents ("2025年3月10日（星期一）", "每月最后一个星期五").
WEEKDAYS = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))
# 周一 … 周日: column headings of a calendar.
WEEKDAYS_SHORT = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
# 1月 … 12月: chart and table headings.
MONTHS = (
    _("1月"),
    _("2月"),
    _("3月"),
    _("4月"),
    _("5月"),
    _("6月"),
    _("7月"),
    _("8月"),
    _("9月"),
    _("10月"),
    _("11月"),
    _("12月"),
)
