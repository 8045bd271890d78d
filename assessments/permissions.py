"""Who may see and do what in the assessments app: its one policy.

| action                         | committee_staff | inspector | secretary / committee_member         | member             |
|--------------------------------|-----------------|-----------|--------------------------------------|--------------------|
| set.view (years, indicator tree)| yes            | yes       | yes (read: how their branch is judged) | 404             |
| set.manage (tree, bands, recompute, publish) | yes | 403     | 403                                  | 404                |
| ranking (ranking, chart, .xlsx) | yes            | 403       | 403                                  | 404                |
| assessment.view (+ .docx)      | scope           | scope     | own branch, after publication only   | 404                |
| score.enter (manual leaves)    | scope           | scope     | 403                                  | 404                |
| duty.view                      | scope           | scope     | own branch (drafts too)              | own branch, once submitted |
| duty.create                    | –               | –         | secretary: own branch                | –                  |
| duty.edit / submit / upload    | the reporter (the secretary who wrote it), while a draft                       ||||
| duty.vote                      | the electorate fixed at submission: staff and inspectors over the branch, its members (never the reporter); once, while open ||||
| duty.not_voted (names)         | scope           | –         | –                                    | –                  |
| duty.close                     | scope           | –         | –                                    | –                  |

Rankings stay inside the committee (domain.md: "rankings used to shame"): only committee staff see
them. A secretary sees their own branch's result and its explanation once the year is published,
never the other branches' results or the rank. Out of scope answers 404; in scope but not allowed
answers 403.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.scope import get_scope
from assessments.models import Assessment, DutyReport, ReportStatus, SetStatus
from ballots import permissions as ballot_permissions
from members.models import Member

STAFF = (Role.COMMITTEE_STAFF,)
SCORERS = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
BRANCH_READERS = (Role.SECRETARY, Role.COMMITTEE_MEMBER)
READERS = (*SCORERS, *BRANCH_READERS)

ACTIONS = {
    "set.view",
    "set.manage",
    "ranking",
    "assessment.view",
    "score.enter",
    "duty.view",
    "duty.create",
    "duty.edit",
    "duty.vote",
    "duty.close",
    "duty.not_voted",
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _branch_member_q(user, prefix: str = "") -> Q:
    """Reports of branches ``user`` is a current member of."""
    units = (
        Member.objects.active()
        .filter(user_id=user.pk, branch_memberships__end_on__isnull=True)
        .values("branch_memberships__unit_id")
    )
    return Q(**{f"{prefix}unit_id__in": units})


def is_branch_member(user, unit) -> bool:
    return (
        _authenticated(user)
        and Member.objects.active()
        .filter(user_id=user.pk, branch_memberships__unit=unit, branch_memberships__end_on__isnull=True)
        .exists()
    )


def visible_assessments(user, queryset=None):
    if queryset is None:
        queryset = Assessment.objects.all()
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    q = scope.unit_q("unit__", roles=SCORERS)
    if scope.has_any(*BRANCH_READERS):
        q |= scope.unit_q("unit__", roles=BRANCH_READERS) & Q(indicator_set__status=SetStatus.PUBLISHED)
    return queryset.filter(q)


def get_assessment_or_404(user, queryset=None, **lookup) -> Assessment:
    try:
        return visible_assessments(user, queryset).get(**lookup)
    except Assessment.DoesNotExist as exc:
        raise Http404 from exc


def visible_reports(user, queryset=None):
    if queryset is None:
        queryset = DutyReport.objects.all()
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    q = scope.unit_q("unit__", roles=READERS) | Q(reporter__user_id=user.pk)
    q |= _branch_member_q(user) & ~Q(status=ReportStatus.DRAFT)
    return queryset.filter(q)


def get_report_or_404(user, queryset=None, **lookup) -> DutyReport:
    try:
        return visible_reports(user, queryset).get(**lookup)
    except DutyReport.DoesNotExist as exc:
        raise Http404 from exc


def secretary_branches(user):
    """Branches where ``user`` holds the secretary role (for writing a duty report)."""
    from organizations.models import Unit, UnitKind

    if not _authenticated(user):
        return Unit.objects.none()
    return Unit.objects.filter(kind=UnitKind.BRANCH, archived_at__isnull=True).filter(
        get_scope(user).unit_q("", roles=(Role.SECRETARY,))
    )


def can(user, action: str, obj=None) -> bool:
    """``obj``: nothing for set.* / ranking / duty.create, an Assessment for assessment.view, a
    Score for score.enter, a DutyReport for duty.*."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    if action == "set.view":
        return scope.has_any(*READERS)
    if action in ("set.manage", "ranking"):
        return scope.has_any(*STAFF)
    if action == "duty.create":
        return secretary_branches(user).exists()
    if action == "assessment.view":
        return visible_assessments(user).filter(pk=obj.pk).exists()
    if action == "score.enter":
        unit = obj.unit if isinstance(obj, Assessment) else obj.assessment.unit
        return scope.has_role_on(unit, *SCORERS)
    report: DutyReport = obj
    mine = report.reporter.user_id is not None and report.reporter.user_id == user.pk
    if action == "duty.view":
        return visible_reports(user).filter(pk=report.pk).exists()
    if action == "duty.edit":
        return mine and report.status == ReportStatus.DRAFT and not report.is_archived
    if action == "duty.close":
        return scope.has_role_on(report.unit, *STAFF)
    if action == "duty.not_voted":
        organiser = scope.has_role_on(report.unit, *STAFF)
        return ballot_permissions.can(user, "not_voted", report.ballot, organiser=organiser)
    # duty.vote: an elector of the ballot (members of the branch and the committee's staff and
    # inspectors, fixed at submission), who has not voted yet; never the reporter.
    if mine or report.status != ReportStatus.OPEN or report.is_archived:
        return False
    return ballot_permissions.can(user, "vote", report.ballot)
