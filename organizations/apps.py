from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("组织")

    def ready(self):
        from organizations import audit  # noqa: F401  (registers the audit labels)
