"""The 五带头 scorecards, gathered from the records with a fixed number of queries.

A scorecard belongs to a committee member (a seat in a term current during the year: approved,
elected on or before 31 December and not ended before 1 January) for a year. The evidence comes
from confirmed study records, reading reflections, meetings they lectured, attendance in their
branch's meetings, volunteer-service activities and open 纪律 rectification items concerning
them; ``recognition.rules`` judges each duty.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import ReadingReflection
from committees.models import TermMember, TermStatus
from meetings.models import Attendance, AttendanceStatus, Meeting
from recognition import rules
from recognition.models import Duty, FiveLeadsNote
from rectification.models import Category, Rectification, Status
from study.models import RecordStatus, StudyRecord


@dataclass
class Scorecard:
    member: object
    unit: object
    role_label: str
    year: int
    judgements: list[rules.Judgement] = field(default_factory=list)

    @property
    def met_count(self) -> int:
        return sum(1 for j in self.judgements if j.met)

    def by_duty(self) -> dict[str, rules.Judgement]:
        return {j.duty: j for j in self.judgements}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def seats_in_year(year: int, units=None, member=None):
    """Seats of terms current during ``year`` (one row per member and branch, latest term first)."""
    start, end = year_bounds(year)
    qs = (
        TermMember.objects.filter(
            term__status__in=[TermStatus.CURRENT, TermStatus.ENDED],
            term__archived_at__isnull=True,
            term__elected_on__lte=end,
        )
        .filter(Q(term__ended_on__isnull=True) | Q(term__ended_on__gte=start))
        .select_related("member", "term__unit")
        .order_by("term__unit__path", "sort_order", "-term__number", "id")
    )
    if units is not None:
        qs = qs.filter(term__unit__in=units)
    if member is not None:
        qs = qs.filter(member=member)
    seen, seats = set(), []
    for seat in qs:
        key = (seat.member_id, seat.term.unit_id)
        if key not in seen:
            seen.add(key)
            seats.append(seat)
    return seats


def branch_of_seat(member, year: int):
    """The branch where ``member`` held a seat during ``year`` (for the audit entry's unit)."""
    seats = seats_in_year(year, member=member)
    return seats[0].term.unit if seats else None


def scorecards(seats, year: int) -> list[Scorecard]:
    """The scorecards of ``seats`` for ``year`` (a fixed number of queries, whatever the count)."""
    if not seats:
        return []
    start, end = year_bounds(year)
    member_ids = {s.member_id for s in seats}
    unit_ids = {s.term.unit_id for s in seats}

    records = defaultdict(list)
    for r in StudyRecord.objects.filter(
        member_id__in=member_ids, status=RecordStatus.CONFIRMED, archived_at__isnull=True, date__range=(start, end)
    ).order_by("date", "id"):
        records[r.member_id].append(
            rules.Evidence(r.date, _("学习记录：%(title)s（%(hours)s 学时）") % {"title": r.title, "hours": r.hours})
        )

    reflections = defaultdict(list)
    for r in ReadingReflection.objects.filter(member_id__in=member_ids, submitted_at__year=year).order_by(
        "submitted_at", "id"
    ):
        reflections[r.member_id].append(
            rules.Evidence(r.submitted_at.date(), _("读书心得：%(title)s") % {"title": r.title})
        )

    lectures = defaultdict(list)
    for m in (
        Meeting.objects.active().held_between(start, end).filter(lecturer_id__in=member_ids).order_by("date", "id")
    ):
        lectures[m.lecturer_id].append(
            rules.Evidence(
                m.date, _("讲课：%(topic)s") % {"topic": m.topic}, reverse("meetings:meeting.detail", args=[m.pk])
            )
        )

    # Branch meetings of the year and the members' attendance at them.
    branch_meetings = defaultdict(dict)
    for m in (
        Meeting.objects.active()
        .held_between(start, end)
        .filter(unit_id__in=unit_ids)
        .only("id", "unit_id", "date", "topic")
    ):
        branch_meetings[m.unit_id][m.pk] = m
    present = defaultdict(set)
    absent = defaultdict(list)
    for a in Attendance.objects.filter(
        member_id__in=member_ids,
        meeting__unit_id__in=unit_ids,
        meeting__date__range=(start, end),
        meeting__archived_at__isnull=True,
    ).values("member_id", "meeting_id", "status", "absence_reason"):
        if a["status"] == AttendanceStatus.PRESENT:
            present[a["member_id"]].add(a["meeting_id"])
        else:
            absent[a["member_id"]].append(a["meeting_id"])

    # Volunteer-service activities they were present at (any unit).
    volunteer = defaultdict(list)
    candidates = (
        Meeting.objects.active()
        .held_between(start, end)
        .filter(
            Q(kinds__code=rules.VOLUNTEER_KIND_CODE) | Q(kinds__code="theme_day", topic__contains=rules.VOLUNTEER_WORD)
        )
        .filter(attendance__member_id__in=member_ids, attendance__status=AttendanceStatus.PRESENT)
        .values_list("pk", "date", "topic", "attendance__member_id")
        .distinct()
        .order_by("date", "pk")
    )
    for pk, date, topic, member_id in candidates:
        volunteer[member_id].append(
            rules.Evidence(
                date, _("志愿服务：%(topic)s") % {"topic": topic}, reverse("meetings:meeting.detail", args=[pk])
            )
        )

    open_items = defaultdict(list)
    for item in Rectification.objects.filter(
        member_id__in=member_ids, category=Category.DISCIPLINE, archived_at__isnull=True
    ).exclude(status=Status.VERIFIED):
        open_items[item.member_id].append(
            rules.Evidence(item.deadline, str(item), reverse("rectification:item.detail", args=[item.pk]))
        )

    notes = defaultdict(list)
    for n in FiveLeadsNote.objects.filter(member_id__in=member_ids, year=year, archived_at__isnull=True).order_by(
        "created_at", "id"
    ):
        notes[(n.member_id, n.duty)].append(rules.NoteFact(n.text, n.needs_attention))

    cards = []
    for seat in seats:
        mid, uid = seat.member_id, seat.term.unit_id
        held = branch_meetings.get(uid, {})
        attended = len(present[mid] & set(held))
        missed = [
            rules.Evidence(
                held[pk].date,
                _("缺席：%(topic)s") % {"topic": held[pk].topic},
                reverse("meetings:meeting.detail", args=[pk]),
            )
            for pk in absent[mid]
            if pk in held
        ]
        missed.sort(key=lambda e: e.date)
        cards.append(
            Scorecard(
                member=seat.member,
                unit=seat.term.unit,
                role_label=seat.get_role_display(),
                year=year,
                judgements=[
                    rules.judge_study(records[mid], reflections[mid], notes[(mid, Duty.STUDY)]),
                    rules.judge_lecture(lectures[mid], notes[(mid, Duty.LECTURE)]),
                    rules.judge_attend(attended, len(held), missed, notes[(mid, Duty.ATTEND)]),
                    rules.judge_serve(volunteer[mid], notes[(mid, Duty.SERVE)]),
                    rules.judge_discipline(open_items[mid], notes[(mid, Duty.DISCIPLINE)]),
                ],
            )
        )
    return cards
