"""The pure committee rules, without a database."""

import datetime

import pytest

from committees import rules
from committees.rules import composition_errors, renewal_status, term_expires_on

S, D, ORG, P, J, M = "secretary", "deputy_secretary", "organization", "publicity", "discipline", "member"


@pytest.mark.parametrize("roles", [[S], [S, D]])
def test_it_accepts_a_secretary_and_optional_deputy_when_fewer_than_7_full_members(roles):
    assert composition_errors(6, roles) == []


def test_it_refuses_committee_roles_when_fewer_than_7_full_members():
    errors = composition_errors(6, [S, D, ORG])
    assert any("不设支部委员会" in e and "组织委员" in e for e in errors)
    assert any("支委人数" in e and "现为 3 人" in e for e in errors)


def test_it_refuses_a_committee_of_3_with_6_full_members_even_without_a_deputy():
    errors = composition_errors(6, [S, ORG, P])
    assert any("组织委员、宣传委员" in e for e in errors)


@pytest.mark.parametrize("size", [3, 4, 5, 6, 7])
def test_it_accepts_a_committee_of_3_to_7_when_7_full_members(size):
    roles = [S, D, ORG, P, J, M, M][:size]
    assert composition_errors(7, roles) == []


@pytest.mark.parametrize("roles", [[S], [S, D]])
def test_it_refuses_fewer_than_3_when_7_full_members(roles):
    errors = composition_errors(7, roles)
    assert len(errors) == 1
    assert "支委人数" in errors[0] and "3 至 7" in errors[0]


def test_it_refuses_8_people():
    errors = composition_errors(30, [S, D, ORG, P, J, M, M, M])
    assert len(errors) == 1
    assert "支委人数" in errors[0] and "现为 8 人" in errors[0]


def test_it_refuses_two_secretaries():
    errors = composition_errors(9, [S, S, ORG])
    assert errors == ["职务：书记只能有一名，现有 2 名。"]


def test_it_refuses_two_deputies():
    assert composition_errors(9, [S, D, D]) == ["职务：副书记最多一名，现有 2 名。"]


def test_it_refuses_a_result_without_secretary():
    assert composition_errors(9, [D, ORG, P]) == ["职务：必须选出一名书记。"]


def test_it_reports_every_broken_rule_at_once():
    errors = composition_errors(3, [S, S, D, D, ORG])
    assert len(errors) == 4


def test_it_names_unknown_roles():
    assert any("chairman" in e for e in composition_errors(3, [S, "chairman"]))


def test_term_end_is_the_anniversary():
    assert term_expires_on(datetime.date(2024, 3, 1), 3) == datetime.date(2027, 3, 1)
    assert term_expires_on(datetime.date(2021, 6, 30), 5) == datetime.date(2026, 6, 30)


def test_term_elected_on_29_february_ends_on_28_february():
    assert term_expires_on(datetime.date(2024, 2, 29), 3) == datetime.date(2027, 2, 28)
    assert term_expires_on(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)


EXPIRY = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(365, None), (91, None), (90, "due"), (1, "due"), (0, "expired"), (-1, "expired"), (-400, "expired")],
)
def test_renewal_status_boundaries(days_before, expected):
    today = EXPIRY - datetime.timedelta(days=days_before)
    assert renewal_status(EXPIRY, today) == expected


def test_renewal_window_is_configurable():
    today = EXPIRY - datetime.timedelta(days=100)
    assert renewal_status(EXPIRY, today, window_days=120) == "due"
    assert renewal_status(EXPIRY, today, window_days=99) is None


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        ("draft", "submitted"),
        ("returned", "submitted"),
        ("submitted", "current"),
        ("submitted", "returned"),
        ("current", "ended"),
    ],
)
def test_allowed_status_moves(frm, to):
    assert rules.can_move(frm, to)


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        ("draft", "current"),
        ("returned", "current"),
        ("current", "submitted"),
        ("ended", "current"),
        ("draft", "returned"),
        ("ended", "submitted"),
        ("current", "returned"),
    ],
)
def test_it_refuses_other_status_moves(frm, to):
    assert not rules.can_move(frm, to)


def test_next_statuses_of_submitted():
    assert sorted(rules.next_statuses("submitted")) == ["current", "returned"]


def test_probationary_members_and_members_made_full_later_do_not_count():
    day = datetime.date(2024, 3, 1)
    assert rules.was_full_member_on("full", None, day)
    assert rules.was_full_member_on("full", day, day)
    assert not rules.was_full_member_on("full", datetime.date(2024, 3, 2), day)
    assert not rules.was_full_member_on("probationary", None, day)
