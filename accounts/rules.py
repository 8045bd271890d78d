"""Identity rules as plain Python (no ORM): password strength, password age, session limits,
second-factor lockout and the separation of the three administrators (三员)."""

from __future__ import annotations

import datetime
import string

ADMIN_ROLE_VALUES = frozenset({"sysadmin", "secadmin", "auditadmin"})

_SYMBOLS = set(string.punctuation) | {" "}


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses: upper, lower, digit, symbol.

    Letters outside ASCII (e.g. Chinese characters) count as symbols: they widen the alphabet
    just as punctuation does.
    """
    classes = set()
    for ch in password:
        if ch.isascii() and ch.isupper():
            classes.add("upper")
        elif ch.isascii() and ch.islower():
            classes.add("lower")
        elif ch.isdigit():
            classes.add("digit")
        elif ch in _SYMBOLS or not ch.isascii() or not ch.isalnum():
            classes.add("symbol")
    return classes


def contains_username(password: str, username: str) -> bool:
    """The password is the username or contains it (case-insensitive; also reversed)."""
    name = (username or "").strip().lower()
    if len(name) < 3:
        # A two-letter name occurs by chance in many strong passwords; only an exact match counts.
        return bool(name) and password.lower() == name
    low = password.lower()
    return name in low or name[::-1] in low


def password_expired(changed_at: datetime.datetime | None, now: datetime.datetime, max_age_days: int) -> bool:
    """Whether a password set at ``changed_at`` has outlived ``max_age_days`` (0 = never)."""
    if max_age_days <= 0 or changed_at is None:
        return False
    return now - changed_at >= datetime.timedelta(days=max_age_days)


def session_outlived(started_at: datetime.datetime | None, now: datetime.datetime, max_hours: int) -> bool:
    """Whether a session that began at ``started_at`` has passed the absolute limit (0 = none)."""
    if max_hours <= 0 or started_at is None:
        return False
    return now - started_at >= datetime.timedelta(hours=max_hours)


def second_factor_locked(
    failures: int, last_failure_at: datetime.datetime | None, now: datetime.datetime, limit: int, minutes: float
) -> bool:
    """A second-factor device locks after ``limit`` consecutive wrong codes, for ``minutes``."""
    if limit <= 0 or failures < limit or last_failure_at is None:
        return False
    return now - last_failure_at < datetime.timedelta(minutes=minutes)


def role_conflict(held: set[str], new_role: str) -> str | None:
    """Why an account holding ``held`` (active roles) may not also receive ``new_role``.

    ``"two_admin"``: it would hold two of the three administrator roles;
    ``"admin_business"``: it would mix an administrator role with a business role;
    ``None``: no conflict.
    """
    held_admin = held & ADMIN_ROLE_VALUES
    if new_role in ADMIN_ROLE_VALUES:
        if held_admin - {new_role}:
            return "two_admin"
        if held - ADMIN_ROLE_VALUES:
            return "admin_business"
        return None
    if held_admin:
        return "admin_business"
    return None
