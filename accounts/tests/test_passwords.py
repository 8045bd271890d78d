import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts import rules
from accounts.passwords import (
    CharacterClassesValidator,
    CommonPasswordValidator,
    MinimumLengthValidator,
    UsernameValidator,
    generate_password,
)
from tests import factories as f


class _User:
    username = "wangfang"


def messages(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


# ---------------------------------------------------------------- rules (no database)


def test_character_classes_counts_upper_lower_digit_and_symbol():
    assert rules.character_classes("aB3#") == {"upper", "lower", "digit", "symbol"}
    assert rules.character_classes("abcdefg1") == {"lower", "digit"}
    assert rules.character_classes("党建abc1") == {"symbol", "lower", "digit"}


def test_contains_username_matches_the_name_inside_and_reversed():
    assert rules.contains_username("Wangfang#2026", "wangfang")
    assert rules.contains_username("x-gnafgnaw-9", "wangfang")
    assert not rules.contains_username("Zhibu#2026", "wangfang")
    assert not rules.contains_username("Liu#Abc2026", "li")  # a short name counts only exactly
    assert rules.contains_username("LI", "li")


def test_password_expiry_is_off_when_the_age_is_zero():
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    old = now - datetime.timedelta(days=400)
    assert rules.password_expired(old, now, 90)
    assert not rules.password_expired(now - datetime.timedelta(days=89), now, 90)
    assert not rules.password_expired(old, now, 0)


def test_session_absolute_limit():
    now = datetime.datetime(2026, 6, 1, 20, tzinfo=datetime.UTC)
    assert rules.session_outlived(now - datetime.timedelta(hours=12), now, 12)
    assert not rules.session_outlived(now - datetime.timedelta(hours=11, minutes=59), now, 12)
    assert not rules.session_outlived(now - datetime.timedelta(days=3), now, 0)


def test_second_factor_locks_after_the_limit_for_the_lockout_time():
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    recent = now - datetime.timedelta(minutes=5)
    assert not rules.second_factor_locked(4, recent, now, 5, 30)
    assert rules.second_factor_locked(5, recent, now, 5, 30)
    assert not rules.second_factor_locked(5, now - datetime.timedelta(minutes=31), now, 5, 30)


def test_role_conflict_keeps_the_three_administrators_apart_and_off_business_roles():
    assert rules.role_conflict({"sysadmin"}, "secadmin") == "two_admin"
    assert rules.role_conflict({"secretary"}, "auditadmin") == "admin_business"
    assert rules.role_conflict({"auditadmin"}, "member") == "admin_business"
    assert rules.role_conflict(set(), "sysadmin") is None
    assert rules.role_conflict({"secretary"}, "member") is None


# ---------------------------------------------------------------- validators, Chinese messages


def test_it_refuses_a_password_shorter_than_the_minimum():
    with pytest.raises(ValidationError) as exc:
        MinimumLengthValidator(8).validate("aB3#xyz")
    assert exc.value.messages == ["密码太短：至少需要 8 个字符。"]


def test_it_refuses_a_password_with_fewer_than_three_character_classes():
    with pytest.raises(ValidationError) as exc:
        CharacterClassesValidator(3).validate("abcdefgh12")
    assert "至少 3 类" in exc.value.messages[0]
    CharacterClassesValidator(3).validate("abcdefgh1#")  # lower, digit, symbol: enough


def test_it_refuses_the_username_and_a_password_containing_it():
    for password in ("wangfang", "Wangfang#2026"):
        with pytest.raises(ValidationError) as exc:
            UsernameValidator().validate(password, _User())
        assert exc.value.messages == ["密码不能是用户名，也不能包含用户名。"]


def test_it_refuses_a_common_password():
    with pytest.raises(ValidationError) as exc:
        CommonPasswordValidator().validate("Password1")
    assert exc.value.messages == ["该密码过于常见，容易被猜中，请换一个。"]


def test_the_configured_policy_applies_every_rule(db):
    assert messages("Zhibu#2026", _User()) == []
    assert "密码太短：至少需要 8 个字符。" in messages("aB3#", _User())
    assert messages("wangfang#2026", _User()) == ["密码不能是用户名，也不能包含用户名。"]
    assert any("至少 3 类" in m for m in messages("onlylowercaseletters", _User()))


def test_the_minimum_length_comes_from_settings(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}}
    ]
    assert messages("Zhibu#2026") == ["密码太短：至少需要 12 个字符。"]


def test_issued_passwords_pass_the_policy(db):
    user = f.UserFactory.build(username="zhaolei")
    for _ in range(20):
        password = generate_password()
        assert len(password) == 16
        validate_password(password, user)
