"""Every change to a party member goes through these functions.

Each checks its preconditions (raising ``MemberError`` with a Chinese message naming the field),
runs in one transaction, writes the audit entry and returns the member.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.archiving import Archiving
from common.audit import log_action, snapshot
from common.concurrency import save_with_version
from common.errors import DomainError
from common.masking import mask_field
from members import crypto, rules
from members.idnumbers import normalize
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import Unit, UnitKind

# The fields a page or the ledger import may set (the rest are kept by the services).
EDITABLE_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "category",
    "joined_on",
    "full_member_on",
    "phone",
    "department",
    "post",
    "is_leading_cadre",
]
REVEALABLE_FIELDS = ("id_number", "phone")


class MemberError(DomainError):
    """A change the rules refuse. ``field`` names the form field the message belongs to."""


def _today() -> datetime.date:
    return timezone.localdate()


def _clean_data(data: dict, base: dict | None = None) -> dict:
    """The editable fields of ``data`` over ``base``, normalized (ID number upper-case, phone)."""
    out = dict(base or {})
    for name in EDITABLE_FIELDS:
        if name in data:
            out[name] = data[name]
    for name in ("name", "ethnicity", "department", "post", "education"):
        if name in out and out[name] is not None:
            out[name] = str(out[name]).strip()
    out["id_number"] = normalize(out.get("id_number") or "")
    out["phone"] = rules.normalize_phone(out.get("phone") or "")
    if not out.get("ethnicity"):
        out["ethnicity"] = _("汉族")
    out["is_leading_cadre"] = bool(out.get("is_leading_cadre"))
    return out


def _check(data: dict, *, exclude_pk=None) -> None:
    problems = rules.member_problems(data, today=_today())
    if problems:
        field, message = next(iter(problems.items()))
        raise MemberError(message, field=field)
    # The number is encrypted at rest: duplicates are found through its keyed hash.
    taken = Member.objects.with_id_number(data["id_number"])
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise MemberError(_("公民身份号码已登记在另一名党员的档案中，不能重复登记"), field="id_number")


def _refuse_before_founding(unit: Unit, on: datetime.date, message: str, field: str) -> None:
    if unit.founded_on > on:
        # The message names the unit as %(unit)s (a branch) or %(group)s (a party group).
        raise MemberError(message % {"unit": unit, "group": unit, "day": unit.founded_on.isoformat()}, field=field)


def _check_branch(branch: Unit, on: datetime.date, *, field: str = "branch") -> None:
    if branch.kind != UnitKind.BRANCH:
        raise MemberError(_("所在党支部应为党支部，“%(unit)s”不是党支部") % {"unit": branch}, field=field)
    if branch.is_archived:
        raise MemberError(_("党支部“%(unit)s”已归档，不能接收党员") % {"unit": branch}, field=field)
    if branch.dissolved_on is not None and branch.dissolved_on <= on:
        raise MemberError(_("党支部“%(unit)s”已撤销，不能接收党员") % {"unit": branch}, field=field)
    _refuse_before_founding(branch, on, _("党支部“%(unit)s”于%(day)s成立，在此之前不能接收党员"), field)


def _check_group(group: Unit, branch: Unit, on: datetime.date, *, field: str = "group") -> None:
    if group.kind != UnitKind.PARTY_GROUP or group.parent_id != branch.pk:
        raise MemberError(
            _("党小组“%(group)s”不属于党支部“%(branch)s”") % {"group": group, "branch": branch}, field=field
        )
    if group.is_archived or (group.dissolved_on is not None and group.dissolved_on <= on):
        raise MemberError(_("党小组“%(group)s”已撤销或归档") % {"group": group}, field=field)
    _refuse_before_founding(group, on, _("党小组“%(group)s”于%(day)s成立，在此之前不能加入"), field)


def _open_branch_row(member: Member) -> BranchMembership | None:
    return BranchMembership.objects.select_related("unit").filter(member=member, end_on__isnull=True).first()


def _open_group_row(member: Member) -> GroupMembership | None:
    return GroupMembership.objects.select_related("unit").filter(member=member, end_on__isnull=True).first()


def _changes(before: dict, after: dict, raw_before: dict, raw_after: dict) -> dict:
    """``{field: [old, new]}`` by the raw values, so a change hidden by masking still shows."""
    return {k: [before[k], after[k]] for k in raw_after if raw_before[k] != raw_after[k]}


def create_member(branch: Unit, data: dict, *, actor, group: Unit | None = None, start_on=None) -> Member:
    """Register a party member in ``branch`` (and ``group``) from ``start_on``.

    ``start_on`` defaults to the later of the branch's founding and the member's 入党日期.
    """
    clean = _clean_data(data)
    _check(clean)
    if start_on is None:
        start_on = rules.default_branch_start(branch.founded_on, clean["joined_on"])
    if start_on > _today():
        raise MemberError(_("进入本支部日期不能晚于今天"), field="start_on")
    if start_on < clean["joined_on"]:
        raise MemberError(_("进入本支部日期不能早于入党日期"), field="start_on")
    _check_branch(branch, start_on)
    if group is not None:
        _check_group(group, branch, start_on)

    with transaction.atomic():
        member = Member(**clean)
        member.name_initials = rules.name_initials(member.name)
        member.save()
        BranchMembership.objects.create(member=member, unit=branch, start_on=start_on)
        if group is not None:
            GroupMembership.objects.create(member=member, unit=group, start_on=start_on)
        shown = snapshot(member, EDITABLE_FIELDS)
        log_action(
            "members.member.created",
            actor=actor,
            obj=member,
            unit=branch,
            changes={k: [None, v] for k, v in shown.items() if v not in (None, "", False)},
            data={"branch": branch.name, "group": group.name if group else "", "start_on": start_on.isoformat()},
        )
    return member


def update_member(member: Member, data: dict, *, actor, expected_version: int) -> Member:
    """Change the member's record; refused with ``StaleEditError`` if someone saved in between."""
    if member.is_archived:
        raise MemberError(_("该党员已归档，请先恢复再修改"))
    raw_before = {k: getattr(member, k) for k in EDITABLE_FIELDS}
    shown_before = snapshot(member, EDITABLE_FIELDS)
    clean = _clean_data(data, base=raw_before)
    _check(clean, exclude_pk=member.pk)

    for name, value in clean.items():
        setattr(member, name, value)
    member.name_initials = rules.name_initials(member.name)
    raw_after = {k: getattr(member, k) for k in EDITABLE_FIELDS}
    changes = _changes(shown_before, snapshot(member, EDITABLE_FIELDS), raw_before, raw_after)

    with transaction.atomic():
        # Saved even when nothing changed, so that a stale form is still reported.
        save_with_version(member, expected_version, [*EDITABLE_FIELDS, "name_initials"])
        if (raw_before["id_number"], raw_before["phone"]) != (raw_after["id_number"], raw_after["phone"]):
            hashes = member.sync_lookup_hashes()
            Member.objects.filter(pk=member.pk).update(**{name: getattr(member, name) for name in hashes})
        if changes:
            branch = _open_branch_row(member)
            log_action(
                "members.member.changed",
                actor=actor,
                obj=member,
                unit=branch.unit if branch else None,
                changes=changes,
            )
    return member


