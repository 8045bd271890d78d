from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("文书")

    def ready(self):
        from reports import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
