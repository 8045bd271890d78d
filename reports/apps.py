from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("文书")

    def ready(self):
        from reports import (
            audit,  # noqa: F401  (registers the audit labels)
            extensions,
            meeting_page,  # noqa: F401  (its button on a meeting's detail page)
        )

        extensions.register()
