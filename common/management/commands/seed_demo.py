"""``manage.py seed_demo``: load the demo organisation, its meetings from January of last year up to today, the
demo logins and every app's demo records (common/demo_extras.py).

The first two steps, each done once: the organisation (kept when it exists) and the meetings (added when
the demo branches hold none yet, so a database seeded before the meetings existed gets them on
the next run). Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from common import demo, demo_extras, demo_meetings


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
        try:
            committee = demo.seed_demo()
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if committee is None:
            self.stdout.write(_("演示数据已存在（%(name)s），未做改动。") % {"name": demo.COMMITTEE_NAME})
            committee = demo.demo_committee()
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("已载入演示数据：%(name)s，党支部 %(branches)d 个，党员 %(members)d 名。")
                    % {
                        "name": committee.name,
                        "branches": committee.children.count(),
                        "members": demo.demo_member_count(committee),
                    }
                )
            )
        if options["no_meetings"]:
            return
        try:
            count = demo_meetings.seed_demo_meetings()
        except demo_meetings.DemoMeetingsError as exc:
            raise CommandError(str(exc)) from exc
        if count is None:
            self.stdout.write(_("演示会议记录已存在，未做改动。"))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("已录入演示会议记录 %(count)d 条（自去年1月1日至今）。") % {"count": count})
            )
        self.stdout.write(demo_extras.describe_accounts(demo_extras.ensure_demo_accounts()))
        if options["no_apps"]:
            return
        for summary in demo_extras.seed_apps(timezone.localdate()):
            self.stdout.write(summary)
