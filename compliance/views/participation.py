"""Members' participation pages: a branch's members with rates and lapse flags, one member's
year ("my meetings and absences"), and the leading cadres' dual organisational life."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance import participation
from members import permissions as member_permissions
from members.models import Member
from organizations import permissions as unit_permissions
from organizations.models import Unit


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 1900 <= year <= today.year + 1 else today.year


def _years(request, today) -> dict:
    """The year asked for (``?year=``, this year by default) and the years its page links to."""
    year = _year(request, today)
    return {"year": year, "years": [year - 1, year] + ([year + 1] if year < today.year else [])}


@require_GET
def branch(request, pk):
    unit = unit_permissions.get_visible_or_404(request.user, Unit.objects.branches(), pk=pk)
    if not participation.can_see_branch(request.user, unit):
        raise PermissionDenied
    today = timezone.localdate()
    years = _years(request, today)
    year = years["year"]
    rows = participation.branch_participation(unit, year, today=today)
    return render(
        request,
        "compliance/participation_branch.html",
        {
            "unit": unit,
            **years,
            "rows": rows,
            "flagged": [r for r in rows if r.lapse],
            "lapse_months": participation.lapse_months(),
        },
    )


@require_GET
def member(request, pk):
    person = member_permissions.get_visible_or_404(request.user, Member.objects.all(), pk=pk)
    today = timezone.localdate()
    years = _years(request, today)
    year = years["year"]
    data = participation.member_year(person, year, today=today)
    return render(
        request,
        "compliance/participation_member.html",
        {
            "person": person,
            "is_self": person.user_id == request.user.pk,
            **years,
            "data": data,
            "lapse_months": participation.lapse_months(),
        },
    )


@require_GET
def mine(request):
    """My meetings and absences: the signed-in member's own page."""
    person = Member.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return redirect("compliance:participation.member", pk=person.pk)


@require_GET
def cadres(request):
    if not participation.can_see_cadres(request.user):
        raise Http404
    today = timezone.localdate()
    years = _years(request, today)
    year = years["year"]
    members = Member.objects.filter(participation.cadre_scope_q(request.user))
    rows = participation.cadre_report(members, year, today=today)
    return render(
        request,
        "compliance/participation_cadres.html",
        {
            **years,
            "rows": rows,
        },
    )
