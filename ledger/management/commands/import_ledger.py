"""``manage.py import_ledger FILE.xlsx [--actor USERNAME]``: import a ledger workbook."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ledger.services import LedgerImportError, import_ledger


class Command(BaseCommand):
    help = "导入台账工作簿（.xlsx）：全部检查通过才导入，否则列出每处错误且不导入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账工作簿文件（.xlsx）")
        parser.add_argument("--actor", help="记入审计日志的操作人用户名")

    def handle(self, *args, path, actor=None, **options):
        user = None
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(_("用户“%(name)s”不存在。") % {"name": actor})
        try:
            # The operator of the server imports without a scope limit; --actor names who the
            # audit log records.
            result = import_ledger(path, actor=user, within_scope=False)
        except FileNotFoundError as exc:
            raise CommandError(_("文件“%(path)s”不存在。") % {"path": path}) from exc
        except LedgerImportError as exc:
            for error in exc.rows:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("已导入“%(file)s”：新增%(added)s条，已存在%(present)s条。")
                % {"file": result.filename, "added": result.added, "present": result.present}
            )
        )
        for line in result.lines():
            self.stdout.write(line)
