from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("督查")

    def ready(self):
        from inspections import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
