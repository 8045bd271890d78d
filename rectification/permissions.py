"""Who may see and do what with rectification items and member appraisals: the app's one policy.

Items:

| action                        | committee_staff | inspector | secretary          | committee_member | member                       |
|-------------------------------|-----------------|-----------|--------------------|------------------|------------------------------|
| view, evidence.download       | scope           | scope     | own branch         | own branch       | responsible / concerned      |
| export                        | scope           | scope     | own branch         | own branch       | –                            |
| create, edit, archive/restore | scope           | scope     | own branch         | –                | –                            |
| start, submit, evidence.upload| scope           | –         | own branch         | –                | as the responsible person    |
| verify, return                | scope           | scope     | own branch, source 组织生活会/民主评议 | – | –                      |

Verify and return are never allowed to the user who submitted the item (also a rule in
``rules.move_errors``). A group leader has no item rights beyond those of a member.

Appraisal rounds:

| action                                  | staff | inspector | secretary / committee_member | member                 |
|-----------------------------------------|-------|-----------|------------------------------|------------------------|
| view (round page with the vote tally)   | scope | scope     | own branch                   | –                      |
| view_own (their own part of the round)  | –     | –         | –                            | on the round's roll    |
| manage (create, open and close voting, decide, archive, restore; sees who has not voted while open) | scope | – | own branch | – |
| self_assess                             | –     | –         | –                            | their own result       |
| vote                                    | –     | –         | –                            | on the round's roll    |

Everybody on a round's roll (the secretary too) assesses themselves and votes as a member, once
(``ballots``: the roll is the ballot's electorate). Nobody, whatever the role, sees who voted how;
the counts show once voting is closed, and only with enough voters (docs/ballots.md).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from members.models import Member
from organizations.models import Unit, UnitKind
from rectification import rules
from rectification.models import AppraisalResult, AppraisalRound, Rectification

READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
CREATE_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY)
WORK_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
VERIFY_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
APPRAISAL_READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
APPRAISAL_MANAGE_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY, Role.COMMITTEE_MEMBER)

ITEM_ACTIONS = {
    "view",
    "edit",
    "archive",
    "restore",
    "start",
    "submit",
    "verify",
    "return",
    "evidence.upload",
    "evidence.download",
}
ROUND_ACTIONS = {"view", "view_own", "manage"}
RESULT_ACTIONS = {"self_assess"}
GLOBAL_ACTIONS = {"create", "export", "round.create"}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# ---------------------------------------------------------------------------------------------
# Items


def visible(user, queryset=None):
    """The items of ``queryset`` (default: all, archived included) ``user`` may see."""
    if queryset is None:
        queryset = Rectification.objects.all()
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    q = Q(responsible__user_id=user.pk) | Q(member__user_id=user.pk)
    if scope.has_any(*READ_ROLES):
        q |= scope.unit_q("unit__", roles=READ_ROLES)
    return queryset.filter(q)


def get_visible_or_404(user, queryset=None, **lookup) -> Rectification:
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def ledger_units(user):
    """Branches whose ledger ``user`` reads by role (the list's unit filter)."""
    scope = get_scope(user)
    return Unit.objects.filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=READ_ROLES)).order_by("path")


def units_for_create(user):
    """Branches (not archived) ``user`` may open items for."""
    scope = get_scope(user)
    return (
        Unit.objects.active().filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=CREATE_ROLES)).order_by("path")
    )


def unit_in_scope(user, unit) -> bool:
    return bool(get_scope(user).roles_on(unit))


def _is_person(user, member_id) -> bool:
    """Whether ``member_id`` is the party member record of ``user`` (uses a cached lookup)."""
    if member_id is None:
        return False
    own = getattr(user, "_zhibu_member_id", "unset")
    if own == "unset":
        own = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        user._zhibu_member_id = own
    return own is not None and own == member_id


