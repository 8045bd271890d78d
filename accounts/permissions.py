"""Who may use the administrators' pages (三员).

The system administrator manages accounts; the security administrator manages role grants;
the audit administrator only reads the audit log (``accounts.auditlog``). Everybody else,
and each administrator on the other two's pages, gets 404: the page does not exist for them.
"""

from django.contrib.auth import get_user_model
from django.http import Http404

from accounts.models import Role, RoleGrant
from accounts.scope import get_scope
from common import visibility

ACCOUNT_ACTIONS = {"view", "create", "edit", "deactivate", "activate", "reset_password"}
GRANT_ACTIONS = {"view", "create", "revoke"}


def is_sysadmin(user) -> bool:
    return get_scope(user).has_any(Role.SYSADMIN)


def is_secadmin(user) -> bool:
    return get_scope(user).has_any(Role.SECADMIN)


def visible(user, queryset):
    """Accounts for the system administrator, grants for the security administrator."""
    if queryset.model is RoleGrant:
        return queryset if is_secadmin(user) else queryset.none()
    if queryset.model is get_user_model():
        return queryset if is_sysadmin(user) else queryset.none()
    raise ValueError(f"no policy for {queryset.model!r}")


def can(user, action: str, obj) -> bool:
    if isinstance(obj, RoleGrant) or action.startswith("grant."):
        if action.removeprefix("grant.") not in GRANT_ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        return is_secadmin(user)
    if action.removeprefix("account.") not in ACCOUNT_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return is_sysadmin(user)


def get_visible_or_404(user, queryset, **lookup):
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def require(user, action: str, obj=None) -> None:
    """The admin pages answer 404 to whoever is not their administrator."""
    if not can(user, action, obj):
        raise Http404
