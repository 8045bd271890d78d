from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "study"
    verbose_name = _("学习教育")

    def ready(self):
        from study import audit, extensions  # noqa: F401  (audit registers the audit labels)

        extensions.register()
