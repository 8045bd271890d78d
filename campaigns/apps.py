from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("主题活动与学习")

    def ready(self):
        from campaigns import audit, extensions  # noqa: F401  (audit registers the audit labels)
        from campaigns.reminders import overdue_reminders
        from notifications.services import register_periodic

        register_periodic(overdue_reminders)
        extensions.register()
