from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("制度落实")

    def ready(self):
        from compliance import audit  # noqa: F401  (registers the audit action labels)
