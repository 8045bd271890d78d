"""``manage.py backup [--output DIR]``: database snapshot + attachments + manifest (see common/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.backup import BackupError, create_backup, default_backup_dir


class Command(BaseCommand):
    help = _("备份：数据库一致性快照、附件和带校验和的清单，写入一个新目录。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            default=None,
            help=_("备份写入的上级目录（默认 %(dir)s）") % {"dir": default_backup_dir()},
        )

    def handle(self, *args, **options):
        try:
            path = create_backup(options["output"])
        except (BackupError, OSError) as exc:
            raise CommandError(_("备份失败：%(error)s") % {"error": exc}) from exc
        self.stdout.write(_("备份完成：%(path)s") % {"path": path})
