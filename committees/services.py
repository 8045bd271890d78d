"""State changes of committee terms and duty lists. Views and importers go through here."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import rules
from committees.models import Approval, CommitteeRole, CommitteeTerm, RoleDuty, TermMember, TermStatus, TermStatusChange
from common.archiving import Archiving
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from common.errors import DomainError
from common.workflow import move_status
from members.models import Member
from organizations.models import Unit, UnitKind

TERM_FIELDS = ["elected_on", "term_years", "note"]
# The change of the elected people is shown on the 变更记录 tab under this label.
SEATS_KEY = "支委成员"


class CommitteeError(DomainError):
    """A refused change of a term or duty; ``messages`` lists every reason, in Chinese."""


# ---------------------------------------------------------------------------------------------
# Helpers


def _today() -> datetime.date:
    return timezone.localdate()


def _seats_text(pairs) -> str:
    """``张三（书记）、李四（组织委员）`` for the audit log."""
    return "、".join(f"{member}（{rules.role_label(role)}）" for member, role in pairs)


def _current_seats(term) -> list[tuple[Member, str]]:
    return [(s.member, s.role) for s in term.seats.select_related("member").order_by("sort_order", "id")]


def _move(term, to_status: str, *, actor, logged: str, reason: str = "", extra_fields=(), changes=None, data=None):
    """Move ``term`` along the status table, bump its version, write the history row and the audit
    entry ``committees.term.<logged>`` (the status change, with ``changes`` and ``data``)."""
    from_status = move_status(
        term,
        to_status,
        moves=rules.STATUS_MOVES,
        actor=actor,
        history=TermStatusChange,
        subject="term",
        error=CommitteeError,
        refused=_("状态：届次当前为“%(from)s”，不能变为“%(to)s”。"),
        fields=extra_fields,
        versioned=True,
        reason=reason,
    )
    log_action(
        f"committees.term.{logged}",
        actor=actor,
        obj=term,
        unit=term.unit,
        changes={"status": [TermStatus(from_status).label, TermStatus(to_status).label], **(changes or {})},
        data=data,
    )
    return from_status


def _validate_term_data(branch, data) -> dict:
    elected_on = data.get("elected_on")
    term_years = data.get("term_years") or branch.term_years
    errors = []
    if not elected_on:
        errors.append(_("选举日期：请填写选举日期。"))
    else:
        if elected_on > _today():
            errors.append(_("选举日期：不能晚于今天。"))
        if not branch.exists_on(elected_on):
            errors.append(
                _("选举日期：%(branch)s 在 %(date)s 尚未成立或已撤销。") % {"branch": branch, "date": elected_on}
            )
    if not 1 <= int(term_years) <= 5:
        errors.append(_("任期(年)：应为 1 至 5 年。"))
    if errors:
        raise CommitteeError(errors)
    return {"elected_on": elected_on, "term_years": int(term_years), "note": (data.get("note") or "").strip()}


def _validate_seats(branch, elected_on, seats) -> list[tuple[Member, str]]:
    """Each person once, with a known role, a member of the branch and a 正式党员 on the election day."""
    errors = []
    seats = [(m, r) for m, r in seats if m is not None]
    if not seats:
        raise CommitteeError(_("支委成员：请至少填写一名当选人员。"))
    seen = set()
    for member, role in seats:
        if role not in CommitteeRole.values:
            errors.append(_("职务：%(name)s 的职务无法识别。") % {"name": member})
        if member.pk in seen:
            errors.append(_("支委成员：%(name)s 重复填写，每人只能担任一个职务。") % {"name": member})
        seen.add(member.pk)
    if elected_on:
        belonged = set(
            Member.objects.active().in_unit_on(branch, elected_on).filter(pk__in=seen).values_list("pk", flat=True)
        )
        for member, _role in seats:
            if member.pk not in belonged:
                errors.append(
                    _("支委成员：%(name)s 在选举日期 %(date)s 不是 %(branch)s 的党员。")
                    % {"name": member, "date": elected_on, "branch": branch}
                )
            elif not rules.was_full_member_on(member.category, member.full_member_on, elected_on):
                errors.append(_("支委成员：%(name)s 在选举日期不是正式党员，预备党员没有被选举权。") % {"name": member})
    if errors:
        raise CommitteeError(list(dict.fromkeys(errors)))
    return seats


def _write_seats(term, seats):
    term.seats.all().delete()
    TermMember.objects.bulk_create(
        [TermMember(term=term, member=m, role=r, sort_order=i) for i, (m, r) in enumerate(seats, start=1)]
    )


def full_member_count_on(branch, day: datetime.date) -> int:
    """Number of 正式党员 in ``branch`` on ``day`` (those with a vote)."""
    rows = Member.objects.active().in_unit_on(branch, day).values_list("pk", "category", "full_member_on").distinct()
    return sum(1 for _pk, category, full_on in rows if rules.was_full_member_on(category, full_on, day))


def _open_term(branch, *, exclude=None):
    qs = CommitteeTerm.objects.active().filter(unit=branch, status__in=rules.OPEN_STATUSES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.first()


# ---------------------------------------------------------------------------------------------
# Terms


def create_term(branch: Unit, data: dict, seats, *, actor) -> CommitteeTerm:
    """Record an election result as a draft term (届): next number, seats = [(member, role), ...]."""
    if branch.kind != UnitKind.BRANCH:
        raise CommitteeError(_("党支部：只能为党支部登记支委会届次。"))
    if branch.is_archived:
        raise CommitteeError(_("党支部：%(branch)s 已归档，不能登记届次。") % {"branch": branch})
    clean = _validate_term_data(branch, data)
    seats = _validate_seats(branch, clean["elected_on"], seats)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=branch.pk).first()  # one new term per branch at a time
        pending = _open_term(branch)
        if pending is not None:
            raise CommitteeError(
                _("届次：%(term)s 尚未批复（%(status)s），请先处理或归档该届次。")
                % {"term": pending, "status": pending.get_status_display()}
            )
        last = CommitteeTerm.objects.filter(unit=branch).aggregate(n=Max("number"))["n"] or 0
        term = CommitteeTerm.objects.create(unit=branch, number=last + 1, status=TermStatus.DRAFT, **clean)
        _write_seats(term, seats)
        TermStatusChange.objects.create(term=term, from_status="", to_status=TermStatus.DRAFT, actor=actor)
        log_action(
            "committees.term.created",
            actor=actor,
            obj=term,
            unit=branch,
            changes={
                **{k: [None, v] for k, v in snapshot(term, ["number", *TERM_FIELDS]).items() if v not in (None, "")},
                SEATS_KEY: [None, _seats_text(seats)],
            },
        )
    return term


def update_term(term: CommitteeTerm, data: dict, seats, *, actor, expected_version: int) -> CommitteeTerm:
    """Change a draft or returned term; refused when somebody saved it after the form was opened."""
    if not term.is_editable:
        raise CommitteeError(
            _("状态：届次为“%(status)s”，只有草稿或已退回的届次可以修改。") % {"status": term.get_status_display()}
        )
    clean = _validate_term_data(term.unit, data)
    seats = _validate_seats(term.unit, clean["elected_on"], seats)
    with transaction.atomic():
        before = snapshot(term, TERM_FIELDS)
        old_seats = _seats_text(_current_seats(term))
        for k, v in clean.items():
            setattr(term, k, v)
        save_with_version(term, expected_version, TERM_FIELDS)
        _write_seats(term, seats)
        changes = diff(before, snapshot(term, TERM_FIELDS))
        new_seats = _seats_text(seats)
        if new_seats != old_seats:
            changes[SEATS_KEY] = [old_seats, new_seats]
        if changes:
            log_action("committees.term.changed", actor=actor, obj=term, unit=term.unit, changes=changes)
    return term


def submit_term(term: CommitteeTerm, *, actor) -> CommitteeTerm:
    """Send the election result to the committee for approval, after checking the composition."""
    if term.is_archived:
        raise CommitteeError(_("届次：已归档的届次不能提交。"))
    if not rules.can_move(term.status, TermStatus.SUBMITTED):
        raise CommitteeError(
            _("状态：届次为“%(status)s”，只有草稿或已退回的届次可以提交批复。") % {"status": term.get_status_display()}
        )
    seats = _current_seats(term)
    errors = []
    try:
        _validate_seats(term.unit, term.elected_on, seats)
    except CommitteeError as exc:
        errors += exc.messages
    errors += rules.composition_errors(full_member_count_on(term.unit, term.elected_on), [r for _m, r in seats])
    errors += _order_errors(term)
    if errors:
        raise CommitteeError(errors)
    with transaction.atomic():
        term.return_reason = ""
        _move(term, TermStatus.SUBMITTED, actor=actor, logged="submitted", extra_fields=["return_reason"])
    return term


def _order_errors(term) -> list[str]:
    current = (
        CommitteeTerm.objects.active().filter(unit=term.unit, status=TermStatus.CURRENT).exclude(pk=term.pk).first()
    )
    if current is not None and term.elected_on <= current.elected_on:
        return [
            _("选举日期：应晚于现任 %(term)s 的选举日期 %(date)s。") % {"term": current, "date": current.elected_on}
        ]
    return []


def approve_term(term: CommitteeTerm, *, doc_number: str, approved_on: datetime.date, actor) -> CommitteeTerm:
    """批复: the term becomes current; the branch's previous current term ends on this election day."""
    doc_number = (doc_number or "").strip()
    errors = []
    if term.is_archived:
        errors.append(_("届次：已归档的届次不能批复。"))
    if term.status != TermStatus.SUBMITTED:
        errors.append(_("状态：届次为“%(status)s”，只有待批复的届次可以批复。") % {"status": term.get_status_display()})
    if not doc_number:
        errors.append(_("批复文号：请填写批复文号。"))
    if not approved_on:
        errors.append(_("批复日期：请填写批复日期。"))
    else:
        if approved_on < term.elected_on:
            errors.append(_("批复日期：不能早于选举日期 %(date)s。") % {"date": term.elected_on})
        if approved_on > _today():
            errors.append(_("批复日期：不能晚于今天。"))
    errors += _order_errors(term)
    if errors:
        raise CommitteeError(errors)
    with transaction.atomic():
        previous = (
            CommitteeTerm.objects.select_for_update()
            .filter(unit=term.unit, status=TermStatus.CURRENT)
            .exclude(pk=term.pk)
            .first()
        )
        if previous is not None:
            previous.ended_on = term.elected_on
            _move(
                previous,
                TermStatus.ENDED,
                actor=actor,
                logged="ended",
                reason=_("%(term)s 已批复") % {"term": term},
                extra_fields=["ended_on"],
                changes={"ended_on": [None, previous.ended_on]},
                data={"successor": str(term)},
            )
        approval = Approval.objects.create(term=term, doc_number=doc_number, approved_on=approved_on, approved_by=actor)
        _move(
            term,
            TermStatus.CURRENT,
            actor=actor,
            logged="approved",
            reason=_("批复文号：%(doc)s") % {"doc": doc_number},
            data={"doc_number": approval.doc_number, "approved_on": approval.approved_on.isoformat()},
        )
    return term


