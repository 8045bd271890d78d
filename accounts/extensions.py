"""What accounts adds to the shared pages (registered from ``AppConfig.ready()``): the administrators' navigation entries (accounts, grants, the audit log)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="accounts.account_list",
            label=pgettext_lazy("nav", "账号管理"),
            url_name="accounts:account.list",
            group="admin",
            order=20,
            visible=lambda nav: nav["is_sysadmin"],
            active=lambda app, url: app == "accounts" and url[:8] == "account.",
        )
    )
    navigation.register(
        NavEntry(
            key="accounts.grant_list",
            label=pgettext_lazy("nav", "角色授权"),
            url_name="accounts:grant.list",
            group="admin",
            order=30,
            visible=lambda nav: nav["is_secadmin"],
            active=lambda app, url: app == "accounts" and url[:6] == "grant.",
        )
    )
    navigation.register(
        NavEntry(
            key="accounts.audit_list",
            label=pgettext_lazy("nav", "审计日志"),
            url_name="accounts:audit.list",
            group="admin",
            order=40,
            visible=lambda nav: nav["is_committee_staff"] or nav["is_inspector"] or nav["is_auditadmin"],
            active=lambda app, url: url == "audit.list",
        )
    )
