"""Who may see and do what in recognition: the app's one policy.

| action                                   | committee_staff | inspector | secretary            | committee_member | member            |
|------------------------------------------|-----------------|-----------|----------------------|------------------|-------------------|
| 五带头 scorecards (view)                  | scope           | scope     | own branch           | own branch       | their own         |
| 五带头 note add                           | scope           | –         | own branch, not their own card | –      | –                 |
| 五带头 note archive                       | scope           | –         | the note's author    | –                | –                 |
| 四强 view                                 | scope           | scope     | own branch           | own branch       | – (badge only)    |
| 四强 create, self-assess, submit          | scope           | –         | own branch           | –                | –                 |
| 四强 return, review, notice, objection, name, reject | scope | – | –                  | –                | –                 |
| 四强 criteria edit                        | yes             | –         | –                    | –                | –                 |
| nomination view                          | scope           | scope     | own branch           | own branch       | as the nominee    |
| nomination view when 公示中 / 已命名        | everyone signed in (a public notice is public)                              |
| nominate                                 | scope           | –         | own branch           | –                | –                 |
| review (score / vote)                    | scope           | scope     | –                    | –                | –                 |
| open review, decide, notice, objection, name, reject | scope | – | –                  | –                | –                 |
| certificate .docx (named only)           | scope           | scope     | own branch           | own branch       | as the nominee    |
| working-day calendar view                | everyone signed in                                                          |
| working-day calendar edit                | yes             | –         | –                    | –                | –                 |
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from members.models import Member
from organizations.models import Unit, UnitKind
from recognition.models import FiveLeadsNote, FourStrong, Nomination, NoticeStatus
from recognition.scorecard import branch_of_seat

READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
BRANCH_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
STAFF = (Role.COMMITTEE_STAFF,)
REVIEW_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
PUBLIC_STATUSES = (NoticeStatus.NOTICED, NoticeStatus.NAMED)

FOUR_STRONG_ACTIONS = {
    "view": READ_ROLES,
    "self_assess": BRANCH_ROLES,
    "submit": BRANCH_ROLES,
    "return": STAFF,
    "review": STAFF,
    "notice": STAFF,
    "object": STAFF,
    "name": STAFF,
    "reject": STAFF,
}
NOMINATION_ACTIONS = {
    "open_review": STAFF,
    "review": REVIEW_ROLES,
    "decide": STAFF,
    "notice": STAFF,
    "object": STAFF,
    "name": STAFF,
    "reject": STAFF,
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def own_member_id(user):
    """The party-member record id of ``user`` (cached on the user object)."""
    own = getattr(user, "_zhibu_member_id", "unset")
    if own == "unset":
        own = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        user._zhibu_member_id = own
    return own


def read_units(user):
    """Branches whose recognition records ``user`` reads by role."""
    scope = get_scope(user)
    return Unit.objects.filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=READ_ROLES)).order_by("path")


def branch_units(user):
    """Active branches ``user`` may apply or nominate for."""
    scope = get_scope(user)
    return (
        Unit.objects.active().filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=BRANCH_ROLES)).order_by("path")
    )


# --- visibility ------------------------------------------------------------------------------


def visible(user, queryset):
    """The rows of ``queryset`` (FourStrong or Nomination) ``user`` may see. Notes are reached
    through their scorecard (``can_view_scorecard``)."""
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    model = queryset.model
    if issubclass(model, Nomination):
        q = Q(member__user_id=user.pk) | Q(status__in=PUBLIC_STATUSES)
        if scope.has_any(*READ_ROLES):
            q |= scope.unit_q("unit__", roles=READ_ROLES)
        return queryset.filter(q)
    return queryset.filter(scope.unit_q("unit__", roles=READ_ROLES))


def get_visible_or_404(user, queryset, **lookup):
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def can_view_scorecard(user, member, unit) -> bool:
    if not _authenticated(user):
        return False
    return get_scope(user).has_role_on(unit, *READ_ROLES) or own_member_id(user) == member.pk


# --- actions ---------------------------------------------------------------------------------


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj``: a ``FourStrong`` or ``Nomination`` for their actions; a ``Unit`` for
    ``fourstrong.create`` / ``nominate`` / ``note.add`` (with ``member`` via ``can_add_note``);
    a ``FiveLeadsNote`` for ``note.archive``; None for ``criteria.edit`` / ``calendar.edit``.
    """
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    if action in ("criteria.edit", "calendar.edit"):
        return scope.has_any(*STAFF)
    if action in ("fourstrong.create", "nominate"):
        return scope.has_any(*BRANCH_ROLES) if obj is None else scope.has_role_on(obj, *BRANCH_ROLES)
    if action == "note.archive" and isinstance(obj, FiveLeadsNote):
        unit = branch_of_seat(obj.member, obj.year)
        if unit is None:
            return False
        return scope.has_role_on(unit, *STAFF) or (obj.author_id == user.pk and scope.has_role_on(unit, Role.SECRETARY))
    if isinstance(obj, FourStrong) and action in FOUR_STRONG_ACTIONS:
        return scope.has_role_on(obj.unit, *FOUR_STRONG_ACTIONS[action])
    if isinstance(obj, Nomination):
        if action == "view":
            return (
                scope.has_role_on(obj.unit, *READ_ROLES)
                or obj.status in PUBLIC_STATUSES
                or (obj.member_id is not None and own_member_id(user) == obj.member_id)
            )
        if action == "certificate":
            return scope.has_role_on(obj.unit, *READ_ROLES) or (
                obj.member_id is not None and own_member_id(user) == obj.member_id
            )
        if action in NOMINATION_ACTIONS:
            return scope.has_role_on(obj.unit, *NOMINATION_ACTIONS[action])
    raise ValueError(f"unknown action {action!r} for {type(obj).__name__}")


def can_add_note(user, member, unit) -> bool:
    """Staff on the branch; its secretary too, except on their own scorecard."""
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    if scope.has_role_on(unit, *STAFF):
        return True
    return scope.has_role_on(unit, Role.SECRETARY) and own_member_id(user) != member.pk
