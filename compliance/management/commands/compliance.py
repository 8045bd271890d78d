"""manage.py compliance --year Y [--as-of YYYY-MM-DD] [--unit NAME] --format table|csv|json|xlsx
[--output FILE]: the compliance table, on stdout unless --output."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import exports
from compliance.services import compliance_table
from organizations.models import Unit

FORMATS = ("table", "csv", "json", "xlsx")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("日期“%(text)s”无法识别，应写作 YYYY-MM-DD（例如 2025-03-31）。") % {"text": text}
        ) from None


class Command(BaseCommand):
    help = _("按年度输出各支部、党小组的制度落实情况（每个单位、规则、周期一行）。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("年度，例如 2025"))
        parser.add_argument("--as-of", dest="as_of", help=_("截至日期 YYYY-MM-DD，默认今天"))
        parser.add_argument("--unit", help=_("只输出该组织（名称）及其下级"))
        parser.add_argument("--format", choices=FORMATS, default="table", help=_("输出格式"))
        parser.add_argument("--output", help=_("写入文件（默认输出到标准输出）"))

    def handle(self, *args, year, as_of, unit, format, output, **options):
        if not 1900 <= year <= 9999:
            raise CommandError(_("年度“%(year)s”无效。") % {"year": year})
        as_of_day = _date(as_of) if as_of else timezone.localdate()
        units = None
        if unit:
            found = Unit.objects.filter(name=unit).first()
            if found is None:
                raise CommandError(_("找不到名为“%(name)s”的组织。") % {"name": unit})
            units = Unit.objects.subtree(found)
        cells = compliance_table(year, as_of=as_of_day, units=units)

        if format == "xlsx":
            title = _("%(year)s年度制度落实情况（截至%(date)s）") % {"year": year, "date": as_of_day}
            data = exports.to_xlsx(cells, title=title)
            if output:
                with open(output, "wb") as fh:
                    fh.write(data)
                return
            buffer = getattr(self.stdout._out, "buffer", None)
            if buffer is None:
                raise CommandError(_("xlsx 格式请用 --output 指定文件。"))
            buffer.write(data)
            buffer.flush()
            return

        text = {"table": exports.to_table, "csv": exports.to_csv, "json": exports.to_json}[format](cells)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
