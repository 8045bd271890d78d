"""公民身份号码 (GB 11643-1999) checks, with python-stdnum doing the arithmetic."""

import datetime

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from common.errors import DomainError


class IdNumberError(DomainError):
    """A Chinese message saying what is wrong with the number."""


def normalize(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def check_id_number(value: str, birth_date: datetime.date | None = None) -> str:
    """Return the normalized number, or raise ``IdNumberError`` with a reason in Chinese."""
    number = normalize(value)
    if not number:
        raise IdNumberError(_("公民身份号码不能为空"))
    if len(number) != 18:
        raise IdNumberError(_("公民身份号码应为18位，实际为%(n)s位") % {"n": len(number)})
    try:
        ric.validate(number)
    except InvalidChecksum as exc:
        raise IdNumberError(_("公民身份号码校验码不正确")) from exc
    except InvalidComponent as exc:
        raise IdNumberError(_("公民身份号码中的出生日期无效")) from exc
    except (InvalidFormat, InvalidLength) as exc:
        raise IdNumberError(_("公民身份号码格式不正确（应为17位数字加1位数字或X）")) from exc
    except ValidationError as exc:
        raise IdNumberError(_("公民身份号码无效")) from exc
    if birth_date is not None and ric.get_birth_date(number) != birth_date:
        raise IdNumberError(
            _("公民身份号码中的出生日期（%(id_birth)s）与填写的出生日期（%(birth)s）不一致")
            % {"id_birth": ric.get_birth_date(number).isoformat(), "birth": birth_date.isoformat()}
        )
    return number


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(normalize(number))


def make_id_number(birth_date: datetime.date, seq: int, region: str = "110105") -> str:
    """A valid number for demo and test data: region + birth date + sequence + check digit."""
    body = f"{region}{birth_date:%Y%m%d}{seq % 1000:03d}"
    # stdnum's calc_check_digit expects the full 18 characters and ignores the last one.
    return body + ric.calc_check_digit(body + "0")
