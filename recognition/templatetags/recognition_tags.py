"""Recognition on other apps' pages, computed here so those apps' views stay untouched.

``{% member_fiveleads member as x %}`` (member page): the member's 五带头 scorecards of the current
year, for readers allowed to see them. ``{% branch_recognition unit as x %}`` (branch page): the
四强 badge and 党建示范点 badges; the committee members × five duties table of the current year
on ``?tab=fiveleads`` (a link on the overview opens it)."""

from django import template
from django.db.models import Max
from django.utils import timezone

from accounts.scope import get_scope
from recognition import permissions, rules
from recognition.models import Duty, FourStrong, Nomination, NominationKind, NoticeStatus
from recognition.scorecard import scorecards, seats_in_year

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def member_fiveleads(context, member):
    user = _user(context)
    year = timezone.localdate().year
    if user is None or member is None:
        return {"year": year, "cards": []}
    seats = [s for s in seats_in_year(year, member=member) if permissions.can_view_scorecard(user, member, s.term.unit)]
    return {"year": year, "cards": scorecards(seats, year)}


@register.simple_tag(takes_context=True)
def branch_recognition(context, unit):
    """Badges always (two queries); the committee × five duties table only on ``?tab=fiveleads``,
    so the branch overview keeps its small, fixed query count."""
    user = _user(context)
    year = timezone.localdate().year
    if user is None or unit is None or unit.kind != "branch":
        return {"show": False}
    last_named = (
        FourStrong.objects.filter(unit=unit, status=NoticeStatus.NAMED, year__lte=year)
        .aggregate(last=Max("year"))
        .get("last")
    )
    standing, named_year = rules.four_strong_standing({last_named} if last_named else set(), year)
    sites = list(
        Nomination.objects.filter(unit=unit, kind=NominationKind.DEMO_SITE, status=NoticeStatus.NAMED).order_by(
            "-year"
        )[:3]
    )
    can_read = get_scope(user).has_role_on(unit, *permissions.READ_ROLES)
    request = context.get("request")
    wants_table = can_read and request is not None and request.GET.get("tab") == "fiveleads"
    cards = scorecards(seats_in_year(year, units=[unit]), year) if wants_table else []
    return {
        "show": bool(standing or sites or can_read),
        "standing": standing,
        "named_year": named_year,
        "sites": sites,
        "year": year,
        "can_read": can_read,
        "wants_table": wants_table,
        "cards": cards,
        "duties": Duty.choices,
    }
