"""Participation: the pure calculations (rate, month states, lapse) without a database, then the
set-based loader, the pages by persona and their query counts."""

import datetime

import pytest
from django.urls import reverse

from compliance import participation as p
from compliance.participation import AttendanceFact
from compliance.tests import access_participation
from tests import factories as f
from tests.matrix import cases, url_for

D = datetime.date


def present(day):
    return AttendanceFact(1, day, "present")


def absent(day, reason=""):
    return AttendanceFact(1, day, "absent", reason)


# --- pure ---------------------------------------------------------------------------------------


def test_the_rate_is_present_over_present_and_absent():
    rate = p.attendance_rate([present(D(2025, 1, 5)), present(D(2025, 2, 5)), absent(D(2025, 3, 5), "sick")])
    assert (rate.present, rate.absent, rate.excused, rate.expected) == (2, 1, 1, 3)
    assert rate.rate == pytest.approx(2 / 3) and rate.percent == "67%"


def test_a_member_expected_at_nothing_has_no_rate():
    rate = p.attendance_rate([])
    assert rate.rate is None and rate.percent == "—"


def test_a_month_counts_as_attended_if_present_once_and_excused_only_for_official_or_sick_leave():
    states = p.month_states(
        [
            absent(D(2025, 1, 3), "personal"),
            present(D(2025, 1, 20)),
            absent(D(2025, 2, 3), "official"),
            absent(D(2025, 3, 3), "personal"),
            absent(D(2025, 4, 3), "other"),
            absent(D(2025, 5, 3), "sick"),
        ],
        p.months_between((2025, 1), (2025, 6)),
    )
    assert states == {
        (2025, 1): p.ATTENDED,
        (2025, 2): p.EXCUSED,
        (2025, 3): p.ABSENT,
        (2025, 4): p.ABSENT,
        (2025, 5): p.EXCUSED,
        (2025, 6): p.NONE,
    }


def test_six_months_absent_without_valid_reason_across_the_year_boundary_are_flagged_with_the_months():
    facts = (
        [present(D(2024, 8, 10))]
        + [absent(D(2024, m, 10), "personal") for m in (9, 10, 11, 12)]
        + [absent(D(2025, 1, 10), "other"), absent(D(2025, 2, 10))]
    )
    lapse = p.find_lapse(facts, first_month=(2024, 1), as_of=D(2025, 3, 5), months=6)
    assert lapse is not None and lapse.ongoing
    assert lapse.months[0] == (2024, 9) and lapse.months[-1] == (2025, 2) and lapse.length == 6
    assert lapse.start_label == "2024-09"
    text = lapse.explanation
    assert "2024年9月至2025年2月连续6个月未参加组织生活" in text
    assert "2024年9月缺席（事假）" in text and "2025年1月缺席（其他）" in text
    assert "支部研究决定" in text


def test_a_sick_leave_in_the_middle_breaks_the_run():
    facts = (
        [absent(D(2024, m, 10), "personal") for m in (9, 10, 11)]
        + [absent(D(2024, 12, 10), "sick")]
        + [absent(D(2025, m, 10), "personal") for m in (1, 2)]
    )
    assert p.find_lapse(facts, first_month=(2024, 9), as_of=D(2025, 3, 5), months=6) is None


def test_an_official_trip_in_the_middle_breaks_the_run_but_personal_leave_does_not():
    base = [absent(D(2024, m, 10), "personal") for m in (9, 10, 11, 12)] + [absent(D(2025, 2, 10))]
    with_trip = [*base, absent(D(2025, 1, 10), "official")]
    with_leave = [*base, absent(D(2025, 1, 10), "personal")]
    assert p.find_lapse(with_trip, first_month=(2024, 9), as_of=D(2025, 3, 1), months=6) is None
    assert p.find_lapse(with_leave, first_month=(2024, 9), as_of=D(2025, 3, 1), months=6) is not None


def test_the_current_month_is_not_judged_before_it_ends():
    facts = [absent(D(2025, m, 10), "personal") for m in range(1, 7)]
    assert p.find_lapse(facts, first_month=(2025, 1), as_of=D(2025, 6, 30), months=6) is None
    assert p.find_lapse(facts, first_month=(2025, 1), as_of=D(2025, 7, 1), months=6) is not None


def test_months_with_no_meeting_listing_the_member_count_and_say_so():
    lapse = p.find_lapse([], first_month=(2025, 1), as_of=D(2025, 7, 1), months=6)
    assert lapse is not None and "2025年3月无其参加组织生活的记录" in lapse.explanation


def test_a_past_lapse_is_reported_as_no_longer_ongoing():
    facts = [absent(D(2024, m, 10), "personal") for m in range(3, 9)] + [present(D(2024, 9, 10))]
    lapse = p.find_lapse(facts, first_month=(2024, 3), as_of=D(2024, 11, 1), months=6)
    assert lapse is not None and not lapse.ongoing and "此后已恢复参加组织生活" in lapse.explanation


def test_the_window_starts_at_the_latest_of_lookback_joining_and_first_record():
    as_of = D(2025, 7, 1)
    assert p.window_start(as_of=as_of, joined=None, records_from=None, months=6) == (2024, 7)
    assert p.window_start(as_of=as_of, joined=D(2025, 2, 10), records_from=None, months=6) == (2025, 2)
    assert p.window_start(as_of=as_of, joined=D(2020, 1, 1), records_from=D(2025, 3, 1), months=6) == (2025, 3)


