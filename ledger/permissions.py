"""Who may use the ledger workbook: committee staff only (import and the template)."""

from accounts.models import Role
from accounts.scope import get_scope

ACTIONS = {"import", "template"}


def can(user, action: str, obj=None) -> bool:
    if action not in ACTIONS:
        return False
    return get_scope(user).has_any(Role.COMMITTEE_STAFF)
