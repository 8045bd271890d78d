"""The demo campaign on the demo organisation (with its twelve months of meetings)."""

import io

from django.core.management import call_command
from django.utils import timezone

from campaigns import rules
from campaigns.models import Campaign, Material, ReadingReflection, TaskCompletion
from campaigns.progress import campaign_progress
from compliance.services import compliance_table
from demo.steps import campaigns as demo
from meetings.models import BuiltinKind


def counts():
    return (
        Campaign.objects.count(),
        ReadingReflection.objects.count(),
        Material.objects.count(),
        TaskCompletion.objects.count(),
    )


def test_the_demo_campaign_shows_progress_flags_a_copy_and_counts_the_exchange(db):
    today = timezone.localdate()
    call_command("seed_demo", "--no-apps", stdout=io.StringIO())
    summary = demo.seed(today)
    assert "学党章、强基础、作表率" in summary
    campaign = Campaign.objects.get(name=demo.CAMPAIGN_NAME)
    assert [s.name for s in campaign.stages.all()] == ["学党章", "强基础", "作表率"]
    assert {b.title for b in campaign.stages.first().books.all()} == {"中国共产党章程"}

    # Progress differs by branch.
    data = campaign_progress(campaign)
    shown = data.branch_tasks()
    grid = rules.branch_grid([data.facts_by_id[t.pk] for t in shown], [b.pk for b in data.branches], data.facts, today)
    assert len(grid) == 5
    assert len({(row.done, row.overdue) for row in grid}) > 1

    # About fifteen reflections; exactly the near-copy is flagged, beside its source in another branch.
    reflections = list(ReadingReflection.objects.select_related("similar_to"))
    assert 12 <= len(reflections) <= 18
    flagged = [r for r in reflections if r.is_flagged]
    assert len(flagged) == 1
    assert flagged[0].unit_id != flagged[0].similar_to.unit_id

    # One reflection linked to a reading exchange of this quarter; compliance shows it met.
    linked = [r for r in reflections if r.meetings.exists()]
    assert linked
    meeting = linked[0].meetings.get()
    assert meeting.kinds.filter(code=BuiltinKind.READING_EXCHANGE).exists()
    start, _end = rules.quarter_of(today)
    assert start <= meeting.date <= today
    cells = compliance_table(today.year, as_of=today)
    cell = next(
        c
        for c in cells
        if c.unit_id == meeting.unit_id and c.rule_code == "reading_exchange" and c.period_start == start
    )
    assert cell.status == "met"

    # Materials with their text extracted (.txt and .docx).
    assert Material.objects.count() == 4
    assert "民主集中制" in Material.objects.get(title="中国共产党章程学习摘编").text
    assert "节日腐败" in Material.objects.get(title="典型案例：违规收受礼金被查处").text

    # Running twice adds nothing.
    before = counts()
    assert "未重复添加" in demo.seed(today)
    assert counts() == before


def test_it_says_so_when_the_demo_organisation_is_missing(db):
    assert "尚未载入" in demo.seed(timezone.localdate())
    assert Campaign.objects.count() == 0
