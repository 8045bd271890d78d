"""Password validators of the protection profile, with Chinese messages.

Configured in ``AUTH_PASSWORD_VALIDATORS`` (settings.py); every form that sets a password goes
through ``django.contrib.auth.password_validation.validate_password`` and so through these.
"""

import secrets

from django.contrib.auth.password_validation import CommonPasswordValidator as _DjangoCommon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import rules


class MinimumLengthValidator:
    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("至少 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    """At least ``min_classes`` of the four classes: upper case, lower case, digit, symbol."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(rules.character_classes(password)) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号四类中的至少 %(count)d 类。") % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("包含大写字母、小写字母、数字、符号中的至少 %(count)d 类。") % {"count": self.min_classes}


class UsernameValidator:
    """Not the username, and not containing it."""

    def validate(self, password, user=None):
        username = getattr(user, "username", "") if user is not None else ""
        if username and rules.contains_username(password, username):
            raise ValidationError(_("密码不能是用户名，也不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("不能是用户名，也不能包含用户名。")


class CommonPasswordValidator(_DjangoCommon):
    """Django's list of 20,000 common passwords, with a Chinese message."""

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(_("该密码过于常见，容易被猜中，请换一个。"), code="password_too_common")

    def get_help_text(self):
        return _("不能是常见密码。")


def generate_password(length: int = 16) -> str:
    """A random password for issuing (new account, reset): every class, no look-alike glyphs."""
    upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    lower = "abcdefghijkmnpqrstuvwxyz"
    digits = "23456789"
    symbols = "#%+-=@_"
    alphabet = upper + lower + digits + symbols
    while True:
        chars = [secrets.choice(alphabet) for _ in range(length)]
        if rules.character_classes("".join(chars)) == {"upper", "lower", "digit", "symbol"}:
            return "".join(chars)
