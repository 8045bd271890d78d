from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("支部委员会")

    def ready(self):
        from committees import audit  # noqa: F401  (registers the audit action labels)
