"""``manage.py import_ledger FILE.xlsx [--actor USERNAME]``: import a ledger workbook."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

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
                raise CommandError(f"用户“{actor}”不存在。")
        try:
            # The operator of the server imports without a scope limit; --actor names who the
            # audit log records.
            result = import_ledger(path, actor=user, within_scope=False)
        except FileNotFoundError as exc:
            raise CommandError(f"文件“{path}”不存在。") from exc
        except LedgerImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已导入“{result.filename}”：新增{result.added}条，已存在{result.present}条。")
        )
        for line in result.lines():
            self.stdout.write(line)
