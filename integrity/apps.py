from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    verbose_name = _("记录可信度")

    def ready(self):
        from integrity import extensions, meeting_page  # noqa: F401  (meeting_page: its note on a meeting's detail page)

        extensions.register()
