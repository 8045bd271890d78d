"""The current request's client address, for audit entries written deep inside services."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request) -> str | None:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. via a trusted middleware);
    # X-Forwarded-For is not trusted here because clients can forge it.
    return request.META.get("REMOTE_ADDR") or None
