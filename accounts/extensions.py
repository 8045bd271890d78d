"""What accounts adds to the shared pages (registered from ``AppConfig.ready()``): the administrators' navigation entries (accounts, grants, the audit log)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import add_nav


def _pages(prefix: str):
    """Active on the accounts pages whose URL name starts with ``prefix``."""
    return lambda app, url: app == "accounts" and url.startswith(prefix)


def register() -> None:
    for label, url_name, order, flags, active in (
        (pgettext_lazy("nav", "账号管理"), "accounts:account.list", 20, ("is_sysadmin",), _pages("account.")),
        (pgettext_lazy("nav", "角色授权"), "accounts:grant.list", 30, ("is_secadmin",), _pages("grant.")),
        (
            pgettext_lazy("nav", "审计日志"),
            "accounts:audit.list",
            40,
            ("is_committee_staff", "is_inspector", "is_auditadmin"),
            lambda app, url: url == "audit.list",
        ),
    ):
        add_nav(label, url_name, "admin", order, flags=flags, active=active)
