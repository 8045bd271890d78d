from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评价")

    def ready(self):
        from assessments import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
