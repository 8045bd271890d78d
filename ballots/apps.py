from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("无记名投票")

    def ready(self):
        from ballots import audit  # noqa: F401  (registers the audit labels)
