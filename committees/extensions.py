"""What committees adds to the pages and jobs of the apps below it (registered from ``ready()``):
the committee panel of a unit page, the seats panel of a member page, the renewal reminders of
the periodic job, and its navigation entries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from committees.models import CommitteeTerm, RoleDuty, TermMember, TermStatus
from committees.services import branches_without_current_term, renewal_reminders
from common.registry import Panel, add_nav
from members.registry import member_panels
from notifications.services import Reminder, periodic_units, register_periodic
from organizations.models import Unit, UnitKind
from organizations.registry import branch_panels

RENEWAL = "committees.renewal"


def _branch_committee(request, unit: Unit, today: datetime.date) -> dict | None:
    """The unit's current committee, and the 换届提醒 of its subtree (not for party groups)."""
    if unit.kind == UnitKind.PARTY_GROUP:
        return None
    ctx = {
        "term": (
            CommitteeTerm.objects.active()
            .filter(unit=unit, status=TermStatus.CURRENT)
            .select_related("approval")
            .prefetch_related(Prefetch("seats", queryset=TermMember.objects.select_related("member")))
            .first()
        )
    }
    if not unit.is_archived:
        units_qs = Unit.objects.subtree(unit).active().filter(dissolved_on__isnull=True)
        ctx["reminders"] = renewal_reminders(units_qs, today)
        ctx["missing_terms"] = branches_without_current_term(units_qs)
    return ctx


def _member_seats(request, member) -> dict:
    """The seats the member holds in current committees, each with its role's duties."""
    seats = list(
        TermMember.objects.filter(member=member, term__status=TermStatus.CURRENT)
        .select_related("term__unit")
        .order_by("term__unit__path", "sort_order")
    )
    duties = {d.role: d for d in RoleDuty.objects.filter(role__in={s.role for s in seats})}
    return {"seats": [(seat, duties[seat.role].items if seat.role in duties else None) for seat in seats]}


def renewal_jobs(today: datetime.date, units: dict):
    """Committee terms to renew (branches only), to the branch's secretary."""
    branches = periodic_units(today).filter(kind=UnitKind.BRANCH)
    for term, status in renewal_reminders(branches, today):
        unit = units.get(term.unit_id)
        if unit is None:
            continue
        params = {"unit": unit.name, "term": term, "date": term.expires_on}
        if status == "expired":
            title = _("%(unit)s：%(term)s 已于 %(date)s 任期届满，请及时换届") % params
        else:
            title = _("%(unit)s：%(term)s 将于 %(date)s 任期届满，请做好换届准备") % params
        yield Reminder(
            unit_id=unit.pk,
            topic=RENEWAL,
            title=title,
            body="",
            url=reverse("committees:term.detail", kwargs={"pk": term.pk}),
            dedupe_key=f"{RENEWAL}:{unit.pk}:{term.pk}:{status}",
        )


def register() -> None:
    branch_panels.register(
        Panel("committees.committee", "committees/_branch_committee.html", _branch_committee, order=10)
    )
    member_panels.register(Panel("committees.seats", "committees/_member_seats.html", _member_seats, order=10))
    register_periodic(renewal_jobs, order=20, topics={RENEWAL: gettext_lazy("换届提醒")})
    add_nav(
        pgettext_lazy("nav", "支委会"),
        "committees:term.list",
        "organization",
        40,
        active=lambda app, url: app == "committees" and url != "duty.list",
    )
    add_nav(
        pgettext_lazy("nav", "工作职责"),
        "committees:duty.list",
        "organization",
        50,
        active=lambda app, url: url == "duty.list",
    )
