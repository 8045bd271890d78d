"""Reading the audit log: the committee-wide log page and the 变更记录 tab of every object.

Who may read the log: committee staff and inspectors, within their scope; the audit
administrator (审计管理员, 三员) reads the whole log and nothing else. Only the audit
administrator sees the client IP address of an entry; everybody else sees the entry without it.
"""

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common.models import AuditEntry

LOG_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)


def can_read_log(user) -> bool:
    return get_scope(user).has_any(*LOG_ROLES, Role.AUDITADMIN)


def can_see_ip(user) -> bool:
    """The client IP of a log entry is for the audit administrator's eyes only."""
    return get_scope(user).has_any(Role.AUDITADMIN)


def visible_entries(user):
    scope = get_scope(user)
    if scope.has_any(Role.AUDITADMIN):
        return AuditEntry.objects.all()
    if not scope.has_any(*LOG_ROLES):
        return AuditEntry.objects.none()
    # Entries tied to a unit in scope; entries tied to no unit (logins, settings) only for
    # those whose grant is on a root unit.
    q = scope.unit_q("unit__", roles=LOG_ROLES)
    if any(len(p) == 7 for p in scope.paths(*LOG_ROLES)):
        q |= Q(unit__isnull=True)
    return AuditEntry.objects.filter(q)
