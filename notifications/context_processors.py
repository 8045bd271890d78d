from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread(request):
    """``unread_notifications``: the signed-in user's unread count, queried only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    }
