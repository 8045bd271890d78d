from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("台账导入导出")

    def ready(self):
        from ledger import audit, extensions, sheets  # noqa: F401  (audit labels; the built-in sheets)

        extensions.register()
