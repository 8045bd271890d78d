"""Each metric on small factory data: computed from the records, per branch, set-based."""

import datetime
from decimal import Decimal as D

from django.utils import timezone

from assessments import indicators, services
from assessments.models import Choice
from rectification.models import Rectification, Status
from tests import factories as f

from .conftest import TODAY, YEAR


def ctx(personas):
    return indicators.Context([personas.org.branch_a, personas.org.branch_b], YEAR, TODAY)


def test_the_compliance_rate_rises_when_a_meeting_is_recorded(personas):
    before = indicators.compliance_rate(ctx(personas), "committee_meeting")[personas.org.branch_a.pk]
    assert before.value == D("0.00")
    assert len(before.evidence) == 12 and "2025年3月" in "".join(e["text"] for e in before.evidence)
    assert all(e["url"].startswith("/compliance/cell/?unit=") for e in before.evidence)
    f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 3, 10), kinds=["committee_meeting"])
    after = indicators.compliance_rate(ctx(personas), "committee_meeting")[personas.org.branch_a.pk]
    assert after.value == D("8.33")
    assert len(after.evidence) == 11 and "2025年3月" not in "".join(e["text"] for e in after.evidence)
    # Branch B's rate is untouched.
    assert indicators.compliance_rate(ctx(personas), "committee_meeting")[personas.org.branch_b.pk].value == D("0.00")


def test_the_overall_compliance_rate_counts_the_branch_groups_too(personas):
    result = indicators.compliance_rate(ctx(personas), "")[personas.org.branch_a.pk]
    assert any(e["text"].startswith("第一党小组") for e in result.evidence)


def _item(unit, deadline, status=Status.OPEN, verified_at=None, problem="会议记录不规范"):
    return Rectification.objects.create(
        unit=unit, source="other", problem=problem, deadline=deadline, status=status, verified_at=verified_at
    )


def test_closure_rate_and_overdue_count_come_from_the_items(personas):
    a = personas.org.branch_a
    _item(a, datetime.date(2025, 6, 30), Status.VERIFIED, timezone.make_aware(datetime.datetime(2025, 6, 1)))
    _item(
        a, datetime.date(2025, 6, 30), Status.VERIFIED, timezone.make_aware(datetime.datetime(2025, 8, 1)), "逾期销号"
    )
    late = _item(a, datetime.date(2025, 9, 30), problem="党费台账未登记")
    _item(a, datetime.date(2024, 9, 30), problem="上一年度的事项")
    closure = indicators.closure_rate(ctx(personas), "")
    assert closure[a.pk].value == D("66.67")
    assert closure[a.pk].evidence[0]["url"] == f"/rectification/{late.pk}/"
    assert closure[personas.org.branch_b.pk].value is None
    overdue = indicators.overdue_count(ctx(personas), "")[a.pk]
    assert overdue.value == 2
    texts = " ".join(e["text"] for e in overdue.evidence)
    assert "逾期至2025-08-01才销号" in texts and "党费台账未登记" in texts and "上一年度" not in texts


def test_late_entry_share_counts_the_back_filled_meetings(personas):
    a = personas.org.branch_a
    f.MeetingFactory(unit=a, date=datetime.date(2025, 3, 10), kinds=["theme_day"])
    late = f.MeetingFactory(
        unit=personas.org.group_a, date=datetime.date(2025, 4, 10), kinds=["group_meeting"], late_entry=True
    )
    result = indicators.late_entry_share(ctx(personas), "")[a.pk]
    assert result.value == D("50.00")
    assert result.evidence == [{"text": result.evidence[0]["text"], "url": f"/meetings/{late.pk}/"}]
    assert indicators.late_entry_share(ctx(personas), "")[personas.org.branch_b.pk].value is None


def test_participation_rate_is_present_over_expected(personas):
    m = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 3, 10), kinds=["general_meeting"])
    f.AttendanceFactory(meeting=m, member=personas.members.secretary_a, status="present")
    f.AttendanceFactory(meeting=m, member=personas.members.member_a, status="absent", absence_reason="personal")
    result = indicators.participation_rate(ctx(personas), "")[personas.org.branch_a.pk]
    assert result.value == D("50.00")
    assert [e["text"].split("：")[0] for e in result.evidence] == ["甲党员"]


def test_study_share_lists_the_members_below_target(personas):
    result = indicators.study_target_share(ctx(personas), "")[personas.org.branch_a.pk]
    assert result.value == D("0.00")
    assert {e["text"].split("：")[0] for e in result.evidence} == {"甲书记", "甲党员", "甲同事"}


