"""Pure rules about a member's record: no ORM here, so they are tested without a database.

``member_problems`` is shared by the forms (to put each message next to its field) and by the
services (which refuse data that breaks a rule, whoever calls them: a page or the ledger import).
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from members.idnumbers import IdNumberError, check_id_number

# 党章 Article 1: members are at least eighteen years old when they join.
MIN_JOINING_AGE = 18
MOBILE_RE = re.compile(r"^1\d{10}$")

CATEGORY_FULL = "full"
CATEGORY_PROBATIONARY = "probationary"


def name_initials(name: str) -> str:
    """Pinyin initials for search: 张三 → ``zs``. Letters and digits in the name are kept."""
    parts = lazy_pinyin((name or "").strip(), style=Style.FIRST_LETTER, errors="default")
    return "".join(p for p in parts if p.strip()).lower().replace(" ", "")[:50]


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "")


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def member_problems(data: dict, *, today: datetime.date) -> dict[str, str]:
    """``{field: Chinese message}`` for every rule the member data breaks; empty when valid.

    ``data`` holds the model fields by name (dates as ``datetime.date``).
    """
    problems: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        problems["name"] = _("姓名不能为空")

    birth_date = data.get("birth_date")
    if birth_date is None:
        problems["birth_date"] = _("出生日期不能为空")
    elif birth_date > today:
        problems["birth_date"] = _("出生日期不能晚于今天")

    try:
        check_id_number(data.get("id_number") or "", birth_date)
    except IdNumberError as exc:
        problems["id_number"] = str(exc)

    category = data.get("category")
    if category not in (CATEGORY_FULL, CATEGORY_PROBATIONARY):
        problems["category"] = _("人员类别应为正式党员或预备党员")

    joined_on = data.get("joined_on")
    full_member_on = data.get("full_member_on")
    if joined_on is None:
        problems["joined_on"] = _("入党日期不能为空")
    elif joined_on > today:
        problems["joined_on"] = _("入党日期不能晚于今天")
    elif birth_date is not None and joined_on < add_years(birth_date, MIN_JOINING_AGE):
        problems["joined_on"] = _("入党日期早于年满十八周岁之日（%(day)s）") % {
            "day": add_years(birth_date, MIN_JOINING_AGE).isoformat()
        }

    if category == CATEGORY_FULL:
        if full_member_on is None:
            problems["full_member_on"] = _("正式党员须填写转正日期")
        elif joined_on is not None and full_member_on < joined_on:
            problems["full_member_on"] = _("转正日期不能早于入党日期")
        elif full_member_on > today:
            problems["full_member_on"] = _("转正日期不能晚于今天")
    elif category == CATEGORY_PROBATIONARY and full_member_on is not None:
        problems["full_member_on"] = _("预备党员不应填写转正日期")

    phone = normalize_phone(data.get("phone") or "")
    if phone and not MOBILE_RE.match(phone):
        problems["phone"] = _("手机号码应为以1开头的11位数字")
    return problems


def default_branch_start(branch_founded_on: datetime.date, joined_on: datetime.date) -> datetime.date:
    """进入本支部日期 when none is given: the later of the branch's founding and 入党日期."""
    return max(branch_founded_on, joined_on)
