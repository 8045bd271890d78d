"""State changes of the organisation tree. Every one checks its preconditions, runs in a
transaction and writes an audit entry. Units are never deleted: they are dissolved (a fact of
history, with a date) or archived (removed from the working tree, e.g. entered by mistake)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.archiving import Archiving
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from common.errors import DomainError
from organizations import registry
from organizations.models import ALLOWED_PARENT_KINDS, DEFAULT_TERM_YEARS, Unit, UnitKind

# Fields an edit may change. Kind and parent are fixed once the unit exists: moving a unit would
# rewrite the paths (and so the scope) of everything below it.
EDITABLE_FIELDS = ["name", "founded_on", "term_years", "department", "sort_order"]
AUDITED_FIELDS = ["name", "kind", "parent", "founded_on", "dissolved_on", "term_years", "department", "sort_order"]


class UnitError(DomainError):
    """A change to the organisation tree that the rules do not allow (message in Chinese)."""


def _check_name(name: str, *, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise UnitError(_("名称：不能为空。"))
    clash = Unit.objects.filter(name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise UnitError(_("名称：已有名为“%(name)s”的组织。") % {"name": name})
    return name


@transaction.atomic
def create_unit(data: dict, *, actor) -> Unit:
    """Found a unit below ``data["parent"]`` (None: a new root committee)."""
    kind = data.get("kind")
    if kind not in UnitKind.values:
        raise UnitError(_("类型：请选择机关党委、党总支、党支部或党小组。"))
    kind = UnitKind(kind)
    parent = data.get("parent")
    parent_kind = UnitKind(parent.kind) if parent is not None else None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        if parent is None:
            raise UnitError(_("上级：%(kind)s必须有上级组织。") % {"kind": kind.label})
        raise UnitError(
            _("上级：%(kind)s不能设在%(parent_kind)s“%(parent)s”之下。")
            % {"kind": kind.label, "parent_kind": parent_kind.label, "parent": parent}
        )
    founded_on = data.get("founded_on")
    if not isinstance(founded_on, datetime.date):
        raise UnitError(_("成立日期：请填写。"))
    if parent is not None:
        if parent.is_archived:
            raise UnitError(_("上级：“%(parent)s”已归档，不能在其下新建组织。") % {"parent": parent})
        if parent.dissolved_on is not None and founded_on >= parent.dissolved_on:
            raise UnitError(
                _("上级：“%(parent)s”已于 %(date)s 撤销，不能在其下新建组织。")
                % {"parent": parent, "date": parent.dissolved_on.isoformat()}
            )
        if founded_on < parent.founded_on:
            raise UnitError(
                _("成立日期：不能早于上级“%(parent)s”的成立日期 %(date)s。")
                % {"parent": parent, "date": parent.founded_on.isoformat()}
            )
    term_years = data.get("term_years") or DEFAULT_TERM_YEARS[kind]
    if not 1 <= int(term_years) <= 10:
        raise UnitError(_("任期(年)：应在 1 到 10 年之间。"))
    unit = Unit(
        name=_check_name(data.get("name")),
        kind=kind,
        parent=parent,
        founded_on=founded_on,
        term_years=term_years,
        department=(data.get("department") or "").strip(),
        sort_order=data.get("sort_order") or 0,
    )
    unit.save()
    log_action(
        "organizations.unit.created",
        actor=actor,
        obj=unit,
        unit=unit,
        changes={k: [None, v] for k, v in snapshot(unit, AUDITED_FIELDS).items() if v not in (None, "")},
    )
    return unit


@transaction.atomic
def update_unit(unit: Unit, data: dict, *, actor, version: int) -> Unit:
    """Change the editable facts of a unit. ``version`` is the one the form was opened with;
    a stale one raises ``StaleEditError`` and nothing is written."""
    before = snapshot(unit, AUDITED_FIELDS)
    name = _check_name(data.get("name", unit.name), exclude_pk=unit.pk)
    founded_on = data.get("founded_on", unit.founded_on)
    if not isinstance(founded_on, datetime.date):
        raise UnitError(_("成立日期：请填写。"))
    if unit.parent_id and founded_on < unit.parent.founded_on:
        raise UnitError(
            _("成立日期：不能早于上级“%(parent)s”的成立日期 %(date)s。")
            % {"parent": unit.parent, "date": unit.parent.founded_on.isoformat()}
        )
    if unit.dissolved_on is not None and founded_on > unit.dissolved_on:
        raise UnitError(_("成立日期：不能晚于撤销日期 %(date)s。") % {"date": unit.dissolved_on.isoformat()})
    earliest_child = unit.children.order_by("founded_on").values_list("founded_on", flat=True).first()
    if earliest_child is not None and founded_on > earliest_child:
        raise UnitError(_("成立日期：不能晚于下级组织最早的成立日期 %(date)s。") % {"date": earliest_child.isoformat()})
    term_years = data.get("term_years") or unit.term_years
    if not 1 <= int(term_years) <= 10:
        raise UnitError(_("任期(年)：应在 1 到 10 年之间。"))
    unit.name = name
    unit.founded_on = founded_on
    unit.term_years = term_years
    unit.department = (data.get("department", unit.department) or "").strip()
    unit.sort_order = data.get("sort_order", unit.sort_order) or 0
    save_with_version(unit, version, EDITABLE_FIELDS)
    changes = diff(before, snapshot(unit, AUDITED_FIELDS))
    if changes:
        log_action("organizations.unit.changed", actor=actor, obj=unit, unit=unit, changes=changes)
    return unit


@transaction.atomic
def dissolve_unit(unit: Unit, *, on: datetime.date, actor) -> Unit:
    """Record that a unit was dissolved (撤销) on ``on``. It stays in history."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_archived:
        raise UnitError(_("“%(unit)s”已归档，请先恢复。") % {"unit": unit})
    if unit.dissolved_on is not None:
        raise UnitError(_("“%(unit)s”已于 %(date)s 撤销。") % {"unit": unit, "date": unit.dissolved_on.isoformat()})
    if not isinstance(on, datetime.date):
        raise UnitError(_("撤销日期：请填写。"))
    if on < unit.founded_on:
        raise UnitError(_("撤销日期：不能早于成立日期 %(date)s。") % {"date": unit.founded_on.isoformat()})
    if on > timezone.localdate():
        raise UnitError(_("撤销日期：不能晚于今天。"))
    children = unit.children.active()
    open_children = children.filter(dissolved_on__isnull=True).count()
    if open_children:
        raise UnitError(
            _("“%(unit)s”还有 %(count)s 个下级组织未撤销，请先撤销下级组织。") % {"unit": unit, "count": open_children}
        )
    latest_child = children.order_by("-dissolved_on").values_list("dissolved_on", flat=True).first()
    if latest_child is not None and on < latest_child:
        raise UnitError(_("撤销日期：不能早于下级组织的撤销日期 %(date)s。") % {"date": latest_child.isoformat()})
    # Apps above (members: nobody may still be enrolled) register their guards.
    reason = registry.refusal(unit, "dissolve")
    if reason:
        raise UnitError(reason)
    unit.dissolved_on = on
    unit.save(update_fields=["dissolved_on", "updated_at"])
    log_action(
        "organizations.unit.dissolved",
        actor=actor,
        obj=unit,
        unit=unit,
        changes={"dissolved_on": [None, on]},
    )
    return unit


UNITS = Archiving("organizations.unit", UnitError)


@transaction.atomic
def archive_unit(unit: Unit, *, actor) -> Unit:
    """Take a unit out of the working tree (e.g. entered by mistake). It stays in history."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)

    def check():
        active_children = unit.children.active().count()
        if active_children:
            raise UnitError(
                _("“%(unit)s”还有 %(count)s 个下级组织未归档，请先归档下级组织。")
                % {"unit": unit, "count": active_children}
            )
        reason = registry.refusal(unit, "archive")
        if reason:
            raise UnitError(reason)

    return UNITS.archive(unit, actor=actor, unit=unit, already=_("“%(unit)s”已归档。") % {"unit": unit}, check=check)


@transaction.atomic
def restore_unit(unit: Unit, *, actor) -> Unit:
    """Bring an archived unit back into the tree."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)

    def check():
        if unit.parent_id and unit.parent.is_archived:
            raise UnitError(_("上级“%(parent)s”已归档，请先恢复上级组织。") % {"parent": unit.parent})

    return UNITS.restore(
        unit, actor=actor, unit=unit, already=_("“%(unit)s”未归档，无需恢复。") % {"unit": unit}, check=check
    )
