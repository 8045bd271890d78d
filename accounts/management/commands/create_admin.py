"""Create one of the three administrators (三员) with an issued password, printed once.

    manage.py create_admin --role sysadmin USERNAME [--name 姓名]

This is how the first administrators come to exist on a new installation (no superuser is
used in operation); later accounts are made on the system administrator's pages.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import ADMIN_ROLES, Role
from common.audit import log_action


class Command(BaseCommand):
    help = "创建三员账号（系统管理员、安全管理员、审计管理员），随机初始密码只显示一次，首次登录须修改。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in ADMIN_ROLES])
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args, username, role, name, **options):
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise CommandError(f"用户名“{username}”已被使用。")
        try:
            with transaction.atomic():
                user, password = services.create_account({"username": username, "first_name": name}, actor=None)
                services.grant_role(user, role, None, actor=None)
                log_action(
                    "accounts.account.admin_created",
                    actor=None,
                    obj=user,
                    data={"username": user.username, "role": str(Role(role).label), "via": "create_admin"},
                )
        except services.AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已创建{Role(role).label}账号：{user.username}")
        self.stdout.write(f"初始密码（只显示这一次，首次登录后须修改）：{password}")
