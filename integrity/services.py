"""Loading the facts the integrity signals need, set-based: a fixed number of queries however
many branches, records or members there are (records, attendance, branch and group memberships,
edits from the audit log). The signals themselves are pure (``integrity.signals``).

Near-duplicate minutes are compared over a corpus of every record of the committee dated within
``LOOKBACK_DAYS`` of the period (so last year's record of the same branch and other branches'
records take part), with ``ZHIBU["SIMILARITY_THRESHOLD"]`` (default 0.8). Minutes shorter than
``MIN_MINUTES_CHARS`` letters and digits are not compared: one-line minutes ("某某主持。") are
alike by nature and prove nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from common.models import AuditEntry
from common.similarity import near_duplicate_pairs, normalize, similarity_threshold
from integrity import signals as sig
from meetings.models import Attendance, AttendanceStatus, Meeting
from members.models import BranchMembership, GroupMembership
from organizations.models import PATH_STEP, Unit, UnitKind

LOOKBACK_DAYS = 400
MIN_MINUTES_CHARS = 40
EDIT_ACTION = "meetings.meeting.changed"


def late_entry_days() -> int:
    return int(settings.ZHIBU["LATE_ENTRY_DAYS"])


@dataclass
class Findings:
    signals: list[sig.Signal]
    meetings: dict[int, sig.MeetingFact]  # the judged records and the records they name
    judged_ids: set[int]
    branch_paths: dict[int, str]  # branch id -> materialized path, for every record loaded

    def for_meeting(self, meeting_id: int) -> list[sig.Signal]:
        return [s for s in self.signals if s.meeting_id == meeting_id]


def _paths_q(units: Iterable[Unit], prefix: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{prefix}path__startswith": unit.path})
    return q


def _fact(row: dict, present: dict[int, set[int]]) -> sig.MeetingFact:
    is_group = row["unit__kind"] == UnitKind.PARTY_GROUP
    entered = row["entered_at"]
    return sig.MeetingFact(
        id=row["id"],
        unit_id=row["unit_id"],
        unit_name=row["unit__name"],
        branch_id=row["unit__parent_id"] if is_group else row["unit_id"],
        branch_name=row["unit__parent__name"] if is_group else row["unit__name"],
        date=row["date"],
        topic=row["topic"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        entered_on=timezone.localdate(entered) if entered else None,
        late_entry=row["late_entry"],
        present_ids=frozenset(present.get(row["id"], ())),
        unit_founded_on=row["unit__founded_on"],
        unit_dissolved_on=row["unit__dissolved_on"],
    )


FACT_FIELDS = (
    "id",
    "unit_id",
    "unit__name",
    "unit__kind",
    "unit__path",
    "unit__parent_id",
    "unit__parent__name",
    "unit__founded_on",
    "unit__dissolved_on",
    "date",
    "topic",
    "start_time",
    "end_time",
    "entered_at",
    "late_entry",
)


def find_signals(units: Iterable[Unit], *, start: datetime.date, end: datetime.date) -> Findings:
    """Signals of every live record of ``units`` and the units below them dated in [start, end].

    Six queries whatever the size: the corpus of records (with minutes), present attendance on
    the period's dates, branch and group memberships, the edits from the audit log (and the
    content type, cached after the first call).
    """
    units = list(units)
    paths = [u.path for u in units]
    lookback = datetime.timedelta(days=LOOKBACK_DAYS)
    corpus = list(
        Meeting.objects.active()
        .filter(date__gte=start - lookback, date__lte=end + lookback)
        .order_by("date", "entered_at", "id")
        .values(*FACT_FIELDS, "minutes")
    )
    judged_rows = [r for r in corpus if start <= r["date"] <= end and any(r["unit__path"].startswith(p) for p in paths)]
    judged_ids = {r["id"] for r in judged_rows}

    # Present attendance of every record on the period's dates: a conflict may lie in another unit.
    present: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    rows = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT,
        meeting__archived_at__isnull=True,
        meeting__date__gte=start,
        meeting__date__lte=end,
    ).values_list("meeting_id", "member_id", "member__name")
    for meeting_id, member_id, name in rows:
        present[meeting_id].add(member_id)
        names[member_id] = name

    facts = {r["id"]: _fact(r, present) for r in corpus}

    memberships: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    unit_ids = {r["unit_id"] for r in judged_rows}
    for model in (BranchMembership, GroupMembership):
        for unit_id, start_on, end_on in model.objects.filter(
            Q(end_on__isnull=True) | Q(end_on__gt=start), unit__in=unit_ids, start_on__lte=end
        ).values_list("unit_id", "start_on", "end_on"):
            memberships[unit_id].append((start_on, end_on))
    for unit_id in unit_ids:
        memberships.setdefault(unit_id, [])

    content_type = ContentType.objects.get_for_model(Meeting)
    edits = [
        sig.Edit(int(object_id), timezone.localdate(created_at), str(reason or ""))
        for object_id, created_at, reason in AuditEntry.objects.filter(
            _paths_q(units, "unit__"),
            action=EDIT_ACTION,
            content_type=content_type,
            created_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=timezone.get_current_timezone()),
        ).values_list("object_id", "created_at", "data__reason")
        if object_id.isdigit() and int(object_id) in judged_ids
    ]

    items = (
        (r["id"], facts[r["id"]].branch_id, r["minutes"])
        for r in corpus
        if len(normalize(r["minutes"])) >= MIN_MINUTES_CHARS
    )
    pairs = [
        p
        for p in near_duplicate_pairs(items, threshold=similarity_threshold())
        if p[0] in judged_ids or p[1] in judged_ids
    ]

    inputs = sig.SignalInputs(
        meetings=[facts[i] for i in (r["id"] for r in judged_rows)],
        names=names,
        edits=edits,
        memberships=memberships,
        pairs=pairs,
        late_days=late_entry_days(),
        context=facts,
    )
    found = sig.collect(inputs)
    related = {s.related_id for s in found if s.related_id is not None}
    shown = {i: facts[i] for i in judged_ids | related}
    branch_paths = {}
    for r in corpus:
        path = r["unit__path"]
        if r["unit__kind"] == UnitKind.PARTY_GROUP:
            path = path[:-PATH_STEP]
        branch_paths[facts[r["id"]].branch_id] = path
    return Findings(found, shown, judged_ids, branch_paths)


def unit_risks(units: Iterable[Unit], *, start: datetime.date, end: datetime.date):
    """``{unit id: (BranchRisk, [signals])}`` for each unit (its records and those below it)."""
    units = list(units)
    findings = find_signals(units, start=start, end=end)
    by_unit: dict[int, list[sig.Signal]] = {u.pk: [] for u in units}
    by_branch: dict[int, list[sig.Signal]] = defaultdict(list)
    for s in findings.signals:
        by_branch[s.branch_id].append(s)
    # A unit's records are those whose branch is the unit or lies below it (units are branches in
    # practice; a committee collects every branch below it).
    for unit in units:
        for branch_id, path in findings.branch_paths.items():
            if path.startswith(unit.path):
                by_unit[unit.pk].extend(by_branch.get(branch_id, ()))
    return {u.pk: (sig.risk(by_unit[u.pk]), by_unit[u.pk]) for u in units}, findings


def branch_risk_scores(units, *, start: datetime.date, end: datetime.date) -> dict[int, tuple[float, list[str]]]:
    """Unit id → (risk score 0..100, Chinese reasons) over records dated in [start, end].

    Every record flagged adds the weight of its signal type (``integrity.signals.WEIGHTS``),
    capped at 100; the reasons name each type with its count and weight. Set-based: the same
    number of queries for five branches or five hundred.
    """
    risks, _findings = unit_risks(units, start=start, end=end)
    return {unit_id: (risk.score, risk.reasons) for unit_id, (risk, _signals) in risks.items()}
