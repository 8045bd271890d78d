"""Re-review reminder: a branch named 四强 last year must be re-reviewed this year, or it lapses.

Sent from 1 October of the re-review year while no application for this year exists; the dedupe
key holds the branch and the year, so it reminds once a year."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import Reminder
from recognition.models import FourStrong, NoticeStatus
from recognition.services import lapse_unreviewed

TOPIC = "recognition.fourstrong.rereview"
FROM_MONTH = 10


def rereview_reminders(today: datetime.date, units: dict):
    if today.month < FROM_MONTH:
        return
    named = FourStrong.objects.filter(unit_id__in=list(units), year=today.year - 1, status=NoticeStatus.NAMED)
    started = set(FourStrong.objects.filter(unit_id__in=list(units), year=today.year).values_list("unit_id", flat=True))
    for app in named.order_by("unit_id"):
        if app.unit_id in started:
            continue
        params = {"unit": units[app.unit_id].name, "year": today.year, "named": app.year}
        yield Reminder(
            app.unit_id,
            TOPIC,
            _("%(unit)s：%(named)s年度四强支部须在 %(year)s 年内复评") % params,
            _("未在年内完成复评并命名的，四强支部称号失效。"),
            reverse("recognition:fourstrong.list") + f"?year={today.year}",
            f"{TOPIC}:{app.unit_id}:{today.year}",
        )


LAPSED_TOPIC = "recognition.fourstrong.lapsed"


def lapse_and_notify(today: datetime.date, units: dict):
    """The periodic job also carries out the lapse (已失效) of namings not re-reviewed in time,
    and tells the branch; running it twice lapses nothing twice and sends nothing twice."""
    for app in lapse_unreviewed(today):
        if app.unit_id not in units:
            continue
        params = {"unit": units[app.unit_id].name, "named": app.year}
        yield Reminder(
            app.unit_id,
            LAPSED_TOPIC,
            _("%(unit)s：%(named)s年度四强支部称号因未按期复评已失效") % params,
            "",
            reverse("recognition:fourstrong.list"),
            f"{LAPSED_TOPIC}:{app.unit_id}:{app.year}",
        )
