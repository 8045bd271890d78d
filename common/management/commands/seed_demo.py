"""``manage.py seed_demo``: load the demo organisation once; running it again keeps the data."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common import demo


class Command(BaseCommand):
    help = _("载入演示组织（管委会机关党委及其五个党支部）；已载入时不做任何改动。")

    def handle(self, *args, **options):
        try:
            committee = demo.seed_demo()
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if committee is None:
            self.stdout.write(_("演示数据已存在（%(name)s），未做改动。") % {"name": demo.COMMITTEE_NAME})
            return
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
