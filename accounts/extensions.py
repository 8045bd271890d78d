"""What accounts adds to the shared pages (registered from ``AppConfig.ready()``): the administrators' navigation entries (accounts, grants, the audit log)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import add_nav


def register() -> None:
    add_nav(
        pgettext_lazy("nav", "账号管理"),
        "accounts:account.list",
        "admin",
        20,
        flags=("is_sysadmin",),
        active=lambda app, url: app == "accounts" and url[:8] == "account.",
    )
    add_nav(
        pgettext_lazy("nav", "角色授权"),
        "accounts:grant.list",
        "admin",
        30,
        flags=("is_secadmin",),
        active=lambda app, url: app == "accounts" and url[:6] == "grant.",
    )
    add_nav(
        pgettext_lazy("nav", "审计日志"),
        "accounts:audit.list",
        "admin",
        40,
        flags=("is_committee_staff", "is_inspector", "is_auditadmin"),
        active=lambda app, url: url == "audit.list",
    )