def test_duty_satisfaction_comes_from_the_tally(personas, settings):
    settings.ZHIBU = {**settings.ZHIBU, "BALLOT_MIN_VOTERS": 2}
    report = services.create_duty_report(
        personas.org.branch_a,
        personas.members.secretary_a,
        {"year": YEAR, "title": "述职", "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。"},
        actor=personas.secretary_a,
    )
    assert indicators.duty_satisfaction(ctx(personas), "")[personas.org.branch_a.pk].value is None
    services.submit_duty_report(report, actor=personas.secretary_a)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.staff)
    services.cast_duty_vote(report, Choice.UNSATISFIED, actor=personas.member_a)
    # While the evaluation is open its totals are secret, to the indicator too.
    assert indicators.duty_satisfaction(ctx(personas), "")[personas.org.branch_a.pk].value is None
    services.close_duty_report(report, actor=personas.staff)
    result = indicators.duty_satisfaction(ctx(personas), "")[personas.org.branch_a.pk]
    assert result.value == D("50.00") and "不满意1票" in result.summary


def test_an_item_not_yet_due_does_not_count_against_closure(personas):
    a = personas.org.branch_a
    mid_year = indicators.Context([a], YEAR, datetime.date(2025, 7, 15))
    _item(a, datetime.date(2025, 6, 30), Status.VERIFIED, timezone.make_aware(datetime.datetime(2025, 6, 1)))
    _item(a, datetime.date(2025, 12, 31), problem="新发现的问题")
    result = indicators.closure_rate(mid_year, "")[a.pk]
    assert result.value == D("100.00") and result.evidence == []
    assert "尚未到期的1项不计" in result.summary


def test_an_item_closed_before_its_deadline_counts_as_closed(personas):
    a = personas.org.branch_a
    mid_year = indicators.Context([a], YEAR, datetime.date(2025, 7, 15))
    _item(a, datetime.date(2025, 12, 31), Status.VERIFIED, timezone.make_aware(datetime.datetime(2025, 7, 1)))
    assert indicators.closure_rate(mid_year, "")[a.pk].value == D("100.00")


def test_closure_is_judged_as_of_the_scoring_day(personas):
    a = personas.org.branch_a
    mid_year = indicators.Context([a], YEAR, datetime.date(2025, 7, 15))
    _item(a, datetime.date(2025, 6, 30), Status.VERIFIED, timezone.make_aware(datetime.datetime(2025, 8, 1)))
    assert indicators.closure_rate(mid_year, "")[a.pk].value == D("0.00")


def test_the_closure_points_move_in_proportion_to_the_share_closed():
    leaf = next(leaf for group in indicators.DEFAULT_TREE for leaf in group[8] if leaf[3] == "closure_rate")
    _name, _method, weight, _metric, _param, zero_at, full_at, description, _children = leaf
    points = [
        services_points(D(share), weight=weight, zero_at=zero_at, full_at=full_at) for share in ("0", "50", "100")
    ]
    assert points == [D("0.00"), D("5.00"), D("10.00")]
    assert "尚未到期" in str(description)


def services_points(value, **leaf):
    from assessments import rules

    return rules.linear_points(value, when_empty=rules.FULL_WHEN_EMPTY, **leaf)


def test_duty_satisfaction_stays_empty_below_the_minimum_of_voters(personas):
    report = services.create_duty_report(
        personas.org.branch_a,
        personas.members.secretary_a,
        {"year": YEAR, "title": "述职", "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。"},
        actor=personas.secretary_a,
    )
    services.submit_duty_report(report, actor=personas.secretary_a)
    services.cast_duty_vote(report, Choice.UNSATISFIED, actor=personas.member_a)
    services.close_duty_report(report, actor=personas.staff)
    result = indicators.duty_satisfaction(ctx(personas), "")[personas.org.branch_a.pk]
    assert result.value is None and "不满意" not in result.summary
    # Withheld is not assessable (neither 0 nor full marks); no report at all is 0 points.
    assert result.assessable is False
    assert indicators.duty_satisfaction(ctx(personas), "")[personas.org.branch_b.pk].assessable is True


def test_the_life_meeting_indicator_counts_a_meeting_for_the_year_it_is_held_for(personas):
    """ "2025年度组织生活会" held on 2026-01-10 is 2025's in the assessment too (issue 12, 2)."""
    meeting = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2026, 1, 10), kinds=["life_meeting"])
    meeting.held_for_year = 2025
    meeting.save()
    meeting.problems.create(text="学习流于形式")
    from meetings import counts

    counts.refresh([personas.org.branch_a.pk], [2025, 2026])
    branches = [personas.org.branch_a, personas.org.branch_b]
    y2025 = indicators.compliance_rate(indicators.Context(branches, 2025, datetime.date(2026, 3, 5)), "life_meeting")
    assert y2025[personas.org.branch_a.pk].value == D("100.00")
    assert y2025[personas.org.branch_b.pk].value == D("0.00")
    y2026 = indicators.compliance_rate(indicators.Context(branches, 2026, datetime.date(2026, 12, 31)), "life_meeting")
    assert not any("符合条件的1次" in e["text"] for e in y2026[personas.org.branch_a.pk].evidence)
