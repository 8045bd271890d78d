from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("评选表彰")

    def ready(self):
        from notifications.services import register_periodic
        from recognition import audit, extensions  # noqa: F401  (audit registers the audit labels)
        from recognition.reminders import lapse_and_notify, rereview_reminders

        register_periodic(rereview_reminders)
        register_periodic(lapse_and_notify)
        extensions.register()
