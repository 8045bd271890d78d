"""Loading the facts of campaign progress with a fixed number of queries, then judging them with
the pure ``campaigns.rules``.

``load_facts(campaign, branches)`` costs seven queries whatever the number of branches, members,
meetings, tasks or reflections: tasks (with their stages), the books per stage, the meetings of the
campaign's units within its dates (one row per meeting × kind), the members' attended meetings,
the uploaded documents, the reflections, and the branches' current members.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from campaigns import rules
from campaigns.models import Audience, Campaign, CampaignBook, ReadingReflection, Task, TaskCompletion
from meetings.models import Attendance, AttendanceStatus, Meeting
from members.models import BranchMembership
from organizations.models import Unit, UnitKind


@dataclass
class Progress:
    campaign: Campaign
    tasks: list[Task]
    facts_by_id: dict[int, rules.TaskFact]
    facts: rules.ProgressFacts
    branches: list[Unit]

    @property
    def task_facts(self) -> list[rules.TaskFact]:
        return [self.facts_by_id[t.pk] for t in self.tasks]

    def branch_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.audience != Audience.COMMITTEE]

    def committee_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.audience == Audience.COMMITTEE]


def campaign_branches(campaign: Campaign):
    """Active branches below the campaign's unit, in tree order."""
    return Unit.objects.active().filter(kind=UnitKind.BRANCH, path__startswith=campaign.unit.path).order_by("path")


def load_tasks(campaign: Campaign) -> tuple[list[Task], dict[int, rules.TaskFact]]:
    tasks = list(
        Task.objects.filter(stage__campaign=campaign)
        .select_related("stage", "meeting_kind", "book")
        .order_by("stage__order", "stage__start_on", "order", "due_on", "id")
    )
    books: dict[int, set[int]] = defaultdict(set)
    for pk, stage_id in CampaignBook.objects.filter(stage__campaign=campaign).values_list("pk", "stage_id"):
        books[stage_id].add(pk)
    facts = {
        t.pk: rules.TaskFact(
            id=t.pk,
            stage_id=t.stage_id,
            audience=t.audience,
            evidence=t.evidence,
            due_on=t.due_on,
            stage_start=t.stage.start_on,
            stage_end=t.stage.end_on,
            kind_code=t.meeting_kind.code if t.meeting_kind_id else "",
            book_ids=frozenset({t.book_id} if t.book_id else books.get(t.stage_id, set())),
        )
        for t in tasks
    }
    return tasks, facts


def load_facts(
    campaign: Campaign, branch_ids: list[int], *, member_ids: list[int] | None = None, with_committee: bool = True
) -> rules.ProgressFacts:
    """Facts for the campaign's branches ``branch_ids`` (and its own unit when ``with_committee``).

    ``member_ids`` narrows the member facts (a member's own page); by default the branches'
    current members are loaded.
    """
    start, end = campaign.start_on, campaign.end_on
    unit_ids = list(branch_ids) + ([campaign.unit_id] if with_committee else [])

    unit_meetings: dict[int, dict[int, tuple[datetime.date, set[str]]]] = defaultdict(dict)
    rows = (
        Meeting.objects.active()
        .filter(unit_id__in=unit_ids, date__gte=start, date__lte=end)
        .values_list("pk", "unit_id", "date", "kinds__code")
    )
    for pk, unit_id, day, code in rows:
        unit_meetings[unit_id].setdefault(pk, (day, set()))[1].add(code)

    if member_ids is None:
        memberships = BranchMembership.objects.filter(unit_id__in=branch_ids, end_on__isnull=True).values_list(
            "unit_id", "member_id"
        )
        branch_members: dict[int, list[int]] = defaultdict(list)
        for unit_id, member_id in memberships:
            branch_members[unit_id].append(member_id)
        member_filter = {
            "member__branch_memberships__unit_id__in": branch_ids,
            "member__branch_memberships__end_on__isnull": True,
        }
    else:
        branch_members = {}
        member_filter = {"member_id__in": member_ids}

    member_meetings: dict[int, dict[int, tuple[datetime.date, set[str]]]] = defaultdict(dict)
    attended = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT,
        meeting__archived_at__isnull=True,
        meeting__date__gte=start,
        meeting__date__lte=end,
        **member_filter,
    ).values_list("member_id", "meeting_id", "meeting__date", "meeting__kinds__code")
    for member_id, meeting_id, day, code in attended:
        member_meetings[member_id].setdefault(meeting_id, (day, set()))[1].add(code)

    documents = set(
        TaskCompletion.objects.filter(task__stage__campaign=campaign, unit_id__in=unit_ids).values_list(
            "task_id", "unit_id"
        )
    )
    reflections_qs = ReadingReflection.objects.filter(stage__campaign=campaign)
    reflections_qs = (
        reflections_qs.filter(member_id__in=member_ids)
        if member_ids is not None
        else reflections_qs.filter(unit_id__in=branch_ids)
    )
    reflections = set(reflections_qs.values_list("member_id", "stage_id", "book_id"))

    def freeze(found):
        return {k: [(day, frozenset(codes)) for day, codes in v.values()] for k, v in found.items()}

    return rules.ProgressFacts(
        unit_meetings=freeze(unit_meetings),
        member_meetings=freeze(member_meetings),
        documents=documents,
        reflections=reflections,
        branch_members=dict(branch_members),
    )


def campaign_progress(campaign: Campaign, branches=None) -> Progress:
    branches = list(campaign_branches(campaign) if branches is None else branches)
    tasks, task_facts = load_tasks(campaign)
    facts = load_facts(campaign, [b.pk for b in branches])
    return Progress(campaign, tasks, task_facts, facts, branches)
