"""Recognition on other apps' pages, computed here so those apps' views stay untouched.

``{% member_fiveleads member as x %}`` (member page): the member's 五带头 scorecards of the current
year, for readers allowed to see them. ``{% branch_recognition unit as x %}`` (branch page): the
四强 badge, 党建示范点 badges and the committee members × five duties table of the current year."""

from django import template
from django.utils import timezone

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
    user = _user(context)
    year = timezone.localdate().year
    if user is None or unit is None or unit.kind != "branch":
        return {"show": False}
    named_years = set(FourStrong.objects.filter(unit=unit, status=NoticeStatus.NAMED).values_list("year", flat=True))
    standing, named_year = rules.four_strong_standing(named_years, year)
    sites = list(
        Nomination.objects.filter(unit=unit, kind=NominationKind.DEMO_SITE, status=NoticeStatus.NAMED).order_by(
            "-year"
        )[:3]
    )
    cards = []
    if permissions.read_units(user).filter(pk=unit.pk).exists():
        cards = scorecards(seats_in_year(year, units=[unit]), year)
    return {
        "show": bool(standing or sites or cards),
        "standing": standing,
        "named_year": named_year,
        "sites": sites,
        "year": year,
        "cards": cards,
        "duties": Duty.choices,
    }
