"""Access-matrix rows for the accounts pages (loaded by tests/test_access_matrix.py).

The business personas hold no administrator role: every administrator page answers 404 to
them. ``ADMIN_MATRIX`` gives the same URLs (and some business pages) for the three
administrators (fixture ``admins``); accounts/tests/test_access_admins.py walks it.
"""

from tests.matrix import everyone

NOT_FOUND = everyone(404)

MATRIX = {
    "accounts:password_change": ("GET", everyone(200), None),
    # The second factor is off by default: nobody is asked, the pages send them home.
    "accounts:otp.enrol": ("GET", everyone(302), None),
    "accounts:otp.verify": ("GET", everyone(302), None),
    "accounts:account.list": ("GET", NOT_FOUND, None),
    "accounts:account.create": ("GET", NOT_FOUND, None),
    "accounts:account.edit": ("GET", NOT_FOUND, "account"),
    "accounts:account.deactivate": ("POST", NOT_FOUND, "account"),
    "accounts:account.activate": ("POST", NOT_FOUND, "account"),
    "accounts:account.reset_password": ("POST", NOT_FOUND, "account"),
    "accounts:grant.list": ("GET", NOT_FOUND, None),
    "accounts:grant.create": ("GET", NOT_FOUND, None),
    "accounts:grant.revoke": ("POST", NOT_FOUND, "grant"),
}

POST_DATA = {}


def target_kwargs(target, personas):
    """``account``: member_a's user account; ``grant``: member_a's role grant."""
    if target == "account":
        return {"pk": personas.member_a.pk}
    if target == "grant":
        return {"pk": personas.member_a.grants.get().pk}
    return None


ADMINS = ("sysadmin", "secadmin", "auditadmin")

# url name: (method, {admin: expected status}, target)
ADMIN_MATRIX = {
    "accounts:password_change": ("GET", dict.fromkeys(ADMINS, 200), None),
    "accounts:account.list": ("GET", {"sysadmin": 200, "secadmin": 404, "auditadmin": 404}, None),
    "accounts:account.create": ("GET", {"sysadmin": 200, "secadmin": 404, "auditadmin": 404}, None),
    "accounts:account.edit": ("GET", {"sysadmin": 200, "secadmin": 404, "auditadmin": 404}, "account"),
    "accounts:account.deactivate": ("POST", {"sysadmin": 302, "secadmin": 404, "auditadmin": 404}, "account"),
    "accounts:account.activate": ("POST", {"sysadmin": 302, "secadmin": 404, "auditadmin": 404}, "account"),
    "accounts:account.reset_password": ("POST", {"sysadmin": 200, "secadmin": 404, "auditadmin": 404}, "account"),
    "accounts:grant.list": ("GET", {"sysadmin": 404, "secadmin": 200, "auditadmin": 404}, None),
    "accounts:grant.create": ("GET", {"sysadmin": 404, "secadmin": 200, "auditadmin": 404}, None),
    "accounts:grant.revoke": ("POST", {"sysadmin": 404, "secadmin": 302, "auditadmin": 404}, "grant"),
    "accounts:audit.list": ("GET", {"sysadmin": 404, "secadmin": 404, "auditadmin": 200}, None),
    # Business pages: administrators hold no business role. Lists open empty (scope covers no
    # unit), objects answer 404, creating answers 403 like any role without the right.
    "portal:home": ("GET", dict.fromkeys(ADMINS, 200), None),
    "organizations:unit.tree": ("GET", dict.fromkeys(ADMINS, 200), None),
    "organizations:unit.detail": ("GET", dict.fromkeys(ADMINS, 404), "unit"),
    "members:member.list": ("GET", dict.fromkeys(ADMINS, 200), None),
    "members:member.detail": ("GET", dict.fromkeys(ADMINS, 404), "member"),
    "members:member.reveal": ("POST", dict.fromkeys(ADMINS, 404), "member"),
    "committees:term.detail": ("GET", dict.fromkeys(ADMINS, 404), "term"),
    "ledger:import": ("GET", dict.fromkeys(ADMINS, 404), None),
}
