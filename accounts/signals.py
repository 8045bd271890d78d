"""Receivers of the authentication signals that only Django and axes can send: a failed login
(``user_login_failed``, credentials already cleansed — only the username is kept) and a
lockout (axes ``user_locked_out``). Both are written to the audit log, with no actor."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from accounts import services


@receiver(user_login_failed, dispatch_uid="zhibu_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    locked = bool(getattr(request, "axes_locked_out", False))
    services.record_login_failure(credentials.get("username", ""), locked=locked)


@receiver(user_locked_out, dispatch_uid="zhibu_audit_locked_out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    services.record_lockout(username or "")
