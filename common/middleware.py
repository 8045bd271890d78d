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
