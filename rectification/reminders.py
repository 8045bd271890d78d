"""Reminders for rectification deadlines, registered with ``notifications.services.register_periodic``.

Two topics: ``rectification.due_soon`` (the deadline is within the next 7 days) and
``rectification.overdue`` (the deadline has passed and the item is not verified). The dedupe key
holds the item, the topic, the item's status and its deadline, so an item reminds once per state:
once when it comes due, once when it becomes overdue, and again only after its status or its
deadline changes (e.g. sent back to 整改中, or given a new deadline).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import Reminder
from rectification import rules
from rectification.models import Rectification, Status

OVERDUE = "rectification.overdue"
DUE_SOON = "rectification.due_soon"
DUE_SOON_DAYS = 7


def rectification_reminders(today: datetime.date, units: dict):
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = (
        Rectification.objects.active()
        .filter(unit_id__in=list(units), deadline__isnull=False, deadline__lte=horizon)
        .exclude(status=Status.VERIFIED)
        .select_related("responsible")
        .order_by("unit_id", "deadline", "id")
    )
    for item in rows:
        params = {
            "unit": units[item.unit_id].name,
            "problem": item.problem.strip()[:40],
            "date": item.deadline.isoformat(),
            "who": item.responsible.name if item.responsible_id else _("未指定"),
        }
        if rules.is_overdue(item.deadline, item.status, today):
            topic = OVERDUE
            title = _("%(unit)s：整改事项“%(problem)s”已超过期限（%(date)s）") % params
        elif rules.is_due_soon(item.deadline, item.status, today, DUE_SOON_DAYS):
            topic = DUE_SOON
            title = _("%(unit)s：整改事项“%(problem)s”将于 %(date)s 到期") % params
        else:
            continue
        body = _("责任人：%(who)s；当前状态：%(status)s。") % {**params, "status": item.get_status_display()}
        url = reverse("rectification:item.detail", kwargs={"pk": item.pk})
        key = f"{topic}:{item.pk}:{item.status}:{item.deadline.isoformat()}"
        yield Reminder(item.unit_id, topic, title, body, url, key)
