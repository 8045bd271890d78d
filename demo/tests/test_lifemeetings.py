"""The demo package on the demo organisation (built by ``seed_demo`` with its meetings)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.models import AuditEntry
from demo.steps import lifemeetings as demo
from lifemeetings import services
from lifemeetings.models import CriticismEntry, HeartTalk, MaterialStatus, PersonalProblem, ReviewMaterial


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-apps", stdout=io.StringIO())
    return demo.seed(timezone.localdate())


def test_the_demo_gives_one_branch_a_full_package_with_gaps(seeded):
    assert seeded.startswith("组织生活会：机关第一党支部")
    talk = HeartTalk.objects.select_related("unit").first()
    unit, year = talk.unit, talk.year
    coverage = services.talk_coverage(unit, year).coverage
    assert 70 <= coverage.percent < 100 and coverage.missing
    committee = services.talk_coverage(unit, year).committee
    assert ReviewMaterial.objects.filter(unit=unit, year=year, status=MaterialStatus.SUBMITTED).count() == len(
        committee
    )
    meeting = PersonalProblem.objects.first().meeting
    assert meeting.unit == unit and meeting.kinds.filter(code="life_meeting").exists()
    assert CriticismEntry.objects.filter(meeting=meeting, kind="self").count() == len(committee)
    assert CriticismEntry.objects.filter(meeting=meeting, kind="received").exists()
    problems = PersonalProblem.objects.filter(meeting=meeting)
    assert problems.count() == 4 and not problems.filter(root_cause="").exists()
    assert problems.filter(rectification_id__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="lifemeetings.talk.created").count() == HeartTalk.objects.count()
    assert "转整改事项 2 项" in seeded


def test_running_the_demo_twice_adds_nothing(seeded):
    from rectification.models import Rectification

    before = (
        HeartTalk.objects.count(),
        ReviewMaterial.objects.count(),
        CriticismEntry.objects.count(),
        Rectification.objects.count(),
    )
    again = demo.seed(timezone.localdate())
    after = (
        HeartTalk.objects.count(),
        ReviewMaterial.objects.count(),
        CriticismEntry.objects.count(),
        Rectification.objects.count(),
    )
    assert before == after
    assert "新增谈心谈话 0 次" in again and "转整改事项 0 项" in again


def test_the_demo_says_so_without_the_demo_organisation(db):
    assert demo.seed(timezone.localdate()) == "组织生活会：演示组织尚未载入，未添加。"
