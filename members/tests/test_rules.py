"""The pure rules: ID numbers (GB 11643), dates, phone, pinyin initials. No database."""

import datetime

import pytest

from members import rules
from members.idnumbers import IdNumberError, birth_date_of, check_id_number, make_id_number

TODAY = datetime.date(2025, 6, 1)
BIRTH = datetime.date(1985, 3, 12)
VALID = make_id_number(BIRTH, 17)


def data(**overrides):
    out = {
        "name": "张三",
        "birth_date": BIRTH,
        "id_number": VALID,
        "category": "full",
        "joined_on": datetime.date(2010, 7, 1),
        "full_member_on": datetime.date(2011, 7, 1),
        "phone": "13912345678",
    }
    out.update(overrides)
    return out


def test_it_accepts_a_valid_number_and_normalizes_a_lower_case_x():
    number = "11010519491231002x"
    assert check_id_number(number) == "11010519491231002X"
    assert check_id_number(f" {VALID} ", BIRTH) == VALID


def test_it_rejects_a_wrong_check_digit():
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    with pytest.raises(IdNumberError, match="公民身份号码校验码不正确"):
        check_id_number(wrong)


@pytest.mark.parametrize("number", ["1101051985031201", "1101051985031201711", ""])
def test_it_rejects_a_number_of_the_wrong_length(number):
    with pytest.raises(IdNumberError, match="公民身份号码"):
        check_id_number(number)


def test_it_names_the_actual_length():
    with pytest.raises(IdNumberError, match="应为18位，实际为17位"):
        check_id_number(VALID[:-1])


def test_it_rejects_a_birth_date_that_disagrees_with_the_number():
    with pytest.raises(IdNumberError, match="出生日期（1985-03-12）与填写的出生日期（1985-03-13）不一致"):
        check_id_number(VALID, datetime.date(1985, 3, 13))


def test_it_rejects_an_impossible_birth_date_inside_the_number():
    body = "11010519850230017"  # 30 February
    with pytest.raises(IdNumberError, match="公民身份号码"):
        check_id_number(body + "0")


def test_birth_date_is_read_from_the_number():
    assert birth_date_of(VALID) == BIRTH


def test_valid_data_has_no_problems():
    assert rules.member_problems(data(), today=TODAY) == {}


def test_it_requires_the_full_member_date_of_a_full_member():
    assert rules.member_problems(data(full_member_on=None), today=TODAY) == {"full_member_on": "正式党员须填写转正日期"}


def test_it_refuses_a_full_member_date_before_joining():
    problems = rules.member_problems(data(full_member_on=datetime.date(2009, 1, 1)), today=TODAY)
    assert problems == {"full_member_on": "转正日期不能早于入党日期"}


def test_it_refuses_a_full_member_date_for_a_probationary_member():
    problems = rules.member_problems(data(category="probationary"), today=TODAY)
    assert problems == {"full_member_on": "预备党员不应填写转正日期"}


def test_it_refuses_joining_before_eighteen():
    problems = rules.member_problems(data(joined_on=datetime.date(2003, 3, 11)), today=TODAY)
    assert "年满十八周岁" in problems["joined_on"]


def test_it_refuses_dates_in_the_future():
    problems = rules.member_problems(data(joined_on=datetime.date(2026, 1, 1), full_member_on=None), today=TODAY)
    assert problems["joined_on"] == "入党日期不能晚于今天"


def test_it_refuses_a_phone_that_is_not_a_mobile_number():
    assert rules.member_problems(data(phone="12345"), today=TODAY) == {"phone": "手机号码应为以1开头的11位数字"}
    assert rules.member_problems(data(phone="139-1234-5678"), today=TODAY) == {}


def test_it_puts_the_id_number_reason_under_the_id_field():
    problems = rules.member_problems(data(id_number=VALID[:10]), today=TODAY)
    assert problems == {"id_number": "公民身份号码应为18位，实际为10位"}


@pytest.mark.parametrize(("name", "initials"), [("张三", "zs"), ("欧阳娜娜", "oynn"), ("李 明", "lm"), ("王2", "w2")])
def test_name_initials(name, initials):
    assert rules.name_initials(name) == initials


def test_default_branch_start_is_the_later_of_founding_and_joining():
    assert rules.default_branch_start(datetime.date(2020, 1, 1), datetime.date(2010, 7, 1)) == datetime.date(2020, 1, 1)
    assert rules.default_branch_start(datetime.date(2000, 1, 1), datetime.date(2010, 7, 1)) == datetime.date(2010, 7, 1)


@pytest.mark.parametrize("seq", range(12))
def test_generated_demo_numbers_are_valid(seq):
    number = make_id_number(BIRTH, seq)
    assert check_id_number(number, BIRTH) == number
