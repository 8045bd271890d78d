from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("制度落实")

    def ready(self):
        from compliance import audit, extensions, receivers, study_panel  # noqa: F401  (audit, study_panel register on import)
        from notifications.services import register_periodic

        receivers.connect()
        register_periodic(receivers.refresh_standings)
        extensions.register()
