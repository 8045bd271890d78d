"""Services: the tree, recomputing with history, manual scores, publishing, duty reports."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import (
    Assessment,
    AssessmentScoreChange,
    ChangeReason,
    Choice,
    Indicator,
    Method,
    Score,
    SetStatus,
)
from ballots.models import Ballot, Elector
from common.models import AuditEntry
from tests import factories as f

from .conftest import TODAY, YEAR, score_all_manual


def test_the_default_set_has_a_tree_with_weights_summing_to_100(year_set, personas):
    assert services.weight_error(year_set) is None
    rows = services.tree(year_set)
    assert rows[0].depth == 0 and not rows[0].indicator.is_leaf and rows[1].depth == 1
    assert all(r.rule_text for r in rows if r.indicator.is_leaf)
    assert AuditEntry.objects.filter(action="assessments.indicatorset.created").count() == 1
    assert Assessment.objects.filter(indicator_set=year_set).count() == 2


def test_it_refuses_a_second_set_for_the_same_year(year_set, personas):
    with pytest.raises(services.AssessmentError) as exc:
        services.create_indicator_set(YEAR, actor=personas.staff)
    assert exc.value.errors["year"].startswith("年度：")


def test_it_refuses_to_compute_when_the_weights_do_not_sum_to_100(year_set, personas):
    leaf = Indicator.objects.filter(indicator_set=year_set, method=Method.MANUAL).first()
    services.save_indicator(
        year_set,
        {"name": leaf.name, "method": "manual", "weight": D(3), "parent": leaf.parent},
        actor=personas.staff,
        indicator=leaf,
        expected_version=leaf.version,
    )
    assert AuditEntry.objects.filter(action="assessments.indicator.changed").count() == 1
    with pytest.raises(services.AssessmentError) as exc:
        services.recompute_year(year_set, actor=personas.staff, today=TODAY)
    assert "当前合计98分" in str(exc.value)


def test_indicator_checks_name_the_field(year_set, personas):
    with pytest.raises(services.AssessmentError) as exc:
        services.save_indicator(
            year_set, {"name": "新指标", "method": "automatic", "weight": D(5)}, actor=personas.staff
        )
    assert exc.value.errors["metric"].startswith("计算口径：")
    assert exc.value.errors["zero_at"].startswith("零分值：")
    with pytest.raises(services.AssessmentError) as exc:
        services.save_indicator(
            year_set,
            {
                "name": "x",
                "method": "automatic",
                "weight": D(5),
                "metric": "compliance_rate",
                "metric_param": "nope",
                "zero_at": 0,
                "full_at": 100,
            },
            actor=personas.staff,
        )
    assert "nope" in exc.value.errors["metric_param"]


def test_recording_a_meeting_before_publication_changes_the_score_and_the_history_says_why(year_set, personas):
    leaf = Indicator.objects.get(indicator_set=year_set, metric="compliance_rate", metric_param="")
    score = Score.objects.get(assessment__unit=personas.org.branch_a, indicator=leaf)
    # Score from the first missed period on, so one more meeting shows in the points too.
    Indicator.objects.filter(pk=leaf.pk).update(zero_at=0)
    services.recompute_year(year_set, actor=personas.staff, today=TODAY)
    score.refresh_from_db()
    before, before_value = score.points, score.value
    assert any("2025年6月" in e["text"] and "支委会" in e["text"] for e in score.evidence)
    f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 6, 12), kinds=["committee_meeting"])
    assert services.recompute_year(year_set, actor=personas.staff, today=TODAY) >= 1
    score.refresh_from_db()
    assert score.points > before and score.value > before_value
    change = AssessmentScoreChange.objects.filter(score=score).first()
    assert change.reason == ChangeReason.RECOMPUTED
    assert (change.old_points, change.new_points, change.old_value) == (before, score.points, before_value)
    assert "不再扣分" in change.note and "2025年6月" in change.note
    entry = AuditEntry.objects.filter(action="assessments.assessment.recomputed", unit=personas.org.branch_a).first()
    assert entry is not None and entry.data["changes"]["total"][1] == str(
        Assessment.objects.get(pk=score.assessment_id).total
    )


def _compliance_score(personas, year_set, rule_code):
    return Score.objects.get(
        assessment__indicator_set=year_set,
        assessment__unit=personas.org.branch_b,
        indicator__metric="compliance_rate",
        indicator__metric_param=rule_code,
    )


def test_a_finished_year_counts_its_last_month_quarter_and_yearly_rules_as_missed(year_set, personas):
    # Computed on TODAY (January of the next year): December, the fourth quarter and the
    # calendar year are over, so branch B, which held nothing, loses their points instead of
    # having them left "due". The 组织生活会 is judged by its 年度 at the committee's deadline
    # (by default the end of February, docs/rules.md): due on TODAY, missed after it.
    life = _compliance_score(personas, year_set, "life_meeting")
    assert life.value is None and "应落实0个周期" in life.explanation
    overall = _compliance_score(personas, year_set, "")
    texts = " ".join(e["text"] for e in overall.evidence)
    assert "2025年12月" in texts and "2025年第4季度" in texts and "书记" in texts
    # The drill-down judges the cell on the same day, so it shows it missed too.
    assert all(e["url"].endswith(f"&as_of={TODAY.isoformat()}") for e in overall.evidence)
    services.recompute_year(year_set, actor=personas.staff, today=datetime.date(2026, 3, 1))
    life = _compliance_score(personas, year_set, "life_meeting")
    assert (life.value, life.points) == (D("0.00"), D("0.00"))
    assert "应落实1个周期，已落实0个，未落实1个" in life.explanation
    assert "2025年" in life.evidence[0]["text"] and "组织生活会" in life.evidence[0]["text"]


def test_while_the_year_runs_its_current_period_is_still_due(personas):
    indicator_set = services.create_indicator_set(YEAR, actor=personas.staff)
    services.recompute_year(indicator_set, actor=personas.staff, today=datetime.date(2025, 6, 10))
    texts = " ".join(e["text"] for e in _compliance_score(personas, indicator_set, "").evidence)
    assert "2025年5月" in texts and "2025年6月" not in texts
    life = _compliance_score(personas, indicator_set, "life_meeting")
    assert life.value is None and "应落实0个周期" in life.explanation


def test_recomputing_without_changes_adds_no_history(year_set, personas):
    n = AssessmentScoreChange.objects.count()
    assert services.recompute_year(year_set, actor=personas.staff, today=TODAY) == 0
    assert AssessmentScoreChange.objects.count() == n


def test_a_manual_score_needs_evidence_and_stays_within_the_weight(year_set, personas):
    score = Score.objects.filter(assessment__unit=personas.org.branch_a, indicator__method=Method.MANUAL).first()
    with pytest.raises(services.AssessmentError) as exc:
        services.enter_manual_score(
            score, {"points": D(99), "evidence_text": ""}, actor=personas.inspector, expected_version=1
        )
    assert exc.value.errors["points"].startswith("得分：") and exc.value.errors["evidence_text"].startswith(
        "评分依据："
    )
    with pytest.raises(services.AssessmentError) as exc:
        services.enter_manual_score(
            score, {"points": D(1), "evidence_text": "查阅"}, actor=personas.inspector, expected_version=1
        )
    assert exc.value.errors["comment"].startswith("评语：")
    total = score.assessment.total
    services.enter_manual_score(
        score,
        {"points": D(3), "evidence_text": "查阅学习记录", "comment": "心得偏少"},
        actor=personas.inspector,
        expected_version=1,
    )
    score.refresh_from_db()
    assert score.points == D("3.00") and score.entered_by == personas.inspector
    change = score.changes.get()
    assert change.reason == ChangeReason.MANUAL and "督查员" in change.note and change.actor == personas.inspector
    assert Assessment.objects.get(pk=score.assessment_id).total == total + D(3)
    assert AuditEntry.objects.filter(action="assessments.score.entered", unit=personas.org.branch_a).exists()


def test_the_history_names_the_changed_fields_and_grades_in_chinese(year_set, personas):
    from common.logdisplay import change_rows

    recomputed = AuditEntry.objects.filter(action="assessments.assessment.recomputed", unit=personas.org.branch_a).get()
    assert ("等次", "（空）", "差") in change_rows(recomputed)
    score = Score.objects.filter(assessment__unit=personas.org.branch_a, indicator__method=Method.MANUAL).first()
    services.enter_manual_score(
        score,
        {"points": D(3), "evidence_text": "查阅学习记录", "comment": "心得偏少"},
        actor=personas.inspector,
        expected_version=1,
    )
    entered = AuditEntry.objects.get(action="assessments.score.entered")
    assert entered.object_id == str(score.assessment_id)  # on the branch's assessment, its 变更记录
    # PostgreSQL's jsonb keeps no key order, so the rows are compared as a set.
    assert sorted(change_rows(entered)) == sorted(
        [("得分", "（空）", "3.00"), ("评分依据", "（空）", "查阅学习记录"), ("评语", "（空）", "心得偏少")]
    )


def test_an_automatic_leaf_cannot_be_typed_in(year_set, personas):
    score = Score.objects.filter(indicator__method=Method.AUTOMATIC).first()
    with pytest.raises(services.AssessmentError, match="自动计算"):
        services.enter_manual_score(
            score, {"points": 1, "evidence_text": "x"}, actor=personas.staff, expected_version=score.version
        )


def test_a_withheld_duty_result_is_not_assessable_and_the_total_is_rescaled(year_set, personas, login):
    # docs/ballots.md: fewer voters than the minimum publish no result; the satisfaction leaf is
    # 不适用 (no points), and the total is scaled over the other 90 points — never 0 for a vote
    # the branch could not make count. Branch B, whose secretary reported nothing, keeps 0.
    from django.urls import reverse

    report = services.create_duty_report(
        personas.org.branch_a,
        personas.members.secretary_a,
        {"year": YEAR, "title": "述职", "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。"},
        actor=personas.secretary_a,
    )
    services.submit_duty_report(report, actor=personas.secretary_a)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.member_a)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.staff)
    services.close_duty_report(report, actor=personas.staff)
    score_all_manual(year_set, personas.inspector)
    services.recompute_year(year_set, actor=personas.staff, today=TODAY)
    duty = {
        s.assessment.unit_id: s
        for s in Score.objects.filter(indicator__metric="duty_satisfaction").select_related("assessment", "indicator")
    }
    withheld, unreported = duty[personas.org.branch_a.pk], duty[personas.org.branch_b.pk]
    assert withheld.points is None and withheld.not_assessable and "本项不适用" in withheld.explanation
    assert unreported.points == D("0.00") and not unreported.not_assessable
    for a in Assessment.objects.filter(indicator_set=year_set):
        scores = list(a.scores.select_related("indicator"))
        earned = sum((s.points for s in scores if s.points is not None), D(0))
        judged = sum((s.indicator.weight for s in scores if not s.not_assessable), D(0))
        assert a.total == (earned * 100 / judged).quantize(D("0.01"))
    # A manual score entered afterwards keeps the rescaling.
    manual = Score.objects.filter(assessment__unit=personas.org.branch_a, indicator__method=Method.MANUAL).first()
    services.enter_manual_score(
        manual,
        {"points": D(0), "evidence_text": "查阅台账", "comment": "缺材料"},
        actor=personas.inspector,
        expected_version=manual.version,
    )
    a = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a)
    scores = list(a.scores.select_related("indicator"))
    earned = sum((s.points for s in scores if s.points is not None), D(0))
    assert a.total == (earned * 100 / 90).quantize(D("0.01"))
    page = login(personas.staff).get(reverse("assessments:assessment.detail", args=[a.pk])).content.decode()
    assert "不适用" in page and "总分按其余指标折算为百分制" in page
    # Publishing needs no score for it.
    services.publish_year(year_set, actor=personas.staff, today=TODAY)


def test_publishing_needs_every_manual_score(year_set, personas):
    with pytest.raises(services.AssessmentError, match="还有人工评分指标未评分：第一党支部"):
        services.publish_year(year_set, actor=personas.staff, today=TODAY)
    assert year_set.status == SetStatus.DRAFT


def test_a_published_year_is_frozen(year_set, personas):
    score_all_manual(year_set, personas.inspector)
    services.publish_year(year_set, actor=personas.staff, today=TODAY)
    year_set.refresh_from_db()
    assert year_set.is_published and year_set.published_by == personas.staff
    assert AuditEntry.objects.filter(action="assessments.indicatorset.published").count() == 1
    leaf = Indicator.objects.filter(indicator_set=year_set, method=Method.MANUAL).first()
    frozen = "2025年度考核已发布"
    with pytest.raises(services.AssessmentError, match=frozen):
        services.save_indicator(
            year_set, {"name": "x"}, actor=personas.staff, indicator=leaf, expected_version=leaf.version
        )
    with pytest.raises(services.AssessmentError, match=frozen):
        services.archive_indicator(leaf, actor=personas.staff)
    with pytest.raises(services.AssessmentError, match=frozen):
        services.save_bands(
            year_set,
            {"good_min": 95, "fairly_good_min": 80, "average_min": 60},
            actor=personas.staff,
            expected_version=1,
        )
    score = Score.objects.get(assessment__unit=personas.org.branch_a, indicator=leaf)
    with pytest.raises(services.AssessmentError, match=frozen):
        services.enter_manual_score(
            score,
            {"points": 1, "evidence_text": "x", "comment": "y"},
            actor=personas.staff,
            expected_version=score.version,
        )
    # A record changed after publication changes nothing.
    total = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a).total
    f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 6, 12), kinds=["committee_meeting"])
    with pytest.raises(services.AssessmentError, match=frozen):
        services.recompute_year(year_set, actor=personas.staff, today=TODAY)
    assert Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a).total == total


def test_bands_regrade_the_results(year_set, personas):
    a = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a)
    assert a.grade == "poor"
    services.save_bands(
        year_set,
        {"good_min": a.total, "fairly_good_min": 1, "average_min": 0},
        actor=personas.staff,
        expected_version=1,
    )
    a.refresh_from_db()
    assert a.grade == "good"
    with pytest.raises(services.AssessmentError) as exc:
        services.save_bands(
            year_set,
            {"good_min": 50, "fairly_good_min": 60, "average_min": 10},
            actor=personas.staff,
            expected_version=2,
        )
    assert "fairly_good_min" in exc.value.errors


# ---------------------------------------------------------------------------------------------
# 述职评议


def _report(personas, submit=True):
    report = services.create_duty_report(
        personas.org.branch_a,
        personas.members.secretary_a,
        {"year": YEAR, "title": "第一党支部书记述职", "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。"},
        actor=personas.secretary_a,
    )
    if submit:
        services.submit_duty_report(report, actor=personas.secretary_a)
    return report


def test_the_ballot_keeps_who_voted_and_never_how(personas):
    # Rewritten: the tally used to be readable while the report was open; now only once closed.
    assert "choice" not in {f.name for f in Elector._meta.get_fields()}
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "round", "item", "choice"}
    report = _report(personas)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.staff)
    services.cast_duty_vote(report, Choice.BASICALLY, actor=personas.member_a)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.inspector)
    assert services.tally(report) is None
    voted = Elector.objects.filter(round=report.ballot, voted=True)
    assert set(voted.values_list("user__username", flat=True)) == {"staff", "member_a", "inspector"}
    services.close_duty_report(report, actor=personas.staff)
    assert services.tally(report) == {"satisfied": 2, "basically": 1, "unsatisfied": 0}
    entries = AuditEntry.objects.filter(action="ballots.vote.cast")
    assert entries.count() == 3
    assert not any("basically" in str(e.data) or "satisfied" in str(e.data) or e.ip for e in entries)


def test_the_electorate_is_the_branch_and_the_committee_fixed_at_submission(personas):
    report = _report(personas)
    names = set(Elector.objects.filter(round=report.ballot).values_list("user__username", flat=True))
    assert {"staff", "inspector", "member_a"} <= names
    assert "secretary_a" not in names and "secretary_b" not in names
    with pytest.raises(services.AssessmentError, match="不在本次投票的投票人名单中"):
        services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.secretary_b)


def test_it_refuses_a_second_vote_and_a_vote_on_a_closed_report(personas):
    report = _report(personas)
    services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.member_a)
    with pytest.raises(services.AssessmentError, match="只能投一次"):
        services.cast_duty_vote(report, Choice.UNSATISFIED, actor=personas.member_a)
    assert list(Ballot.objects.filter(round=report.ballot).values_list("choice", flat=True)) == ["satisfied"]
    with pytest.raises(services.AssessmentError) as exc:
        services.cast_duty_vote(report, "great", actor=personas.staff)
    assert exc.value.errors["choice"].startswith("评议意见：")
    services.close_duty_report(report, actor=personas.staff)
    with pytest.raises(services.AssessmentError, match="不在评议中"):
        services.cast_duty_vote(report, Choice.SATISFIED, actor=personas.staff)


def test_a_duty_report_is_edited_only_as_a_draft(personas):
    report = _report(personas, submit=False)
    with pytest.raises(services.AssessmentError) as exc:
        services.update_duty_report(report, {"title": "", "text": "短"}, actor=personas.secretary_a, expected_version=1)
    assert exc.value.errors["title"].startswith("标题：") and exc.value.errors["text"].startswith("述职内容：")
    services.submit_duty_report(report, actor=personas.secretary_a)
    with pytest.raises(services.AssessmentError, match="已提交"):
        services.update_duty_report(
            report, {"title": "新", "text": "x" * 30}, actor=personas.secretary_a, expected_version=1
        )
    assert AuditEntry.objects.filter(action="assessments.dutyreport.submitted").count() == 1


def test_attachments_are_judged_by_content_and_stored_under_a_generated_name(personas):
    report = _report(personas, submit=False)
    with pytest.raises(services.AssessmentError) as exc:
        services.add_duty_attachment(
            report, SimpleUploadedFile("假图片.png", "这是文本".encode()), actor=personas.secretary_a
        )
    assert exc.value.errors["file"].startswith("附件：文件内容是文本")
    a = services.add_duty_attachment(
        report, SimpleUploadedFile("述职.txt", "述职附件".encode()), actor=personas.secretary_a
    )
    assert a.original_name == "述职.txt" and "述职" not in a.file.name and a.file.name.endswith(".txt")
    assert AuditEntry.objects.filter(action="assessments.attachment.added").count() == 1


def test_a_branch_dissolved_on_new_years_day_is_not_assessed_for_that_year(year_set, personas):
    gone = f.UnitFactory(parent=personas.org.committee, founded_on=datetime.date(2020, 1, 1))
    gone.dissolved_on = datetime.date(year_set.year, 1, 1)
    gone.save()
    late = f.UnitFactory(parent=personas.org.committee, founded_on=datetime.date(2020, 1, 1))
    late.dissolved_on = datetime.date(year_set.year, 1, 2)
    late.save()
    assessed = set(services.branches_of_year(year_set.year))
    assert late in assessed and gone not in assessed
