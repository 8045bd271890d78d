from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("组织生活")

    def ready(self):
        from meetings import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