# --- loader -------------------------------------------------------------------------------------


def meeting(unit, day, *rows, kinds=("theme_day",)):
    m = f.MeetingFactory(unit=unit, date=day, kinds=list(kinds))
    for member, status, reason in rows:
        f.AttendanceFactory(meeting=m, member=member, status=status, absence_reason=reason)
    return m


def test_the_loader_keeps_only_meetings_of_units_the_member_belonged_to_on_the_date(personas):
    m = personas.members
    meeting(personas.org.branch_a, D(2025, 3, 10), (m.member_a, "present", ""))
    # A row at another branch's meeting does not count: member_a never belonged to branch B.
    meeting(personas.org.branch_b, D(2025, 3, 12), (m.member_a, "absent", "personal"))
    facts = p.load_facts([m.member_a.pk], D(2025, 1, 1), D(2025, 12, 31))[m.member_a.pk]
    assert [(x.date, x.status) for x in facts.facts] == [(D(2025, 3, 10), "present")]


def test_lapse_flags_name_the_branch_and_member(personas):
    m = personas.members
    branch = personas.org.branch_a
    for month in range(1, 8):
        meeting(
            branch,
            D(2025, month, 10),
            (m.member_a, "absent", "personal"),
            (m.other_a, "present", ""),
            (m.secretary_a, "absent", "sick" if month == 4 else "personal"),
        )
    flags = p.lapse_flags(f.UnitFactory._meta.model.objects.filter(pk=branch.pk), as_of=D(2025, 8, 1))
    assert [(x.branch_id, x.member_name) for x in flags] == [(branch.pk, "甲党员")]
    assert flags[0].lapse.length == 7


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "persona"), cases(access_participation.MATRIX))
def test_each_page_answers_each_persona_as_the_policy_says(name, persona, personas, login):
    _method, expected, target = access_participation.MATRIX[name]
    response = login(getattr(personas, persona)).get(url_for(name, target, personas))
    assert response.status_code == expected[persona]


@pytest.mark.parametrize("name", list(access_participation.MATRIX))
def test_each_page_refuses_post_with_405(name, personas, login):
    _method, _expected, target = access_participation.MATRIX[name]
    assert login(personas.staff).post(url_for(name, target, personas)).status_code == 405


def test_the_member_sees_their_own_meetings_and_absences(personas, login):
    m = personas.members
    meeting(personas.org.branch_a, D(2025, 3, 10), (m.member_a, "absent", "sick"))
    response = login(personas.member_a).get(reverse("compliance:participation.mine"), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/participation/members/{m.member_a.pk}/")
    response = login(personas.member_a).get(response.redirect_chain[-1][0] + "?year=2025")
    text = response.content.decode()
    assert "我的组织生活" in text and "病假" in text


def test_the_branch_page_lists_the_flag_with_its_explanation(personas, login):
    m = personas.members
    for month in range(1, 13):
        meeting(
            personas.org.branch_a, D(2024, month, 10), (m.member_a, "absent", "personal"), (m.other_a, "present", "")
        )
    text = (
        login(personas.secretary_a)
        .get(reverse("compliance:participation.branch", kwargs={"pk": personas.org.branch_a.pk}) + "?year=2024")
        .content.decode()
    )
    assert "甲党员" in text and "连续12个月未参加" in text and "2024年1月缺席（事假）" in text


def test_the_cadre_report_shows_own_branch_attendance(personas, login):
    m = personas.members
    m.other_a.is_leading_cadre = True
    m.other_a.post = "副局长"
    m.other_a.save()
    meeting(personas.org.branch_a, D(2025, 2, 10), (m.other_a, "present", ""))
    text = login(personas.inspector).get(reverse("compliance:participation.cadres") + "?year=2025").content.decode()
    assert "甲同事" in text and "副局长" in text and "第一党支部" in text


@pytest.mark.parametrize("size", [3, 30])
def test_the_branch_page_query_count_does_not_grow_with_members(size, personas, login, django_assert_max_num_queries):
    branch = personas.org.branch_a
    people = [f.member_in(branch) for _ in range(size)]
    for month in (1, 2, 3):
        meeting(
            branch,
            D(2025, month, 10),
            *[(x, "present" if i % 2 else "absent", "" if i % 2 else "personal") for i, x in enumerate(people)],
        )
    client = login(personas.secretary_a)
    with django_assert_max_num_queries(15):
        assert (
            client.get(reverse("compliance:participation.branch", kwargs={"pk": branch.pk}) + "?year=2025").status_code
            == 200
        )


@pytest.mark.parametrize("size", [3, 30])
def test_the_cadre_report_query_count_does_not_grow_with_cadres(size, personas, login, django_assert_max_num_queries):
    for i in range(size):
        branch = personas.org.branch_a if i % 2 else personas.org.branch_b
        cadre = f.member_in(branch, is_leading_cadre=True)
        meeting(branch, D(2025, 1 + i % 6, 10), (cadre, "present", ""))
    client = login(personas.staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("compliance:participation.cadres") + "?year=2025").status_code == 200