def _can_item(user, action: str, item: Rectification) -> bool:
    scope = get_scope(user)
    unit = item.unit
    if action in ("view", "evidence.download"):
        return (
            scope.has_role_on(unit, *READ_ROLES)
            or _is_person(user, item.responsible_id)
            or _is_person(user, item.member_id)
        )
    if action in ("edit", "archive", "restore"):
        return scope.has_role_on(unit, *CREATE_ROLES)
    if action in ("start", "submit", "evidence.upload"):
        return scope.has_role_on(unit, *WORK_ROLES) or _is_person(user, item.responsible_id)
    # verify, return: never the user who submitted it
    if item.submitted_by_id is not None and item.submitted_by_id == user.pk:
        return False
    if scope.has_role_on(unit, *VERIFY_ROLES):
        return True
    return item.source in rules.SECRETARY_VERIFIES and scope.has_role_on(unit, Role.SECRETARY)


# ---------------------------------------------------------------------------------------------
# Appraisal rounds


def visible_rounds(user, queryset=None):
    """Rounds ``user`` reads by role, and rounds on whose roll the user stands."""
    if queryset is None:
        queryset = AppraisalRound.objects.all()
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    q = Q(pk__in=AppraisalResult.objects.filter(member__user_id=user.pk).values("round_id"))
    if scope.has_any(*APPRAISAL_READ_ROLES):
        q |= scope.unit_q("unit__", roles=APPRAISAL_READ_ROLES)
    return queryset.filter(q)


def get_round_or_404(user, queryset=None, **lookup) -> AppraisalRound:
    try:
        return visible_rounds(user, queryset).get(**lookup)
    except AppraisalRound.DoesNotExist as exc:
        raise Http404 from exc


def units_for_round(user):
    scope = get_scope(user)
    return (
        Unit.objects.active()
        .filter(kind=UnitKind.BRANCH)
        .filter(scope.unit_q("", roles=APPRAISAL_MANAGE_ROLES))
        .order_by("path")
    )


def own_result(user, rnd: AppraisalRound) -> AppraisalResult | None:
    """The user's own result row in the round (they stand on its roll), or None."""
    if not _authenticated(user):
        return None
    return rnd.results.select_related("member").filter(member__user_id=user.pk).first()


def _can_round(user, action: str, rnd: AppraisalRound) -> bool:
    scope = get_scope(user)
    if action == "view":
        return scope.has_role_on(rnd.unit, *APPRAISAL_READ_ROLES)
    if action == "manage":
        return scope.has_role_on(rnd.unit, *APPRAISAL_MANAGE_ROLES)
    # view_own: standing on the roll
    return rnd.results.filter(member__user_id=user.pk).exists()


# ---------------------------------------------------------------------------------------------


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj``: a ``Rectification`` for the item actions, an ``AppraisalRound`` for view / view_own /
    manage of a round, an ``AppraisalResult`` for ``self_assess`` and ``vote`` (the voter's own
    row), a ``Unit`` (or None: any unit) for ``create`` / ``round.create`` and None for ``export``.
    """
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    if action == "create":
        return scope.has_any(*CREATE_ROLES) if obj is None else scope.has_role_on(obj, *CREATE_ROLES)
    if action == "round.create":
        roles = APPRAISAL_MANAGE_ROLES
        return scope.has_any(*roles) if obj is None else scope.has_role_on(obj, *roles)
    if action == "export":
        return scope.has_any(*READ_ROLES)
    if isinstance(obj, Rectification) and action in ITEM_ACTIONS:
        return _can_item(user, action, obj)
    if isinstance(obj, AppraisalRound) and action in ROUND_ACTIONS:
        return _can_round(user, action, obj)
    if isinstance(obj, AppraisalResult) and action in ("self_assess", "vote"):
        return obj.member.user_id is not None and obj.member.user_id == user.pk
    raise ValueError(f"unknown action {action!r} for {type(obj).__name__}")