def transfer_member(member: Member, to_branch: Unit, *, on: datetime.date, actor, to_group: Unit | None = None):
    """Move the member to ``to_branch`` on ``on``: close the open rows, open new ones."""
    if member.is_archived:
        raise MemberError(_("该党员已归档，不能转接"))
    if on is None:
        raise MemberError(_("转接日期不能为空"), field="on")
    if on > _today():
        raise MemberError(_("转接日期不能晚于今天"), field="on")
    with transaction.atomic():
        current = (
            BranchMembership.objects.select_for_update()
            .select_related("unit")
            .filter(member=member, end_on__isnull=True)
            .first()
        )
        if current is None:
            raise MemberError(_("该党员当前不在任何党支部，无法转接"), field="to_branch")
        if current.unit_id == to_branch.pk:
            raise MemberError(_("转入党支部与当前所在党支部相同"), field="to_branch")
        if on < current.start_on:
            raise MemberError(
                _("转接日期不能早于进入现党支部的日期（%(day)s）") % {"day": current.start_on.isoformat()},
                field="on",
            )
        _check_branch(to_branch, on, field="to_branch")
        if to_group is not None:
            _check_group(to_group, to_branch, on, field="to_group")

        current.end_on = on
        current.save(update_fields=["end_on"])
        old_group = _open_group_row(member)
        if old_group is not None:
            old_group.end_on = max(on, old_group.start_on)
            old_group.save(update_fields=["end_on"])
        BranchMembership.objects.create(member=member, unit=to_branch, start_on=on)
        if to_group is not None:
            GroupMembership.objects.create(member=member, unit=to_group, start_on=on)
        log_action(
            "members.member.transferred",
            actor=actor,
            obj=member,
            unit=to_branch,
            data={
                "from": current.unit.name,
                "to": to_branch.name,
                "on": on.isoformat(),
                "group": to_group.name if to_group else "",
                "summary": _("%(from)s → %(to)s（%(day)s）")
                % {"from": current.unit.name, "to": to_branch.name, "day": on.isoformat()},
            },
        )
    return member


