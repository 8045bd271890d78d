"""A user's scope: which units their role grants cover. The app policies build on this.

A grant on a unit covers that unit and everything below it in the tree, and nothing else.

The 三员 administrator roles (system, security, audit administrator) are not business roles:
they cover no unit, so an administrator sees no party records through ``unit_q`` / ``paths``
/ ``roles_on`` (lists are empty, objects answer 404). They are held in ``admin_roles`` and
answered by ``has_any`` and ``admin_role``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import ADMIN_ROLES, Role, RoleGrant

# Roles that may read everything under their grant.
READ_ALL_ROLES = {Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER}


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    role: str


@dataclass
class Scope:
    grants: list[Grant] = field(default_factory=list)
    admin_roles: set[str] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not self.grants and not self.admin_roles

    @property
    def admin_role(self) -> str | None:
        """The account's 三员 role, if any (an account holds at most one)."""
        return next(iter(sorted(self.admin_roles)), None)

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def roles_on(self, unit) -> set[str]:
        """Roles whose grant covers ``unit`` (the unit itself or one of its ancestors)."""
        return {g.role for g in self.grants if unit.path.startswith(g.path)}

    def has_role_on(self, unit, *roles: str) -> bool:
        return bool(self.roles_on(unit) & set(roles))

    def paths(self, *roles: str) -> list[str]:
        wanted = set(roles) if roles else None
        return sorted({g.path for g in self.grants if wanted is None or g.role in wanted})

    def unit_q(self, prefix: str = "", roles: tuple[str, ...] = ()) -> Q:
        """A filter selecting units (through ``prefix``, e.g. ``"unit__"``) covered by the grants."""
        paths = self.paths(*roles)
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for p in paths:
            q |= Q(**{f"{prefix}path__startswith": p})
        return q

    def has_any(self, *roles: str) -> bool:
        return bool((self.roles() | self.admin_roles) & set(roles))


def get_scope(user) -> Scope:
    """The user's active grants, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_zhibu_scope", None)
    if cached is not None:
        return cached
    rows = list(
        RoleGrant.objects.active()
        .filter(Q(unit__isnull=True) | Q(unit__archived_at__isnull=True), user=user)
        .values_list("unit_id", "unit__path", "role")
    )
    admin = {r.value for r in ADMIN_ROLES}
    scope = Scope(
        [Grant(u, p, r) for u, p, r in rows if r not in admin and u is not None],
        {r for _u, _p, r in rows if r in admin},
    )
    user._zhibu_scope = scope
    return scope
