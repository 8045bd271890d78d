from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """All demo data (``seed_demo``, ``demo_logins``), built through the other apps' services.

    The composition layer: the demo imports every app and no app imports the demo."""

    name = "demo"
    verbose_name = _("演示数据")

    def ready(self):
        from demo import audit  # noqa: F401 - registers the audit action label
