from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("组织")

    def ready(self):
        from organizations import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
