"""Read models of the package pages: the overview checklist per branch and year, and the
meeting's criticism and problems page. Each is a fixed number of queries, whatever the size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifemeetings import rules, services
from lifemeetings.models import CriticismEntry, CriticismKind, MaterialStatus, PersonalProblem, ReviewMaterial
from meetings.models import Meeting, MeetingProblem
from organizations.models import Unit
from rectification.models import Rectification

# Rectification statuses shown as badges (rectification.models.Status codes).
ITEM_BADGES = {"open": "badge-warn", "in_progress": "badge-info", "submitted": "badge-info", "verified": "badge-ok"}


@dataclass
class Item:
    """A rectification item as this app shows it (id, status label and badge, link)."""

    pk: int
    status: str = ""
    status_label: str = ""
    url: str = ""
    overdue: bool = False

    @property
    def badge(self) -> str:
        return ITEM_BADGES.get(self.status, "badge-muted")


def item_url(pk: int) -> str:
    """The item's page in the rectification ledger ("" while that app's URLs are not installed)."""
    try:
        return reverse("rectification:item.detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def items_by_id(ids) -> dict[int, Item]:
    """The rectification items with these ids (one query)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    found = {pk: Item(pk=pk, status_label=_("已转整改"), url=item_url(pk)) for pk in ids}
    today = timezone.localdate()
    for row in Rectification.objects.filter(pk__in=ids):
        found[row.pk] = Item(
            pk=row.pk,
            status=row.status,
            status_label=row.get_status_display(),
            url=item_url(row.pk),
            overdue=bool(getattr(row, "deadline", None) and row.deadline < today and row.status != "verified"),
        )
    return found


def _attach_items(problems: list[PersonalProblem]) -> dict[int, Item]:
    """Set ``problem.item`` (an ``Item`` or None) on each problem; return the items by id."""
    items = items_by_id(p.rectification_id for p in problems)
    for p in problems:
        p.item = items.get(p.rectification_id)
    return items


@dataclass
class Overview:
    coverage: rules.Coverage
    committee_size: int
    materials_submitted: int
    materials_draft: int
    meetings: list[Meeting]
    criticism_count: int
    self_count: int
    received_count: int
    problems: list[PersonalProblem]
    items: dict[int, Item] = field(default_factory=dict)
    meeting_problems: list[MeetingProblem] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.meetings)

    @property
    def raised(self) -> list[PersonalProblem]:
        return [p for p in self.problems if p.is_raised]

    @property
    def materials_done(self) -> bool:
        return self.committee_size > 0 and self.materials_submitted >= self.committee_size

    @property
    def items_closed(self) -> int:
        return sum(1 for i in self.items.values() if i.status == "verified")


def package_overview(unit: Unit, year: int) -> Overview:
    view = services.talk_coverage(unit, year)
    seated = {m.pk for m in view.committee}
    statuses = Counter(
        ReviewMaterial.objects.active()
        .filter(unit=unit, year=year, member_id__in=seated)
        .values_list("status", flat=True)
    )
    meetings = list(services.life_meetings(unit, year))
    ids = [m.pk for m in meetings]
    kinds = Counter(CriticismEntry.objects.active().filter(meeting_id__in=ids).values_list("kind", flat=True))
    problems = list(
        PersonalProblem.objects.active()
        .filter(meeting_id__in=ids)
        .select_related("member")
        .order_by("member__name", "category", "id")
    )
    return Overview(
        coverage=view.coverage,
        committee_size=len(seated),
        materials_submitted=statuses.get(MaterialStatus.SUBMITTED, 0),
        materials_draft=statuses.get(MaterialStatus.DRAFT, 0),
        meetings=meetings,
        criticism_count=sum(kinds.values()),
        self_count=kinds.get(CriticismKind.SELF, 0),
        received_count=kinds.get(CriticismKind.RECEIVED, 0),
        problems=problems,
        items=_attach_items(problems),
        meeting_problems=list(
            MeetingProblem.objects.filter(meeting_id__in=ids).order_by("meeting", "sort_order", "id")
        ),
    )


def meeting_page(meeting: Meeting) -> dict:
    """The criticism entries grouped by person, the committed problems and the problems found."""
    entries = list(
        CriticismEntry.objects.active()
        .filter(meeting=meeting)
        .select_related("subject", "by_member")
        .order_by("subject__name", "subject_id", "kind", "id")
    )
    people: dict[int, dict] = {}
    for e in entries:
        person = people.setdefault(e.subject_id, {"member": e.subject, "self": [], "received": []})
        person[e.kind].append(e)
    problems = list(
        PersonalProblem.objects.active()
        .filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name", "category", "id")
    )
    return {
        "people": list(people.values()),
        "entry_count": len(entries),
        "meeting_problems": list(MeetingProblem.objects.filter(meeting=meeting).order_by("sort_order", "id")),
        "problems": problems,
        "items": _attach_items(problems),
    }
