"""Identity gates that run on every request after authentication.

``SessionLimitMiddleware``: the absolute session limit (the idle limit is the session cookie's
age). ``IdentityGateMiddleware``: an account that must pass its second factor, enrol one, or
replace its password reaches only those pages (and logout, static files) until it has.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules, services


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            started = services.session_started_at(request)
            if started is None:
                # A session made outside the login page (e.g. a test's force_login): count from now.
                request.session[services.SESSION_STARTED_AT] = now.isoformat()
            elif rules.session_outlived(started, now, settings.ZHIBU_SESSION_ABSOLUTE_HOURS):
                services.end_session(request, expired=True)
                messages.warning(request, _("会话已超过最长时限，请重新登录。"))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# URL names an account held at a gate may still reach.
_OPEN_NAMES = {"accounts:logout", "accounts:login", "set_language"}
_OTP_NAMES = {"accounts:otp.enrol", "accounts:otp.verify"}
_PASSWORD_NAMES = {"accounts:password_change"}


class IdentityGateMiddleware:
    """Runs after URL resolution (``process_view``), so it knows which page is asked for;
    unknown URLs fall through to the 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in _OPEN_NAMES:
            return None
        if services.otp_required(user) and not user.is_verified():
            if name in _OTP_NAMES:
                return None
            target = "accounts:otp.verify" if services.confirmed_device(user) else "accounts:otp.enrol"
            return redirect(target)
        if request.session.get(services.SESSION_PASSWORD_CHANGE) and name not in _PASSWORD_NAMES:
            return redirect("accounts:password_change")
        return None
