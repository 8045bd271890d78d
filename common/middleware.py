from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired

from common.context import client_ip, current_ip


class RequestContextMiddleware:
    """Keeps the client address in a context variable so that services can audit it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class LoginRequiredMiddleware(_DjangoLoginRequired):
    """Every page needs a login unless its view is marked ``login_not_required``."""


class NoStoreMiddleware:
    """Pages for a signed-in user carry personal data: no browser or proxy may keep a copy.

    ``Cache-Control: no-store, private`` on every response to an authenticated user, unless the
    view set its own ``Cache-Control``; static files are left cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Cache-Control" not in response
            and not request.path.startswith(_static_prefix())
        ):
            response["Cache-Control"] = "no-store, private"
        return response


def _static_prefix() -> str:
    url = settings.STATIC_URL or "/static/"
    return url if url.startswith("/") else "/" + url