def assign_group(member: Member, group: Unit, *, on: datetime.date, actor) -> Member:
    """Put the member into ``group`` of their current branch from ``on`` (leaving any other)."""
    if member.is_archived:
        raise MemberError(_("该党员已归档，不能调整党小组"))
    if on > _today():
        raise MemberError(_("加入日期不能晚于今天"), field="on")
    with transaction.atomic():
        branch_row = _open_branch_row(member)
        if branch_row is None:
            raise MemberError(_("该党员当前不在任何党支部，无法加入党小组"), field="group")
        _check_group(group, branch_row.unit, on)
        if on < branch_row.start_on:
            raise MemberError(_("加入日期不能早于进入本支部的日期"), field="on")
        old = _open_group_row(member)
        if old is not None:
            if old.unit_id == group.pk:
                raise MemberError(_("该党员已在党小组“%(group)s”中") % {"group": group}, field="group")
            if on < old.start_on:
                raise MemberError(_("加入日期不能早于进入原党小组的日期"), field="on")
            old.end_on = on
            old.save(update_fields=["end_on"])
        GroupMembership.objects.create(member=member, unit=group, start_on=on)
        log_action(
            "members.member.group_joined",
            actor=actor,
            obj=member,
            unit=branch_row.unit,
            data={
                "from": old.unit.name if old else "",
                "to": group.name,
                "on": on.isoformat(),
                "summary": _("加入%(group)s（%(day)s）") % {"group": group.name, "day": on.isoformat()},
            },
        )
    return member


def leave_group(member: Member, *, on: datetime.date, actor) -> Member:
    """End the member's party-group membership on ``on``."""
    with transaction.atomic():
        old = _open_group_row(member)
        if old is None:
            raise MemberError(_("该党员当前不在任何党小组"), field="group")
        if on < old.start_on:
            raise MemberError(_("退出日期不能早于加入日期"), field="on")
        old.end_on = on
        old.save(update_fields=["end_on"])
        branch_row = _open_branch_row(member)
        log_action(
            "members.member.group_left",
            actor=actor,
            obj=member,
            unit=branch_row.unit if branch_row else old.unit,
            data={
                "group": old.unit.name,
                "on": on.isoformat(),
                "summary": _("退出%(group)s（%(day)s）") % {"group": old.unit.name, "day": on.isoformat()},
            },
        )
    return member


