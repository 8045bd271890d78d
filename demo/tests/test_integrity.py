"""integrity.demo on the real demo organisation: every signal is there for an inspector to see."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from demo.steps import integrity as demo
from integrity import services
from integrity import signals as sig
from meetings.models import Meeting
from organizations.models import Unit


def test_the_demo_shows_every_signal_and_seeding_twice_adds_nothing(db):
    call_command("seed_demo", "--no-apps", stdout=io.StringIO())
    today = timezone.localdate()
    summary = demo.seed(today)
    assert summary.startswith("记录可信度：已添加演示记录")
    count = Meeting.objects.count()
    assert demo.seed(today) == "记录可信度：演示记录已齐全，未新增。"
    assert Meeting.objects.count() == count

    branches = list(Unit.objects.filter(kind="branch").order_by("path"))
    findings = services.find_signals(branches, start=today - datetime.timedelta(days=364), end=today)
    kinds = {s.kind for s in findings.signals}
    assert {sig.NEAR_DUPLICATE, sig.BACKFILLED, sig.IMPOSSIBLE_ATTENDANCE} <= kinds

    twin = Meeting.objects.get(import_key=demo.KEY_TWIN)
    (pair,) = [s for s in findings.for_meeting(twin.pk) if s.related_id and s.kind == sig.NEAR_DUPLICATE][:1]
    original = Meeting.objects.get(pk=pair.related_id)
    assert original.unit_id != twin.unit_id and pair.score >= 0.8
    assert any(
        s.kind == sig.BACKFILLED
        and (findings.meetings[s.meeting_id].entered_on - findings.meetings[s.meeting_id].date).days >= 20
        for s in findings.signals
    )


def test_without_the_demo_organisation_it_adds_nothing(db):
    assert demo.seed(datetime.date(2025, 3, 10)) == "记录可信度：未找到演示组织，未添加。"
