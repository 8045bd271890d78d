from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("组织生活")

    def ready(self):
        from meetings import audit  # noqa: F401  (registers the audit labels)
