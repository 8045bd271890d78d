"""``manage.py rotate_data_key``: re-encrypt personal data with the current key (docs/security.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members import crypto
from members.services import rotate_data_key


class Command(BaseCommand):
    help = _(
        "用当前数据密钥（ZHIBU_DATA_KEYS 中的第一个）重新加密全部党员的公民身份号码和手机号码，"
        "并用当前哈希密钥重算查找哈希。轮换步骤：把新密钥加在列表最前，运行本命令，再移除旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key",
            action="store_true",
            help=_("只生成并显示一个新的随机密钥（base64），不改动数据"),
        )

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        try:
            result = rotate_data_key()
        except (crypto.DecryptionError, crypto.DataKeyError) as exc:
            raise CommandError(_("轮换失败，数据未作改动：%(error)s") % {"error": exc}) from exc
        before = "、".join(f"{key} {n}" for key, n in result["before"].items()) or _("无")
        self.stdout.write(
            _("已用密钥 %(key)s 重新加密 %(n)s 名党员的个人信息（轮换前各密钥加密的值：%(before)s）。")
            % {"key": result["key"], "n": result["members"], "before": before}
        )
