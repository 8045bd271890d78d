from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeMeetingsConfig(AppConfig):
    name = "lifemeetings"
    verbose_name = _("组织生活会")

    def ready(self):
        from lifemeetings import (
            audit,  # noqa: F401  (registers the audit labels)
            extensions,
            meeting_page,  # noqa: F401  (its button on a meeting's detail page)
        )

        extensions.register()
