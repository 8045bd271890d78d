"""``manage.py demo_logins --address URL``: the address and one demo login per role."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.steps import accounts, organisation


class Command(BaseCommand):
    help = _("列出演示账号：每个角色一行（角色  用户名  密码）。")

    def add_arguments(self, parser):
        parser.add_argument("--address", default="http://127.0.0.1:8000/", help=_("服务地址"))

    def handle(self, *args, **options):
        logins = organisation.demo_logins()
        if not logins:
            self.stdout.write(_("尚未载入演示数据：请先运行 manage.py seed_demo。"))
            return
        self.stdout.write(_("地址：%(address)s") % {"address": options["address"]})
        for role, username, password in logins + accounts.admin_logins():
            self.stdout.write(f"{role}  {username}  {password}")
