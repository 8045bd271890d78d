from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from notifications import audit  # noqa: F401  (registers the audit action labels)
        from notifications.context_processors import on_login

        user_logged_in.connect(on_login, dispatch_uid="notifications.unread_on_login")