MEMBERS = Archiving("members.member", MemberError, versioned=True, log_changes=True)


def archive_member(member: Member, *, actor, reason: str = "") -> Member:
    """Hide the member from current lists. Their memberships and history stay as they are."""
    branch_row = _open_branch_row(member)
    return MEMBERS.archive(
        member,
        actor=actor,
        unit=branch_row.unit if branch_row else None,
        data={"reason": reason} if reason else {},
        already=_("该党员已归档"),
    )


def restore_member(member: Member, *, actor) -> Member:
    """Bring an archived member back into the current lists."""
    branch_row = _open_branch_row(member)
    return MEMBERS.restore(
        member, actor=actor, unit=branch_row.unit if branch_row else None, already=_("该党员未归档，无需恢复")
    )


def reveal_member_field(member: Member, field: str, *, actor) -> str:
    """The full 公民身份号码 or phone number; every reveal is written to the audit log."""
    if field not in REVEALABLE_FIELDS:
        raise MemberError(_("只能显示公民身份号码或手机号码"), field="field")
    label = Member._meta.get_field(field).verbose_name
    branch_row = _open_branch_row(member)
    with transaction.atomic():
        log_action(
            "members.member.revealed",
            actor=actor,
            obj=member,
            unit=branch_row.unit if branch_row else None,
            data={
                "field": field,
                "shown": mask_field(field, getattr(member, field)),
                "summary": _("查看完整%(field)s") % {"field": label},
            },
        )
    return getattr(member, field)


def record_export(*, actor, count: int, full: bool, unit: Unit | None = None, filters: dict | None = None) -> None:
    """Write the audit entry of a roster export (who, how many rows, masked or full)."""
    with transaction.atomic():
        log_action(
            "members.member.exported",
            actor=actor,
            unit=unit,
            data={
                "count": count,
                "full": full,
                "filters": filters or {},
                "summary": (_("导出党员名册%(n)s人（含完整身份信息）") if full else _("导出党员名册%(n)s人（已脱敏）"))
                % {"n": count},
            },
        )


def members_on(unit: Unit, day: datetime.date):
    """Who belonged to ``unit`` (a branch or a party group) on ``day``, archived members included."""
    return Member.objects.in_unit_on(unit, day)


def members_in_subtree_on(unit: Unit, day: datetime.date):
    """Who belonged, on ``day``, to any branch at or below ``unit``."""
    rows = BranchMembership.objects.filter(unit__path__startswith=unit.path, start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=day)
    )
    return Member.objects.filter(pk__in=rows.values("member_id"))


def rotate_data_key(*, actor=None) -> dict:
    """Re-encrypt every member's 公民身份号码 and phone with the current data key (the first in
    ``ZHIBU_DATA_KEYS``) and recompute the lookup hashes with the current hash key.

    Returns ``{"key": current key id, "members": rows, "before": {key id: values}}``. Neither the
    version nor the update time changes: the record's content is the same. Audited.
    """
    key_id = crypto.current_key_id()
    with transaction.atomic():
        before: Counter = Counter()
        with connection.cursor() as cursor:
            # The stored tokens as they are, to report which keys were in use.
            cursor.execute(f"SELECT id_number, phone FROM {Member._meta.db_table}")
            for tokens in cursor.fetchall():
                before.update(crypto.key_id_of(t) for t in tokens if t)
        members = Member._base_manager.select_for_update().only("id", "id_number", "phone").order_by("id")
        count = 0
        for member in members:
            hashes = member.sync_lookup_hashes()
            Member._base_manager.filter(pk=member.pk).update(
                id_number=member.id_number, phone=member.phone, **{name: getattr(member, name) for name in hashes}
            )
            count += 1
        result = {"key": key_id, "members": count, "before": dict(sorted(before.items()))}
        log_action("members.data_key.rotated", actor=actor, data=result)
    return result