def return_term(term: CommitteeTerm, *, reason: str, actor) -> CommitteeTerm:
    """Send the result back to the branch with a reason; the branch corrects it and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise CommitteeError(_("退回理由：请填写退回理由。"))
    if term.is_archived or term.status != TermStatus.SUBMITTED:
        raise CommitteeError(
            _("状态：届次为“%(status)s”，只有待批复的届次可以退回。") % {"status": term.get_status_display()}
        )
    with transaction.atomic():
        term.return_reason = reason
        _move(
            term,
            TermStatus.RETURNED,
            actor=actor,
            logged="returned",
            reason=reason,
            extra_fields=["return_reason"],
            data={"reason": reason},
        )
    return term


TERMS = Archiving("committees.term", CommitteeError, versioned=True, log_changes=True)


def archive_term(term: CommitteeTerm, *, actor) -> CommitteeTerm:
    """Put an abandoned draft or an ended term aside; nothing is deleted."""

    def check():
        if term.status not in rules.ARCHIVABLE_STATUSES:
            raise CommitteeError(
                _("状态：“%(status)s”的届次不能归档（现任届次在下一届批复后自动结束；待批复的届次请先批复或退回）。")
                % {"status": term.get_status_display()}
            )

    return TERMS.archive(term, actor=actor, unit=term.unit, already=_("届次：该届次已归档。"), check=check)


def restore_term(term: CommitteeTerm, *, actor) -> CommitteeTerm:

    def check():
        pending = _open_term(term.unit, exclude=term) if term.status in rules.OPEN_STATUSES else None
        if pending is not None:
            raise CommitteeError(
                _("届次：%(term)s 尚未批复（%(status)s），不能同时恢复另一个未批复的届次。")
                % {"term": pending, "status": pending.get_status_display()}
            )

    TERMS.restore(term, actor=actor, unit=term.unit, already=_("届次：该届次未归档，无需恢复。"), check=check)
    return term


# ---------------------------------------------------------------------------------------------
# Duties


def update_duty(duty: RoleDuty, text: str, *, actor, expected_version: int) -> RoleDuty:
    """Replace a role's duty list (one duty a line); refused when the form is stale."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise CommitteeError(_("职责：请至少填写一条职责。"))
    with transaction.atomic():
        old = duty.text
        duty.text = "\n".join(lines)
        save_with_version(duty, expected_version, ["text"])
        if old != duty.text:
            log_action("committees.duty.changed", actor=actor, obj=duty, changes={"text": [old, duty.text]})
    return duty


