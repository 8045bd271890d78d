"""Writing notifications, and the periodic job that turns due work into reminders.

``notify`` is idempotent: the same ``dedupe_key`` for the same user is one notification, however
often it is called. ``run_periodic(today)`` gathers what the registered jobs find due (apps
register them with ``register_periodic`` from ``AppConfig.ready()``: compliance obligations of
the current period and those missed in the previous one, committee terms to renew, members flagged
for a lapse in organisational life, rectification deadlines, …) and notifies whoever answers for
the unit: the branch secretary, or the group leader for a party group. Running it twice on the
same day adds nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from common.audit import log_action
from common.registry import Registry
from notifications.models import Notification
from organizations.models import Unit, UnitKind

logger = logging.getLogger(__name__)


def topic_labels() -> dict[str, str]:
    """The labels of the topics (the ``topic`` field) that the registered jobs declared."""
    labels: dict[str, str] = {}
    for job in periodic_jobs:
        labels.update({topic: str(label) for topic, label in job.topics.items()})
    return labels


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


@dataclass(frozen=True)
class Reminder:
    """One notification another app wants ``run_periodic`` to send to a unit's responsible users."""

    unit_id: int
    topic: str
    title: str
    body: str
    url: str
    dedupe_key: str


@dataclass(frozen=True)
class PeriodicJob:
    """``run(today, units) -> Iterable[Reminder]`` (``units``: {id: Unit} of the active branches
    and party groups); ``topics``: {topic: label} of the reminders it yields."""

    key: str
    run: Callable[[datetime.date, dict[int, Unit]], Iterable[Reminder]]
    order: int = 100
    topics: dict = field(default_factory=dict)


periodic_jobs: Registry[PeriodicJob] = Registry("periodic_jobs")


def _job_key(source) -> str:
    return f"{source.__module__}.{source.__qualname__}"


def register_periodic(source, *, order: int = 100, topics: dict | None = None):
    """Register ``source(today, units) -> Iterable[Reminder]`` to run daily. Apps call this
    from ``AppConfig.ready()``; usable as a decorator. Jobs run by ``order``, then as registered."""
    periodic_jobs.register(PeriodicJob(_job_key(source), source, order, dict(topics or {})))
    return source


def unregister_periodic(source) -> None:
    periodic_jobs.unregister(_job_key(source))


def periodic_units(today: datetime.date):
    """The units the periodic job serves on ``today``: active branches and party groups that
    have not been dissolved by then (jobs that query by unit start from this queryset)."""
    return (
        Unit.objects.active()
        .filter(kind__in=[UnitKind.BRANCH, UnitKind.PARTY_GROUP])
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    )


def run_periodic(today: datetime.date | None = None) -> PeriodicResult:
    """Notify for everything due on ``today``; safe to run any number of times."""
    today = today or timezone.localdate()
    result = PeriodicResult()
    units = {u.pk: u for u in periodic_units(today)}
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

    for job in periodic_jobs:
        for reminder in job.run(today, units):
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
