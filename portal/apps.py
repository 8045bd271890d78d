from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The composition app: the home page and the navigation bar, drawn from the registries that
    every app fills (``common.registry``). It may import any app; no app imports it."""

    name = "portal"
    verbose_name = _("工作台")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from common.registry import add_nav

        add_nav(
            pgettext_lazy("nav", "首页"),
            "portal:home",
            "organization",
            10,
            active=lambda app, url: app == "portal" and url == "home",
            aria_current=True,
        )
