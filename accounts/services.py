"""Identity services: sessions, passwords, accounts, role grants and the second factor.

Every state change writes an audit entry. Authentication events are ``accounts.auth.*`` with
the username and the client address (``log_action`` takes the address from the request
context); a password never reaches the log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import rules
from accounts.models import ADMIN_ROLES, AccountSecurity, Role, RoleGrant
from accounts.passwords import generate_password
from accounts.scope import get_scope
from common.audit import diff, log_action, snapshot
from common.concurrency import StaleEditError
from common.errors import DomainError

User = get_user_model()

# Session keys.
SESSION_STARTED_AT = "zhibu_session_started_at"  # ISO timestamp of the login
SESSION_PASSWORD_CHANGE = "zhibu_password_change"  # "issued" or "expired" until changed

ACCOUNT_FIELDS = ["username", "first_name", "email"]


class AccountError(DomainError):
    """A refused identity operation; the message is Chinese and names the field."""


# ---------------------------------------------------------------- account security state


def security_of(user) -> AccountSecurity:
    """The account's security row; an account made outside these services starts its
    password age now."""
    security, _created = AccountSecurity.objects.get_or_create(
        user=user, defaults={"password_changed_at": timezone.now()}
    )
    return security


def password_change_reason(user, now: datetime.datetime | None = None) -> str | None:
    """``"issued"`` (must replace an issued password), ``"expired"`` or ``None``."""
    security = security_of(user)
    if security.must_change_password:
        return "issued"
    if rules.password_expired(
        security.password_changed_at, now or timezone.now(), settings.ZHIBU_PASSWORD_MAX_AGE_DAYS
    ):
        return "expired"
    return None


# ---------------------------------------------------------------- sessions


def start_session(request, user) -> None:
    """Log ``user`` in after their password was checked: stamp the session's start (for the
    absolute limit), note a pending password change, and audit the login."""
    auth_login(request, user)
    now = timezone.now()
    request.session[SESSION_STARTED_AT] = now.isoformat()
    reason = password_change_reason(user, now)
    if reason:
        request.session[SESSION_PASSWORD_CHANGE] = reason
    log_action("accounts.auth.login", actor=user, obj=user, data={"username": user.get_username()})


def end_session(request, *, expired: bool = False) -> None:
    """Log the user out (button, or the absolute limit reached) and audit it."""
    user = request.user
    if getattr(user, "is_authenticated", False):
        action = "accounts.auth.session_expired" if expired else "accounts.auth.logout"
        log_action(action, actor=user, obj=user, data={"username": user.get_username()})
    auth_logout(request)


def session_started_at(request) -> datetime.datetime | None:
    raw = request.session.get(SESSION_STARTED_AT)
    if not raw:
        return None
    try:
        return datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None


def record_login_failure(username: str, *, locked: bool = False) -> None:
    data = {"username": (username or "")[:150]}
    if locked:
        data["locked"] = True
    log_action("accounts.auth.login_failed", actor=None, data=data)


def record_lockout(username: str) -> None:
    log_action("accounts.auth.locked_out", actor=None, data={"username": (username or "")[:150]})


# ---------------------------------------------------------------- passwords


def _set_password(user, password: str, *, must_change: bool) -> AccountSecurity:
    """Store ``password`` (hashed) and when it was set; ``must_change``: it is to be replaced at
    the next login."""
    user.set_password(password)
    user.save(update_fields=["password"])
    security = security_of(user)
    security.password_changed_at = timezone.now()
    security.must_change_password = must_change
    security.save(update_fields=["password_changed_at", "must_change_password"])
    return security


def change_password(user, new_password: str, *, actor, request=None) -> AccountSecurity:
    """The user sets their own password (validated by the form). Clears a pending change."""
    with transaction.atomic():
        security = _set_password(user, new_password, must_change=False)
        log_action("accounts.auth.password_changed", actor=actor, obj=user, data={"username": user.get_username()})
    if request is not None:
        update_session_auth_hash(request, user)
        request.session.pop(SESSION_PASSWORD_CHANGE, None)
    return security


def _issue_password(user) -> str:
    """A random password that passes the validators; the caller shows it once."""
    while True:
        password = generate_password()
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


# ---------------------------------------------------------------- accounts (system administrator)


def create_account(data: dict, *, actor) -> tuple[User, str]:
    """A new account with an issued password that must be changed at the first login.

    Returns the account and the password, which is shown once and stored nowhere in clear.
    """
    username = (data.get("username") or "").strip()
    if not username:
        raise AccountError(_("用户名：不能为空。"))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("用户名：“%(username)s”已被使用。") % {"username": username})
    with transaction.atomic():
        user = User(username=username, first_name=data.get("first_name", ""), email=data.get("email", ""))
        password = _issue_password(user)
        user.set_password(password)
        user.save()
        AccountSecurity.objects.create(
            user=user,
            password_changed_at=timezone.now(),
            must_change_password=True,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            "accounts.account.created",
            actor=actor,
            obj=user,
            changes={k: ["", v] for k, v in snapshot(user, ACCOUNT_FIELDS).items() if v},
        )
    return user, password


def change_account(user, data: dict, *, expected_version: int, actor) -> User:
    """Name and e-mail (the username, too, if still free); refused when the form is stale."""
    username = (data.get("username") or "").strip()
    if not username:
        raise AccountError(_("用户名：不能为空。"))
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise AccountError(_("用户名：“%(username)s”已被使用。") % {"username": username})
    with transaction.atomic():
        security = security_of(user)
        bumped = AccountSecurity.objects.filter(pk=security.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not bumped:
            current = User.objects.get(pk=user.pk)
            conflicts = [
                (str(User._meta.get_field(name).verbose_name), getattr(current, name), data.get(name, ""))
                for name in ACCOUNT_FIELDS
                if getattr(current, name) != (data.get(name, "") or "").strip()
            ]
            raise StaleEditError(current, conflicts)
        before = snapshot(user, ACCOUNT_FIELDS)
        user.username = username
        user.first_name = (data.get("first_name") or "").strip()
        user.email = (data.get("email") or "").strip()
        user.save(update_fields=ACCOUNT_FIELDS)
        changes = diff(before, snapshot(user, ACCOUNT_FIELDS))
        if changes:
            log_action("accounts.account.changed", actor=actor, obj=user, changes=changes)
    return user


def deactivate_account(user, *, actor) -> User:
    """Stop the account from logging in; its records and history stay."""
    if user.pk == getattr(actor, "pk", None):
        raise AccountError(_("账号：不能停用自己的账号。"))
    if not user.is_active:
        raise AccountError(_("账号：该账号已经停用。"))
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        security = security_of(user)
        security.deactivated_at = timezone.now()
        security.deactivated_by = actor
        security.save(update_fields=["deactivated_at", "deactivated_by"])
        log_action("accounts.account.deactivated", actor=actor, obj=user, changes={"is_active": [True, False]})
    return user


def activate_account(user, *, actor) -> User:
    if user.is_active:
        raise AccountError(_("账号：该账号已经启用。"))
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        security = security_of(user)
        security.deactivated_at = None
        security.deactivated_by = None
        security.save(update_fields=["deactivated_at", "deactivated_by"])
        log_action("accounts.account.activated", actor=actor, obj=user, changes={"is_active": [False, True]})
    return user


def reset_password(user, *, actor) -> str:
    """Issue a new password (shown once) that the user must change at the next login."""
    if user.pk == getattr(actor, "pk", None):
        raise AccountError(_("密码：不能重置自己的密码，请使用“修改密码”。"))
    with transaction.atomic():
        password = _issue_password(user)
        _set_password(user, password, must_change=True)
        # A reset is also how a lost phone is handled: the second factor is enrolled afresh.
        removed_devices = TOTPDevice.objects.filter(user=user).delete()[0]
        log_action(
            "accounts.account.password_reset",
            actor=actor,
            obj=user,
            data={"username": user.get_username(), "otp_devices_removed": removed_devices},
        )
    return password


# ---------------------------------------------------------------- role grants (security administrator)

_CONFLICT_MESSAGES = {
    "two_admin": _("角色：一个账号只能担任系统管理员、安全管理员、审计管理员中的一个（三员分立）。"),
    "admin_business": _("角色：管理员账号不能同时担任业务角色，业务角色请使用另一个账号（三员分立）。"),
}


def grant_role(user, role: str, unit, *, actor) -> RoleGrant:
    """Grant ``role`` on ``unit`` (no unit for the three administrator roles)."""
    if role not in Role.values:
        raise AccountError(_("角色：无效的角色。"))
    is_admin = role in ADMIN_ROLES
    if is_admin and unit is not None:
        raise AccountError(_("组织：管理员角色不限于某个组织，请不要选择组织。"))
    if not is_admin and unit is None:
        raise AccountError(_("组织：请选择授权的组织。"))
    if unit is not None and unit.archived_at is not None:
        raise AccountError(_("组织：不能在已归档的组织上授权。"))
    if not user.is_active:
        raise AccountError(_("用户：该账号已停用。"))
    with transaction.atomic():
        # Lock the account's grants so two concurrent grants cannot both pass the check.
        held = set(RoleGrant.objects.active().select_for_update().filter(user=user).values_list("role", flat=True))
        conflict = rules.role_conflict(held, role)
        if conflict:
            raise AccountError(str(_CONFLICT_MESSAGES[conflict]))
        if RoleGrant.objects.active().filter(user=user, role=role, unit=unit).exists():
            raise AccountError(_("角色：该账号已有这一授权。"))
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(user=user, role=role, unit=unit, granted_by=actor)
        except IntegrityError as exc:
            raise AccountError(str(_CONFLICT_MESSAGES["two_admin"])) from exc
        log_action(
            "accounts.grant.created",
            actor=actor,
            obj=grant,
            unit=unit,
            data={"username": user.get_username(), "role": grant.get_role_display()},
        )
    return grant


def revoke_grant(grant: RoleGrant, *, actor) -> RoleGrant:
    if grant.revoked_at is not None:
        raise AccountError(_("授权：该授权已经撤销。"))
    if grant.user_id == getattr(actor, "pk", None):
        raise AccountError(_("授权：不能撤销自己的授权。"))
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        log_action(
            "accounts.grant.revoked",
            actor=actor,
            obj=grant,
            unit=grant.unit,
            data={"username": grant.user.get_username(), "role": grant.get_role_display()},
        )
    return grant


# ---------------------------------------------------------------- second factor (TOTP)


class SecondFactorLocked(AccountError):
    """Too many wrong codes: the session ends and the device refuses codes for a while."""


def otp_required(user) -> bool:
    """Whether the account holds a role listed in ``ZHIBU_OTP_REQUIRED_ROLES`` (empty = off)."""
    required = set(settings.ZHIBU_OTP_REQUIRED_ROLES)
    return bool(required) and get_scope(user).has_any(*required)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per account; its secret stays until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("支部工作台")), confirmed=False)
    return device


def _otp_locked(device, now) -> bool:
    return rules.second_factor_locked(
        device.throttling_failure_count,
        device.throttling_failure_timestamp,
        now,
        settings.AXES_FAILURE_LIMIT,
        settings.AXES_COOLOFF_TIME * 60,
    )


def verify_second_factor(request, device: TOTPDevice, token: str, *, enrolling: bool = False) -> TOTPDevice:
    """Check ``token`` against ``device``; on success mark the session verified (and confirm a
    device being enrolled). A wrong code is audited; after the failure limit the device locks
    for the lockout time and the session ends (``SecondFactorLocked``)."""
    user = request.user
    username = user.get_username()
    if _otp_locked(device, timezone.now()):
        record = {"username": username}
        log_action("accounts.auth.otp_locked", actor=None, obj=user, data=record)
        end_session(request)
        raise SecondFactorLocked(_("验证码：错误次数过多，账号已暂时锁定，请稍后再登录。"))
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise AccountError(_("验证码：尝试过于频繁，请稍等几秒再试。"))
    token = (token or "").strip().replace(" ", "")
    if not device.verify_token(token):
        device.refresh_from_db()
        log_action(
            "accounts.auth.otp_failed",
            actor=None,
            obj=user,
            data={"username": username, "failures": device.throttling_failure_count},
        )
        if _otp_locked(device, timezone.now()):
            log_action("accounts.auth.otp_locked", actor=None, obj=user, data={"username": username})
            end_session(request)
            raise SecondFactorLocked(_("验证码：错误次数过多，账号已暂时锁定，请稍后再登录。"))
        raise AccountError(_("验证码：验证码不正确，请核对手机上的动态口令后重试。"))
    with transaction.atomic():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            log_action("accounts.auth.otp_enrolled", actor=user, obj=user, data={"username": username})
        else:
            log_action("accounts.auth.otp_verified", actor=user, obj=user, data={"username": username})
    otp_login(request, device)
    return device
