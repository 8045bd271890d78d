"""The demo assessment (``assessments.demo.seed``) on the demo organisation with its records."""

import datetime
from decimal import Decimal as D

from assessments.models import Assessment, AssessmentScoreChange, DutyReport, IndicatorSet, Method, Score
from assessments.services import tally
from ballots.models import Elector
from demo.steps import assessments as demo


def test_it_says_so_when_the_demo_organisation_is_missing(db):
    assert "尚未载入" in demo.seed(datetime.date(2026, 3, 1))
    assert not IndicatorSet.objects.exists()


def test_last_year_is_assessed_explained_and_published_and_seeding_twice_adds_nothing(demo_today):
    today = demo_today
    summary = demo.seed(today)
    assert "考核评价" in summary
    last = IndicatorSet.objects.get(year=today.year - 1)
    assert last.is_published
    assert not IndicatorSet.objects.get(year=today.year).is_published
    assessments = Assessment.objects.filter(indicator_set=last)
    assert assessments.count() == 5
    assert len({a.grade for a in assessments}) >= 1 and all(a.grade for a in assessments)
    for score in Score.objects.filter(assessment__indicator_set=last).select_related("indicator"):
        assert (score.points is not None or score.not_assessable) and score.explanation
        if score.indicator.method == Method.MANUAL:
            assert score.evidence_text and (score.points == score.indicator.weight or score.comment)
        elif score.not_assessable or score.points < score.indicator.weight:
            assert score.evidence, score.explanation  # every lost automatic point names its records
    reports = DutyReport.objects.filter(year=today.year - 1)
    assert reports.count() == 5 and all(r.status == "closed" for r in reports)
    assert all(Elector.objects.filter(round=r.ballot, voted=True).count() >= 2 for r in reports)
    # Closed rounds with published results (at least the minimum of voters, docs/ballots.md):
    # every branch with a committee; 机关第五党支部 (two voters) is withheld and its
    # satisfaction leaf 不适用, the total rescaled — never 0 for a withheld result.
    published = {r.unit.name: c for r, c in ((r, tally(r)) for r in reports) if c is not None}
    assert set(published) == {"机关第一党支部", "机关第二党支部", "机关第三党支部", "机关第四党支部"}
    assert published["机关第二党支部"] == {"satisfied": 1, "basically": 1, "unsatisfied": 1}
    duty = {
        s.assessment.unit.name: s
        for s in Score.objects.filter(
            assessment__indicator_set=last, indicator__metric="duty_satisfaction"
        ).select_related("assessment__unit", "indicator")
    }
    assert duty["机关第五党支部"].not_assessable and "本项不适用" in duty["机关第五党支部"].explanation
    assert duty["机关第一党支部"].points == duty["机关第一党支部"].indicator.weight
    assert D(0) < duty["机关第二党支部"].points < duty["机关第二党支部"].indicator.weight
    voted = Elector.objects.filter(voted=True)
    before = (Score.objects.count(), AssessmentScoreChange.objects.count(), voted.count())
    assert "未重复添加" in demo.seed(today)
    assert before == (Score.objects.count(), AssessmentScoreChange.objects.count(), voted.count())
