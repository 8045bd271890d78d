"""``manage.py restore DIR [--yes]``: check a backup, then put its database and attachments back."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = _("从备份恢复：先校验清单（文件齐全、校验和一致、数据库结构兼容），再替换数据库和附件。")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="DIR", help=_("由 manage.py backup 写出的备份目录"))
        parser.add_argument("--yes", action="store_true", help=_("不再询问，直接恢复"))

    def handle(self, *args, **options):
        try:
            manifest = verify_backup(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("备份校验通过：创建于 %(created)s，%(files)s 个文件。")
            % {"created": manifest.get("created_at"), "files": len(manifest["files"])}
        )
        if not options["yes"]:
            answer = input(_("恢复将用备份替换当前数据库和附件。请先停止服务。输入 yes 继续："))
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，未作任何改动。"))
        try:
            restore_backup(options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(_("恢复失败：%(error)s") % {"error": exc}) from exc
        self.stdout.write(_("恢复完成。审计日志已记录本次恢复。"))
