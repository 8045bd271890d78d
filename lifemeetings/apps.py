from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeMeetingsConfig(AppConfig):
    name = "lifemeetings"
    verbose_name = _("组织生活会")

    def ready(self):
        from lifemeetings import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
