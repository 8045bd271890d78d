"""Writing notifications, and the periodic job that turns due work into reminders.

``notify`` is idempotent: the same ``dedupe_key`` for the same user is one notification, however
often it is called. ``run_periodic(today)`` gathers what is due (compliance obligations of the
current period, those missed in the previous one, committee terms to renew, members flagged for a
lapse in organisational life) and notifies whoever answers for the unit: the branch secretary, or
the group leader for a party group. Running it twice on the same day adds nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from common.audit import log_action
from notifications.models import Notification
from organizations.models import Unit, UnitKind

logger = logging.getLogger(__name__)

# Topics (the ``topic`` field); the list page shows them with these labels.
DUE = "compliance.due"
MISSED = "compliance.missed"
RENEWAL = "committees.renewal"
LAPSE = "participation.lapse"


def topic_labels() -> dict[str, str]:
    return {
        DUE: _("应办事项"),
        MISSED: _("逾期未办"),
        RENEWAL: _("换届提醒"),
        LAPSE: _("组织生活预警"),
    }


def notify(user, *, topic: str, unit=None, title: str, body: str = "", url: str = "", dedupe_key: str):
    """The user's notification for ``dedupe_key``: created once, returned as is afterwards.

    Returns ``(notification, created)``.
    """
    if not dedupe_key:
        raise ValueError("dedupe_key is required")
    existing = Notification.objects.filter(user=user, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return (
                Notification.objects.create(
                    user=user,
                    topic=topic,
                    unit=unit,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                    dedupe_key=dedupe_key[:200],
                ),
                True,
            )
    except IntegrityError:
        # Another run created it between our look-up and the insert.
        return Notification.objects.get(user=user, dedupe_key=dedupe_key[:200]), False


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def email_enabled() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def send_email(notification: Notification) -> bool:
    """Mail the notification once (``emailed_at`` marks it); False when it was not sent."""
    user = notification.user
    if not email_enabled() or not user.email or notification.emailed_at is not None:
        return False
    # Claim the row first, so that two overlapping runs never mail the same notification twice.
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}" if body else notification.url
    try:
        send_mail(
            subject=_("【支部工作台】%(title)s") % {"title": notification.title},
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:  # the SMTP relay refused: leave the notification for the next run
        logger.exception("sending notification %s by email failed", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        return False
    notification.emailed_at = timezone.now()
    return True


# ---------------------------------------------------------------------------------------------
# The periodic job


@dataclass
class PeriodicResult:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    emailed: int = 0
    without_recipient: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_existing(self) -> int:
        return sum(self.existing.values())

    def as_dict(self) -> dict:
        return {
            "created": dict(sorted(self.created.items())),
            "existing": dict(sorted(self.existing.items())),
            "emailed": self.emailed,
            "without_recipient": self.without_recipient,
        }


def responsible_users(units) -> dict[int, list]:
    """``{unit id: [users]}``: the secretary of each branch, the group leader of each party group.

    One query. A branch with no secretary grant falls back to nobody (counted by the caller).
    """
    units = list(units)
    branch_ids = [u.pk for u in units if u.kind == UnitKind.BRANCH]
    group_ids = [u.pk for u in units if u.kind == UnitKind.PARTY_GROUP]
    grants = (
        RoleGrant.objects.active()
        .filter(
            Q(unit_id__in=branch_ids, role=Role.SECRETARY) | Q(unit_id__in=group_ids, role=Role.GROUP_LEADER),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    out: dict[int, list] = {}
    for g in grants:
        out.setdefault(g.unit_id, []).append(g.user)
    return out


def _current_start(kind: str, today: datetime.date) -> datetime.date:
    if kind == "month":
        return today.replace(day=1)
    if kind == "quarter":
        return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return datetime.date(today.year, 1, 1)


def compliance_reminders(cells, today: datetime.date):
    """``[(cell, topic)]``: obligations due in the current period, and those missed in the
    period just before it (last month, last quarter, last year). Pure."""
    out = []
    for cell in cells:
        start = _current_start(cell.period_kind, today)
        if cell.status == "due" and cell.period_start <= today <= cell.period_end:
            out.append((cell, DUE))
        elif cell.status == "missed" and cell.period_end == start - datetime.timedelta(days=1):
            out.append((cell, MISSED))
    return out


def _plan_url(unit_id: int, year: int) -> str:
    return reverse("meetings:plan.list", kwargs={"pk": unit_id}) + f"?year={year}"


@dataclass(frozen=True)
class Reminder:
    """One notification another app wants ``run_periodic`` to send to a unit's responsible users."""

    unit_id: int
    topic: str
    title: str
    body: str
    url: str
    dedupe_key: str


