from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("党员")

    def ready(self):
        from members import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
