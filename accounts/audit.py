"""Readable Chinese labels of the audit action codes written by the accounts app."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register(
    {
        "accounts.auth.login": _("登录"),
        "accounts.auth.login_failed": _("登录失败"),
        "accounts.auth.locked_out": _("账号因连续登录失败被锁定"),
        "accounts.auth.logout": _("退出登录"),
        "accounts.auth.session_expired": _("会话超过最长时限被退出"),
        "accounts.auth.password_changed": _("修改密码"),
        "accounts.auth.otp_enrolled": _("绑定动态口令"),
        "accounts.auth.otp_verified": _("动态口令验证通过"),
        "accounts.auth.otp_failed": _("动态口令验证失败"),
        "accounts.auth.otp_locked": _("动态口令错误次数过多被锁定"),
        "accounts.account.created": _("新建账号"),
        "accounts.account.changed": _("修改账号"),
        "accounts.account.deactivated": _("停用账号"),
        "accounts.account.activated": _("启用账号"),
        "accounts.account.password_reset": _("重置密码"),
        "accounts.account.admin_created": _("以命令创建管理员"),
        "accounts.grant.created": _("授予角色"),
        "accounts.grant.revoked": _("撤销角色"),
    }
)