# ---------------------------------------------------------------------------------------------
# Reading helpers for dashboards and pages of other apps


def renewal_reminders(units_queryset, today: datetime.date) -> list[tuple[CommitteeTerm, str]]:
    """换届提醒: ``[(current term, "expired" | "due"), ...]`` of the given units, soonest first.

    One query; ``units_queryset`` is used as a subquery.
    """
    terms = (
        CommitteeTerm.objects.active()
        .filter(unit__in=units_queryset, status=TermStatus.CURRENT)
        .select_related("unit")
        .order_by("elected_on", "unit__path")
    )
    out = []
    for term in terms:
        status = rules.renewal_status(term.expires_on, today, rules.RENEWAL_WINDOW_DAYS)
        if status is not None:
            out.append((term, status))
    out.sort(key=lambda pair: (pair[0].expires_on, pair[0].unit.path))
    return out


def branches_without_current_term(units_queryset):
    """Active, undissolved branches among ``units_queryset`` that have no current term."""
    current = CommitteeTerm.objects.active().filter(unit=OuterRef("pk"), status=TermStatus.CURRENT)
    return (
        units_queryset.filter(kind=UnitKind.BRANCH, archived_at__isnull=True, dissolved_on__isnull=True)
        .exclude(Exists(current))
        .order_by("path")
    )


def duties_for_member(member: Member) -> list[tuple[str, list[str]]]:
    """``[(role label, duty lines), ...]`` of every role the member holds in a current term."""
    roles = list(
        TermMember.objects.filter(member=member, term__status=TermStatus.CURRENT, term__archived_at__isnull=True)
        .values_list("role", flat=True)
        .distinct()
    )
    duties = {d.role: d for d in RoleDuty.objects.filter(role__in=roles)}
    return [(CommitteeRole(r).label, duties[r].items if r in duties else []) for r in roles]
