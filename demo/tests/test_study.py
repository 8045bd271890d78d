import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.steps import organisation as demo
from demo.steps import study as study_demo
from meetings.models import Meeting
from organizations.models import Unit, UnitKind
from study import services
from study.models import RecordStatus, StudyDayRule, StudyRecord, StudyYear


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-apps", stdout=io.StringIO())
    return Unit.objects.get(name=demo.COMMITTEE_NAME)


def counts():
    return (
        StudyYear.objects.count(),
        StudyDayRule.objects.count(),
        StudyRecord.objects.count(),
        Meeting.objects.filter(import_key__startswith="study-demo").count(),
    )


def test_the_demo_seeds_study_once_and_some_members_meet_their_target(seeded):
    today = timezone.localdate()
    summary = study_demo.seed(today)
    assert summary.startswith("学习教育：")
    first = counts()
    assert first[:2] == (2, 5) and first[2] >= 30 and first[3] >= 2
    statuses = set(StudyRecord.objects.values_list("status", flat=True))
    assert statuses == {RecordStatus.CONFIRMED, RecordStatus.SUBMITTED, RecordStatus.RETURNED}
    assert StudyRecord.objects.filter(status=RecordStatus.RETURNED).count() == 1

    study_demo.seed(today)
    assert counts() == first, "running the seed twice adds nothing"

    branches = list(Unit.objects.filter(kind=UnitKind.BRANCH, parent=seeded).order_by("path"))
    _settings, ledgers = services.load_ledgers(branches, today.year)
    rows = [r for ledger in ledgers for r in ledger.rows]
    assert any(r.met for r in rows) and any(not r.met for r in rows)
    assert any(r.is_leader for r in rows)
    visits = sum(
        c.warning for year in (today.year - 1, today.year) for c in services.integrity_counts(branches, year).values()
    )
    assert visits == 3


def test_the_seed_says_so_when_the_demo_organisation_is_missing(db):
    assert "尚未载入" in study_demo.seed(timezone.localdate())
