"""``manage.py seed_demo``: run the demo steps (``demo.steps.STEPS``) in order: the demo
organisation, its meetings from January of last year up to today, the demo logins and every area's
demo records.

Each step is done once: the organisation is kept when it exists, the meetings are added when the
demo branches hold none yet (so a database seeded before the meetings existed gets them on the
next run), and so on. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.registry import Loaded, lines
from demo.steps import APPS, MEETINGS, STEPS
from demo.steps.organisation import DemoError


class Command(BaseCommand):
    help = _("载入演示组织（管委会机关党委及其五个党支部）和自去年1月1日至今的会议记录；已载入的部分不做改动。")

    def add_arguments(self, parser):
        parser.add_argument("--no-meetings", action="store_true", help=_("只载入演示组织，不录入演示会议记录。"))
        parser.add_argument(
            "--no-apps",
            action="store_true",
            help=_("只载入演示组织、会议记录和账号，不载入各功能模块的演示数据。"),
        )

    def handle(self, *args, **options):
        skip = set()
        if options["no_meetings"]:
            skip.add(MEETINGS)
        if options["no_apps"]:
            skip.add(APPS[0])
        today = timezone.localdate()
        for step in STEPS.chosen(skip=skip):
            try:
                outcome = step.run(today)
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            for line in lines(outcome):
                self.stdout.write(self.style.SUCCESS(line) if isinstance(line, Loaded) else line)
