"""``manage.py recount_meetings [--year Y …] [--check]``: rebuild the kept meeting counts, or
compare them with the records (after a restore from an old backup or an edit made in SQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings import counts
from meetings.models import MeetingKind
from organizations.models import Unit


class Command(BaseCommand):
    help = _("按会议记录重新统计各单位每月各类会议的次数（达标统计所用）；加 --check 只核对、不改动。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help=_("只处理该年度（可重复）；默认所有有会议的年度"))
        parser.add_argument("--check", action="store_true", help=_("只核对：有不符时列出并以 1 退出"))

    def handle(self, *args, year=None, check=False, **options):
        if not check:
            written = counts.rebuild(year)
            self.stdout.write(_("已重新统计会议次数，写入%(n)s行。") % {"n": written})
            return
        found = counts.differences(year)
        if not found:
            self.stdout.write(_("会议次数与会议记录一致。"))
            return
        units = dict(Unit.objects.filter(pk__in={d[0] for d in found}).values_list("pk", "name"))
        kinds = dict(MeetingKind.objects.values_list("pk", "name"))
        for unit_id, kind_id, y, kept, actual in found[:50]:
            self.stderr.write(
                _("%(unit)s %(year)s年%(kind)s：保存的逐月次数 %(kept)s，按记录应为 %(actual)s")
                % {
                    "unit": units.get(unit_id, unit_id),
                    "year": y,
                    "kind": kinds.get(kind_id, kind_id),
                    "kept": list(kept),
                    "actual": list(actual),
                }
            )
        raise CommandError(
            _("会议次数有%(n)s处与会议记录不符，请运行 manage.py recount_meetings 重新统计。") % {"n": len(found)},
            returncode=1,
        )
