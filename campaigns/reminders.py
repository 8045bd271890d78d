"""Overdue campaign tasks as ``run_periodic`` reminders (topic ``campaigns.task_overdue``).

Registered from ``CampaignsConfig.ready()``. For every running campaign (or one ended within the
last 30 days), each branch or member task past its due date and not done in a branch gives that
branch's secretary one reminder (deduplicated per task and branch, so daily runs add nothing).
The queries are those of ``campaigns.progress`` per campaign: a fixed number, whatever the size.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns import rules
from campaigns.models import Audience, Campaign
from campaigns.progress import load_facts, load_tasks
from notifications.services import Reminder
from organizations.models import UnitKind

TOPIC = "campaigns.task_overdue"
GRACE_DAYS = 30


def overdue_reminders(today: datetime.date, units: dict):
    branches = [u for u in units.values() if u.kind == UnitKind.BRANCH]
    if not branches:
        return
    campaigns = (
        Campaign.objects.active()
        .filter(start_on__lte=today, end_on__gte=today - datetime.timedelta(days=GRACE_DAYS))
        .select_related("unit")
    )
    for campaign in campaigns:
        mine = [b for b in branches if b.path.startswith(campaign.unit.path)]
        tasks, task_facts = load_tasks(campaign)
        due = [t for t in tasks if t.audience != Audience.COMMITTEE and t.due_on < today]
        if not mine or not due:
            continue
        facts = load_facts(campaign, [b.pk for b in mine], with_committee=False)
        for branch in mine:
            url = reverse("campaigns:campaign.branch", kwargs={"pk": campaign.pk, "unit_id": branch.pk})
            for task in due:
                state = rules.branch_task_state(task_facts[task.pk], branch.pk, facts, today)
                if not state.overdue:
                    continue
                params = {"unit": branch.name, "campaign": campaign.name, "task": task.title, "due": task.due_on}
                title = _("%(unit)s：“%(campaign)s”任务“%(task)s”已过期限（%(due)s）") % params
                if task.audience == Audience.MEMBER:
                    body = _("已完成 %(done)s / %(total)s 名党员。") % {"done": state.done, "total": state.total}
                else:
                    body = _("完成方式：%(how)s。") % {"how": task.get_evidence_display()}
                yield Reminder(branch.pk, TOPIC, title, body, url, f"{TOPIC}:{branch.pk}:{task.pk}")