_SOURCES: list = []


def register_periodic(source):
    """Register ``source(today, units) -> Iterable[Reminder]`` (``units``: {id: Unit} of active
    branches and party groups). Apps call this from ``AppConfig.ready()``; usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def run_periodic(today: datetime.date | None = None) -> PeriodicResult:
    """Notify for everything due on ``today``; safe to run any number of times."""
    from committees.services import renewal_reminders
    from compliance import participation
    from compliance.services import compliance_table

    today = today or timezone.localdate()
    result = PeriodicResult()
    units_qs = (
        Unit.objects.active()
        .filter(kind__in=[UnitKind.BRANCH, UnitKind.PARTY_GROUP])
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    )
    units = {u.pk: u for u in units_qs}
    recipients = responsible_users(units.values())
    touched: list[Notification] = []

    def send(unit, topic, title, body, url, key):
        users = recipients.get(unit.pk, [])
        if not users:
            result.without_recipient += 1
        for user in users:
            n, created = notify(user, topic=topic, unit=unit, title=title, body=body, url=url, dedupe_key=key)
            (result.created if created else result.existing)[topic] += 1
            touched.append(n)

    # (a) compliance: due this period, missed last period (last year's cells for the year rules
    # and for January's look back at December / Q4).
    cells = list(compliance_table(today.year, as_of=today, units=units_qs))
    cells += [c for c in compliance_table(today.year - 1, as_of=today, units=units_qs) if c.status == "missed"]
    for cell, topic in compliance_reminders(cells, today):
        unit = units.get(cell.unit_id)
        if unit is None:
            continue
        params = {"unit": unit.name, "rule": cell.rule_name, "period": cell.period}
        if topic == DUE:
            title = _("%(unit)s：%(rule)s（%(period)s）尚未完成") % params
        else:
            title = _("%(unit)s：%(rule)s（%(period)s）未完成") % params
        key = f"{topic}:{unit.pk}:{cell.rule_code}:{cell.period}"
        send(unit, topic, title, cell.explanation, _plan_url(unit.pk, cell.period_start.year), key)

    # (b) committee terms to renew (branches only).
    branches = units_qs.filter(kind=UnitKind.BRANCH)
    for term, status in renewal_reminders(branches, today):
        unit = units.get(term.unit_id)
        if unit is None:
            continue
        params = {"unit": unit.name, "term": term, "date": term.expires_on}
        if status == "expired":
            title = _("%(unit)s：%(term)s 已于 %(date)s 任期届满，请及时换届") % params
        else:
            title = _("%(unit)s：%(term)s 将于 %(date)s 任期届满，请做好换届准备") % params
        url = reverse("committees:term.detail", kwargs={"pk": term.pk})
        send(unit, RENEWAL, title, "", url, f"{RENEWAL}:{unit.pk}:{term.pk}:{status}")

    # (c) members flagged for a lapse in organisational life, to their branch's secretary.
    for flag in participation.lapse_flags(branches, as_of=today):
        unit = units.get(flag.branch_id)
        if unit is None:
            continue
        title = _("%(unit)s：党员 %(name)s 连续 %(n)s 个月未参加组织生活") % {
            "unit": unit.name,
            "name": flag.member_name,
            "n": flag.lapse.length,
        }
        url = reverse("compliance:participation.member", kwargs={"pk": flag.member_id})
        key = f"{LAPSE}:{unit.pk}:{flag.member_id}:{flag.lapse.start_label}"
        send(unit, LAPSE, title, flag.lapse.explanation, url, key)

    # (d) reminders of other apps (rectification deadlines, campaign tasks, ...).
    for source in _SOURCES:
        for reminder in source(today, units):
            unit = units.get(reminder.unit_id)
            if unit is not None:
                send(unit, reminder.topic, reminder.title, reminder.body, reminder.url, reminder.dedupe_key)

    # Email: once per notification, only where SMTP is configured and the user has an address.
    if email_enabled():
        for n in touched:
            if n.emailed_at is None and n.read_at is None and send_email(n):
                result.emailed += 1

    log_action(
        "notifications.periodic.ran",
        actor=None,
        data={"date": today.isoformat(), **result.as_dict()},
    )
    return result
