from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.scope import get_scope
from common import permissions
from common.forms import AuditFilterForm
from compliance.home import home_context as compliance_home
from organizations.models import Unit, UnitKind
from organizations.queries import MemberCount, member_counts
from study.home import home_context as study_home

OVERVIEW_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
BRANCH_ROLES = (Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER)


def _reminders(units_qs, today):
    from committees import services as committee_services

    return (
        committee_services.renewal_reminders(units_qs, today),
        committee_services.branches_without_current_term(units_qs),
    )


def _current_terms(unit_ids):
    from committees.models import CommitteeTerm, TermMember, TermStatus

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
    from committees.models import RoleDuty, TermMember, TermStatus
    from members.models import Member

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
    ctx.update(compliance_home(request.user, today))
    ctx.update(study_home(request.user, today))
    return render(request, "common/home.html", ctx)


@require_GET
def audit_list(request):
    if not permissions.can_read_log(request.user):
        raise Http404
    entries = permissions.visible_entries(request.user)
    form = AuditFilterForm(request.GET or None)
    form.is_valid()  # filters that are valid apply; the others show their error
    data = getattr(form, "cleaned_data", {})
    if data.get("app"):
        entries = entries.filter(action__startswith=data["app"] + ".")
    if data.get("action"):
        entries = entries.filter(action__startswith=data["action"])
    if data.get("actor"):
        entries = entries.filter(actor__username__iexact=data["actor"])
    if data.get("date_from"):
        entries = entries.filter(created_at__date__gte=data["date_from"])
    if data.get("date_to"):
        entries = entries.filter(created_at__date__lte=data["date_to"])
    if data.get("q"):
        entries = entries.filter(Q(object_repr__icontains=data["q"]) | Q(unit__name__icontains=data["q"]))
    entries = entries.select_related("actor", "content_type", "unit").order_by("-created_at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "common/audit_list.html",
        {"form": form, "page": page, "entries": page.object_list, "query": query.urlencode()},
    )
