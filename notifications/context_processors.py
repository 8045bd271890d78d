"""The unread badge in the navigation bar.

The count is kept in the session and refreshed at most once a minute (and at login, and whenever
the user reads notifications), so an ordinary page costs no extra query for it.
"""

import time

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification

SESSION_KEY = "zhibu_unread"
REFRESH_SECONDS = 60


def count_unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def remember_unread(request, user=None) -> int:
    """Count the user's unread notifications now and keep the figure in the session."""
    count = count_unread(user or request.user)
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = [count, time.time()]
    return count


def unread(request):
    """``unread_notifications``: the signed-in user's unread count (from the session if fresh)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "session", {}).get(SESSION_KEY)
    if isinstance(cached, list) and len(cached) == 2 and time.time() - cached[1] < REFRESH_SECONDS:
        return {"unread_notifications": cached[0]}
    return {"unread_notifications": SimpleLazyObject(lambda: remember_unread(request))}


def on_login(sender, request, user, **kwargs):
    """Fill the badge's figure as the user signs in."""
    if request is not None:
        remember_unread(request, user)
