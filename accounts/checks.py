"""System checks of the identity set-up."""

from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.db import DatabaseError
from django.utils.translation import gettext as _


@register("zhibu")
def active_superuser_check(app_configs=None, databases=None, **kwargs):
    """zhibu.W001: a superuser bypasses the 三员 separation and is not to be used in operation.

    Like every check that reads the database, it runs only when asked to look at one:
    ``manage.py check --database default`` (``migrate`` does so too).
    """
    from django.contrib.auth import get_user_model

    if not databases or "default" not in databases:
        return []
    try:
        names = list(
            get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5]
        )
    except DatabaseError:
        # No database yet (before migrate): nothing to check.
        return []
    if not names:
        return []
    return [
        CheckWarning(
            _("存在启用的超级用户账号：%(names)s。超级用户绕过三员分立，运行中不应使用。")
            % {"names": "、".join(names)},
            hint=_(
                "以 manage.py create_admin --role sysadmin|secadmin|auditadmin 创建三员账号后，"
                "停用超级用户（is_active=False）或取消其超级用户标记。"
            ),
            id="zhibu.W001",
        )
    ]


@register("zhibu")
def otp_roles_check(app_configs=None, **kwargs):
    """accounts.E001: ZHIBU_OTP_REQUIRED_ROLES names only existing roles (a typo would turn the
    second factor off for the role meant)."""
    from django.conf import settings
    from django.core.checks import Error

    from accounts.models import Role

    unknown = sorted(set(settings.ZHIBU_OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            _("ZHIBU_OTP_REQUIRED_ROLES 含有未知角色：%(roles)s。") % {"roles": ", ".join(unknown)},
            hint=_("可用角色：%(roles)s") % {"roles": ", ".join(Role.values)},
            id="accounts.E001",
        )
    ]
