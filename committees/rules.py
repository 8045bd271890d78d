"""Pure rules of branch committees: composition, term length, renewal reminders, status moves.

No ORM here: everything takes plain values so it can be tested without a database and reused by
the ledger importer and the dashboards.

Sources: 中国共产党支部工作条例（试行）第八、九条 (a branch with 7 or more full members sets up a
committee of 3 to 5, generally no more than 7; fewer than 7: no committee, a secretary and, if
needed, one deputy secretary); 中国共产党党和国家机关基层组织工作条例 (2019): branch terms of 3 years.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
ORGANIZATION = "organization"
PUBLICITY = "publicity"
DISCIPLINE = "discipline"
MEMBER = "member"
ROLES = (SECRETARY, DEPUTY_SECRETARY, ORGANIZATION, PUBLICITY, DISCIPLINE, MEMBER)

# A branch with at least this many 正式党员 elects a committee (支部委员会).
COMMITTEE_THRESHOLD = 7
COMMITTEE_MIN_SIZE = 3
COMMITTEE_MAX_SIZE = 7
# Without a committee, only these roles are elected (a secretary, optionally one deputy).
NO_COMMITTEE_ROLES = (SECRETARY, DEPUTY_SECRETARY)

RENEWAL_WINDOW_DAYS = 90

EXPIRED = "expired"
DUE = "due"


def composition_errors(full_member_count: int, roles: list[str]) -> list[str]:
    """Every way the elected roles break the composition rules; empty when they are fine.

    ``full_member_count`` is the number of 正式党员 in the branch on the election date;
    ``roles`` holds one role code per elected person.
    """
    errors: list[str] = []
    unknown = sorted({r for r in roles if r not in ROLES})
    if unknown:
        errors.append(_("职务：无法识别的职务 %(roles)s。") % {"roles": "、".join(unknown)})

    secretaries = roles.count(SECRETARY)
    if secretaries == 0:
        errors.append(_("职务：必须选出一名书记。"))
    elif secretaries > 1:
        errors.append(_("职务：书记只能有一名，现有 %(count)d 名。") % {"count": secretaries})

    deputies = roles.count(DEPUTY_SECRETARY)
    if deputies > 1:
        errors.append(_("职务：副书记最多一名，现有 %(count)d 名。") % {"count": deputies})

    size = len(roles)
    if full_member_count >= COMMITTEE_THRESHOLD:
        if not COMMITTEE_MIN_SIZE <= size <= COMMITTEE_MAX_SIZE:
            errors.append(
                _(
                    "支委人数：正式党员 %(full)d 名（7 名以上）的党支部应选举 %(min)d 至 %(max)d 人组成支部委员会，"
                    "现为 %(size)d 人。"
                )
                % {"full": full_member_count, "min": COMMITTEE_MIN_SIZE, "max": COMMITTEE_MAX_SIZE, "size": size}
            )
    else:
        others = sorted({r for r in roles if r in ROLES and r not in NO_COMMITTEE_ROLES})
        if others:
            errors.append(
                _(
                    "职务：正式党员不足 7 名（现有 %(full)d 名）的党支部不设支部委员会，只选举书记，"
                    "必要时增设一名副书记；不能设置 %(roles)s。"
                )
                % {"full": full_member_count, "roles": "、".join(role_label(r) for r in others)}
            )
        if size > len(NO_COMMITTEE_ROLES):
            errors.append(
                _("支委人数：正式党员不足 7 名的党支部最多选举书记、副书记共 2 人，现为 %(size)d 人。") % {"size": size}
            )
    return errors


def role_label(role: str) -> str:
    labels = {
        SECRETARY: _("书记"),
        DEPUTY_SECRETARY: _("副书记"),
        ORGANIZATION: _("组织委员"),
        PUBLICITY: _("宣传委员"),
        DISCIPLINE: _("纪检委员"),
        MEMBER: _("委员"),
    }
    return str(labels.get(role, role))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        return day.replace(year=day.year + years, day=28)


def term_expires_on(elected_on: datetime.date, term_years: int) -> datetime.date:
    """The day a term reaches its full length (the anniversary of the election)."""
    return add_years(elected_on, term_years)


def renewal_status(expires_on: datetime.date, today: datetime.date, window_days: int = 90) -> str | None:
    """``"expired"`` from the expiry day on, ``"due"`` within ``window_days`` before it, else None.

    A term ends on its anniversary, so on ``expires_on`` itself it counts as expired (已到期).
    """
    days_left = (expires_on - today).days
    if days_left <= 0:
        return EXPIRED
    if days_left <= window_days:
        return DUE
    return None


def was_full_member_on(category: str, full_member_on: datetime.date | None, day: datetime.date) -> bool:
    """Whether someone who is now of ``category`` was a 正式党员 on ``day``.

    A probationary member has no vote and cannot be elected; a full member counts from the day they
    were made full (when that date is known).
    """
    if category != "full":
        return False
    return full_member_on is None or full_member_on <= day


# Allowed status moves, and the action that makes each. The services are the only way to move.
STATUS_MOVES: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "submit",
    ("returned", "submitted"): "submit",
    ("submitted", "current"): "approve",
    ("submitted", "returned"): "return",
    ("current", "ended"): "end",
}

# Statuses in which the branch may still change the election result.
EDITABLE_STATUSES = frozenset({"draft", "returned"})
# Statuses of a term whose result is not yet settled (at most one per branch).
OPEN_STATUSES = frozenset({"draft", "submitted", "returned"})
# Terms that can be archived: never approved ones (abandoned drafts) and ended ones.
ARCHIVABLE_STATUSES = frozenset({"draft", "returned", "ended"})


def can_move(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in STATUS_MOVES


def next_statuses(status: str) -> list[str]:
    return [to for (frm, to) in STATUS_MOVES if frm == status]
