from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("支部委员会")

    def ready(self):
        from committees import audit, extensions  # noqa: F401  (audit registers the action labels)

        extensions.register()
