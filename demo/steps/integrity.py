"""Demo records that let an inspector see every integrity signal on the demo organisation.

``seed(today)`` adds, through ``meetings.services.record_meeting`` (so every record passes the
same checks as a real one and carries its audit entry):

* a near-twin: a 固定学习日 of another branch whose minutes copy a recent branch record's minutes
  with small edits (names and a few words changed), a few days later;
* a back-filled record (entered 25 days after the meeting), unless the demo already has one
  entered 20 or more days late in the last twelve months;
* an impossible attendance: a 固定学习日 of a branch that overlaps a party-group meeting of the
  same day, with a member of that group recorded present at both — unless the demo already has
  one.

Records are recognised by their ``import_key`` ("integrity-demo:..."), so a second run adds
nothing. 固定学习日 carries no compliance rule, so the demo's compliance picture is unchanged.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from common.similarity import normalize
from demo.steps.organisation import demo_committee
from integrity import services
from integrity import signals as sig
from meetings import services as meeting_services
from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from members.models import Member
from organizations.models import Unit, UnitKind

KEY_TWIN = "integrity-demo:twin"
KEY_LATE = "integrity-demo:late"
KEY_OVERLAP = "integrity-demo:overlap"
WINDOW_DAYS = 364


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _actor(committee: Unit):
    grant = (
        RoleGrant.objects.active()
        .filter(unit=committee, role=Role.COMMITTEE_STAFF)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return grant.user if grant else None


def _roster_rows(unit: Unit, day: datetime.date):
    """Every member of the unit on day, present (the record needs host and recorder among them)."""
    members = list(Member.objects.in_unit_on(unit, day).order_by("name", "id"))
    return members, [(m, AttendanceStatus.PRESENT, "") for m in members]


def _edit_copy(text: str) -> str:
    """The kind of edits a copied record shows: a word changed, a phrase added, the rest as it was."""
    return text.replace("主持", "主持召开", 1).replace("。", "，会议气氛热烈。", 1)


def _record(unit, day, *, actor, kinds, topic, minutes, start, end, key, entered_at=None, members=None):
    roster, rows = _roster_rows(unit, day)
    if members is not None:
        rows = [(m, AttendanceStatus.PRESENT, "") for m in members]
        roster = members
    if not roster:
        return None
    data = {
        "date": day,
        "start_time": start,
        "end_time": end,
        "place": _("党员活动室"),
        "topic": topic,
        "theme_category": "party_building",
        "host": roster[0],
        "recorder": roster[-1],
        "minutes": minutes,
        "resolutions": "",
    }
    return meeting_services.record_meeting(
        unit,
        data,
        actor=actor,
        kinds=kinds,
        attendance=rows,
        entered_at=entered_at or _aware(day, 18),
        import_key=key,
    )


def _twin(committee, branches, study_day, actor, today) -> str:
    if Meeting.objects.filter(import_key=KEY_TWIN).exists():
        return ""
    since = today - datetime.timedelta(days=90)
    candidates = [
        m
        for m in Meeting.objects.active()
        .filter(unit__in=branches, date__gte=since, date__lte=today - datetime.timedelta(days=3))
        .select_related("unit")
        .order_by("-date", "-id")
        if len(normalize(m.minutes)) >= services.MIN_MINUTES_CHARS
    ]
    if not candidates:
        return ""
    original = max(candidates, key=lambda m: (len(m.minutes), m.date))
    others = [b for b in branches if b.pk != original.unit_id]
    day = min(original.date + datetime.timedelta(days=2), today)
    for branch in others:
        twin = _record(
            branch,
            day,
            actor=actor,
            kinds=[study_day],
            topic=original.topic,
            minutes=_edit_copy(original.minutes),
            start=datetime.time(9, 0),
            end=datetime.time(10, 30),
            key=KEY_TWIN,
        )
        if twin is not None:
            return _("%(unit)s的纪要照搬%(original)s") % {"unit": branch.name, "original": original.unit.name}
    return ""


def _late(branches, study_day, actor, today, existing: list[sig.Signal], facts) -> str:
    if Meeting.objects.filter(import_key=KEY_LATE).exists():
        return ""
    if any(
        s.kind == sig.BACKFILLED and (facts[s.meeting_id].entered_on - facts[s.meeting_id].date).days >= 20
        for s in existing
    ):
        return ""
    day = today - datetime.timedelta(days=40)
    record = _record(
        branches[-1],
        day,
        actor=actor,
        kinds=[study_day],
        topic=_("学习党章第三章"),
        minutes=_("集中学习党章第三章，党员结合本职工作谈了如何发挥先锋模范作用。"),
        start=datetime.time(15, 0),
        end=datetime.time(16, 30),
        key=KEY_LATE,
        entered_at=_aware(day + datetime.timedelta(days=25), 10),
    )
    return _("补录1条") if record else ""


def _overlap(branches, study_day, actor, today, existing: list[sig.Signal]) -> str:
    if Meeting.objects.filter(import_key=KEY_OVERLAP).exists():
        return ""
    if any(s.kind == sig.IMPOSSIBLE_ATTENDANCE for s in existing):
        return ""
    since = today - datetime.timedelta(days=60)
    group_meeting = (
        Meeting.objects.active()
        .filter(unit__parent__in=branches, unit__kind=UnitKind.PARTY_GROUP, date__gte=since, start_time__isnull=False)
        .select_related("unit", "unit__parent")
        .order_by("-date", "-id")
        .first()
    )
    if group_meeting is None:
        return ""
    present = [
        a.member
        for a in Attendance.objects.filter(meeting=group_meeting, status=AttendanceStatus.PRESENT)
        .select_related("member")
        .order_by("member__name")
    ]
    if not present:
        return ""
    start = group_meeting.start_time
    end = (datetime.datetime.combine(group_meeting.date, start) + datetime.timedelta(minutes=90)).time()
    record = _record(
        group_meeting.unit.parent,
        group_meeting.date,
        actor=actor,
        kinds=[study_day],
        topic=_("固定学习日：学习廉洁自律准则"),
        minutes=_("集中学习廉洁自律准则，观看警示教育片。"),
        start=start,
        end=end,
        key=KEY_OVERLAP,
        members=present[:1],
    )
    return _("出席时间冲突1处") if record else ""


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    study_day = MeetingKind.objects.filter(code="study_day").first()
    if committee is None or study_day is None:
        return _("记录可信度：未找到演示组织，未添加。")
    branches = list(Unit.objects.subtree(committee).active().filter(kind=UnitKind.BRANCH).order_by("path"))
    if len(branches) < 2:
        return _("记录可信度：演示组织的党支部不足两个，未添加。")
    actor = _actor(committee)
    start = today - datetime.timedelta(days=WINDOW_DAYS)
    findings = services.find_signals(branches, start=start, end=today)
    facts = findings.meetings
    done = [
        _twin(committee, branches, study_day, actor, today),
        _late(branches, study_day, actor, today, findings.signals, facts),
        _overlap(branches, study_day, actor, today, findings.signals),
    ]
    done = [d for d in done if d]
    if not done:
        return _("记录可信度：演示记录已齐全，未新增。")
    return _("记录可信度：已添加演示记录（%(what)s）。") % {"what": "；".join(done)}
