"""The home page: the committee overview or the units the reader leads, the registered home
panels (``common.registry.home_panels``: compliance, study, …) and the reader's own record."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.scope import get_scope
from committees import services as committee_services
from committees.models import CommitteeTerm, RoleDuty, TermMember, TermStatus
from common.registry import home_panels, shown_panels
from members.models import Member
from members.queries import MemberCount, member_counts
from organizations.models import Unit, UnitKind

OVERVIEW_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
BRANCH_ROLES = (Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER)


def _reminders(units_qs, today):
    return (
        committee_services.renewal_reminders(units_qs, today),
        committee_services.branches_without_current_term(units_qs),
    )


def _current_terms(unit_ids):
    terms = (
        CommitteeTerm.objects.active()
        .filter(unit_id__in=unit_ids, status=TermStatus.CURRENT)
        .select_related("unit")
        .prefetch_related(Prefetch("seats", queryset=TermMember.objects.select_related("member")))
    )
    return {t.unit_id: t for t in terms}


def _committee_overview(scope, today):
    """Counts, every branch with its members and current term, and the 换届提醒 of the scope."""
    units_qs = Unit.objects.active().filter(dissolved_on__isnull=True).filter(scope.unit_q(roles=OVERVIEW_ROLES))
    units = list(units_qs.select_related("parent").order_by("path"))
    counts = member_counts(units)
    branches = [u for u in units if u.kind == UnitKind.BRANCH]
    terms = _current_terms([b.pk for b in branches])
    totals = MemberCount()
    for b in branches:
        b.member_count = counts.get(b.pk, MemberCount())
        b.term = terms.get(b.pk)
        b.renewal = b.term.renewal_status(today) if b.term else None
        totals.full += b.member_count.full
        totals.probationary += b.member_count.probationary
    reminders, missing = _reminders(units_qs, today)
    return {
        "branch_count": len(branches),
        "group_count": sum(1 for u in units if u.kind == UnitKind.PARTY_GROUP),
        "members": totals,
        "branches": branches,
        "reminders": reminders,
        "missing_terms": missing,
    }


def _unit_summaries(scope, today):
    """For secretaries, committee members and group leaders: the units they lead."""
    paths = scope.paths(*BRANCH_ROLES)
    if not paths:
        return []
    # Only the topmost granted units: a grant on a branch already covers its party groups.
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    units = list(Unit.objects.active().filter(path__in=tops).order_by("path"))
    if not units:
        return []
    children = Unit.objects.active().filter(parent__in=units, dissolved_on__isnull=True).order_by("sort_order", "path")
    children = list(children)
    counts = member_counts([*units, *children])
    terms = _current_terms([u.pk for u in units])
    summaries = []
    for unit in units:
        unit.member_count = counts.get(unit.pk, MemberCount())
        unit.roles = sorted(Role(r).label for r in scope.roles_on(unit) & set(BRANCH_ROLES))
        groups = [c for c in children if c.parent_id == unit.pk]
        for g in groups:
            g.member_count = counts.get(g.pk, MemberCount())
        reminders, missing = (
            _reminders(Unit.objects.subtree(unit).active().filter(dissolved_on__isnull=True), today)
            if unit.kind != UnitKind.PARTY_GROUP
            else ([], [])
        )
        summaries.append(
            {
                "unit": unit,
                "term": terms.get(unit.pk),
                "groups": groups,
                "reminders": reminders,
                "missing_terms": missing,
            }
        )
    return summaries


def _my_membership(user):
    """The user's own party record: branch, party group, committee roles and their duties."""
    member = Member.objects.active().filter(user=user).with_open_memberships().first()
    if member is None:
        return None
    seats = list(
        TermMember.objects.filter(member=member, term__status=TermStatus.CURRENT, term__archived_at__isnull=True)
        .select_related("term__unit")
        .order_by("sort_order", "id")
    )
    duties = {d.role: d for d in RoleDuty.objects.filter(role__in={s.role for s in seats})}
    for seat in seats:
        seat.duty = duties.get(seat.role)
    return {
        "member": member,
        "branch": member.open_branches[0].unit if member.open_branches else None,
        "group": member.open_groups[0].unit if member.open_groups else None,
        "seats": seats,
    }


@require_GET
def home(request):
    scope = get_scope(request.user)
    today = timezone.localdate()
    ctx = {"today": today}
    if scope.has_any(*OVERVIEW_ROLES):
        ctx["overview"] = _committee_overview(scope, today)
    else:
        ctx["summaries"] = _unit_summaries(scope, today)
    ctx["me"] = _my_membership(request.user)
    ctx["no_role"] = scope.is_empty
    ctx["panels"] = shown_panels(home_panels, request.user, today)
    return render(request, "portal/home.html", ctx)
