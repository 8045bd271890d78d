from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("公共")

    def ready(self):
        from common import audit_labels  # noqa: F401 - registers the audit action labels
