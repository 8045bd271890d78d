from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改")

    def ready(self):
        from notifications.services import register_periodic
        from rectification import audit, extensions  # noqa: F401  (audit registers the audit labels)
        from rectification.reminders import rectification_reminders

        register_periodic(rectification_reminders)
        extensions.register()
