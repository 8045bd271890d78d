from accounts.models import Role
from accounts.scope import READ_ALL_ROLES, get_scope


def roles(request):
    """``scope`` and flags for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = get_scope(user)
    return {
        "scope": scope,
        "is_committee_staff": scope.has_any(Role.COMMITTEE_STAFF),
        "is_inspector": scope.has_any(Role.INSPECTOR),
        "is_sysadmin": scope.has_any(Role.SYSADMIN),
        "is_secadmin": scope.has_any(Role.SECADMIN),
        "is_auditadmin": scope.has_any(Role.AUDITADMIN),
        # Any business role beyond a plain member: sees branch-level pages (compliance, inspections).
        "is_officer": scope.has_any(*READ_ALL_ROLES),
        "has_business_role": bool(scope.roles()),
        "my_roles": sorted({Role(r).label for r in scope.roles() | scope.admin_roles}),
    }
