"""Pages of yearly plans, calendars and the iCalendar feed. Thin: policy, form, service, redirect."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import calendar_words
from common.archiving import archive_view
from common.editing import flash_stale, submit_form
from common.errors import add_to_form, add_to_messages
from common.models import AuditEntry
from meetings import permissions, planning
from meetings.forms import PlanForm
from meetings.models import Meeting, MeetingPlan
from organizations.models import Unit, UnitKind


def _get_unit_or_404(user, pk) -> Unit:
    unit = get_object_or_404(Unit.objects.filter(kind__in=planning.PLAN_UNIT_KINDS), pk=pk)
    if not planning.can_see(user, unit):
        raise Http404
    return unit


def _get_plan_or_404(user, pk) -> MeetingPlan:
    plan = get_object_or_404(MeetingPlan.objects.select_related("unit"), pk=pk)
    if not planning.can_see(user, plan.unit):
        raise Http404
    return plan


def _require_edit(user, unit):
    if not planning.can_edit(user, unit):
        raise PermissionDenied


def _linkable(user, items) -> set[int]:
    """Ids of held meetings among ``items`` whose record the user may open (one query)."""
    ids = [i.id for i in items if i.held]
    if not ids:
        return set()
    return set(permissions.visible(user, Meeting.objects.filter(pk__in=ids)).values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------------
# The yearly plan, compared with what was held


@require_GET
def plan_list(request, pk):
    unit = _get_unit_or_404(request.user, pk)
    today = timezone.localdate()
    year = planning.parse_year(request.GET.get("year"), today)
    comparison = planning.load_comparison(unit, year, today=today)
    held_items = [r.meeting for r in comparison.rows if r.meeting] + comparison.unplanned
    archived = list(
        MeetingPlan.objects.archived().filter(unit=unit, planned_on__year=year).prefetch_related("kinds")
        if planning.can_edit(request.user, unit)
        else []
    )
    token = planning.live_feed_token(unit) if unit.kind == UnitKind.BRANCH else None
    feed_url = request.build_absolute_uri(reverse("meetings:plan.ical", kwargs={"token": token.token})) if token else ""
    return render(
        request,
        "meetings/plan_list.html",
        {
            "unit": unit,
            "year": year,
            "years": [year - 1, year, year + 1],
            "comparison": comparison,
            "linkable": _linkable(request.user, held_items),
            "archived_plans": archived,
            "can_edit": planning.can_edit(request.user, unit) and not unit.is_archived,
            "can_manage_feed": planning.can_manage_feed(request.user, unit),
            "feed_url": feed_url,
            "is_branch": unit.kind == UnitKind.BRANCH,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request, pk):
    unit = _get_unit_or_404(request.user, pk)
    _require_edit(request.user, unit)
    if request.method == "POST":
        form = PlanForm(request.POST, unit=unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = planning.plan_meeting(unit, data, actor=request.user, kinds=list(data["kinds"]))
            except planning.PlanError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("已将 %(plan)s 列入计划。") % {"plan": plan})
                return redirect(reverse("meetings:plan.list", kwargs={"pk": unit.pk}) + f"?year={plan.planned_on.year}")
    else:
        initial = {}
        if request.GET.get("date"):
            initial["planned_on"] = request.GET["date"]
        form = PlanForm(unit=unit, initial=initial)
    return render(request, "meetings/plan_form.html", {"unit": unit, "form": form, "plan": None})


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = _get_plan_or_404(request.user, pk)
    unit = plan.unit
    _require_edit(request.user, unit)
    if plan.is_archived:
        messages.error(request, _("会议计划：已归档的计划不能修改，请先恢复。"))
        return redirect(reverse("meetings:plan.list", kwargs={"pk": unit.pk}) + f"?year={plan.planned_on.year}")
    if request.method == "POST":
        form = PlanForm(request.POST, unit=unit)
    else:
        form = PlanForm(
            unit=unit,
            initial={
                "planned_on": plan.planned_on,
                "kinds": list(plan.kinds.all()),
                "topic": plan.topic,
                "note": plan.note,
                "version": plan.version,
            },
        )
    posted = submit_form(
        request,
        form,
        lambda form: planning.update_plan(
            plan,
            form.cleaned_data,
            actor=request.user,
            kinds=list(form.cleaned_data["kinds"]),
            expected_version=form.cleaned_data.get("version") or 0,
        ),
        error=planning.PlanError,
        on_stale=lambda exc, form: flash_stale(
            request, exc, form, others=_("会议类型等其他内容已被他人修改，请核对后再保存。")
        ),
    )
    if posted.saved:
        messages.success(request, _("已保存计划 %(plan)s 的修改。") % {"plan": plan})
        return redirect(reverse("meetings:plan.list", kwargs={"pk": unit.pk}) + f"?year={plan.planned_on.year}")
    history = AuditEntry.objects.for_object(plan).select_related("actor")
    return render(request, "meetings/plan_form.html", {"unit": unit, "form": form, "plan": plan, "history": history})


def _editable_plan(request, pk):
    plan = _get_plan_or_404(request.user, pk)
    _require_edit(request.user, plan.unit)
    return plan


def _plan_list_url(plan):
    return reverse("meetings:plan.list", kwargs={"pk": plan.unit_id}) + f"?year={plan.planned_on.year}"


plan_archive = archive_view(
    get=_editable_plan,
    service=planning.archive_plan,
    done=lambda plan: _("已将计划 %(plan)s 归档。") % {"plan": plan},
    then=_plan_list_url,
)
plan_restore = archive_view(
    get=_editable_plan,
    service=planning.restore_plan,
    done=lambda plan: _("已恢复计划 %(plan)s。") % {"plan": plan},
    then=_plan_list_url,
)


# ---------------------------------------------------------------------------------------------
# Calendars


def _month_context(request, today):
    year, month = planning.parse_month(request.GET.get("month"), today)
    start, end = planning.month_bounds(year, month)
    prev, nxt = planning.shift_month(year, month, -1), planning.shift_month(year, month, 1)
    return {
        "year": year,
        "month": month,
        "start": start,
        "end": end,
        "prev": f"{prev[0]:04d}-{prev[1]:02d}",
        "next": f"{nxt[0]:04d}-{nxt[1]:02d}",
        "this": f"{today.year:04d}-{today.month:02d}",
        "weekdays": calendar_words.WEEKDAYS_SHORT,
    }


@require_GET
def plan_calendar(request, pk):
    """A month of one unit (a branch shows its groups' sittings too): planned and held."""
    unit = _get_unit_or_404(request.user, pk)
    today = timezone.localdate()
    ctx = _month_context(request, today)
    units = Unit.objects.subtree(unit).filter(kind__in=planning.PLAN_UNIT_KINDS)
    # The grid spans whole weeks, so fetch a week either side of the month.
    planned, held = planning.load_items(
        units, ctx["start"] - datetime.timedelta(days=7), ctx["end"] + datetime.timedelta(days=7)
    )
    ctx.update(
        unit=unit,
        weeks=planning.month_grid(ctx["year"], ctx["month"], planned, held, today=today),
        linkable=_linkable(request.user, held),
        can_edit=planning.can_edit(request.user, unit) and not unit.is_archived,
        planned_count=sum(1 for i in planned if i.date.month == ctx["month"]),
        held_count=sum(1 for i in held if i.date.month == ctx["month"]),
    )
    return render(request, "meetings/plan_calendar.html", ctx)


@require_GET
def committee_calendar(request):
    """A month of every branch and group in the user's scope, day by day."""
    today = timezone.localdate()
    ctx = _month_context(request, today)
    units = planning.visible_units(request.user, Unit.objects.active())
    planned, held = planning.load_items(units, ctx["start"], ctx["end"])
    weeks = planning.month_grid(ctx["year"], ctx["month"], planned, held, today=today)
    days = [d for week in weeks for d in week if d.in_month and (d.planned or d.held)]
    ctx.update(
        weeks=weeks,
        days=days,
        linkable=_linkable(request.user, held),
        planned_count=len(planned),
        held_count=len(held),
    )
    return render(request, "meetings/plan_committee_calendar.html", ctx)


# ---------------------------------------------------------------------------------------------
# iCalendar feed


@require_POST
def feed_token(request, pk):
    unit = _get_unit_or_404(request.user, pk)
    if not planning.can_manage_feed(request.user, unit):
        raise PermissionDenied
    try:
        planning.regenerate_feed_token(unit, actor=request.user)
    except planning.PlanError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, _("已生成新的日历订阅链接，原链接即时失效。"))
    return redirect("meetings:plan.list", pk=unit.pk)


@login_not_required
@require_GET
def plan_ical(request, token):
    """text/calendar for calendar apps. Unknown or revoked token: 404. No names, no minutes."""
    branch = planning.unit_for_token(token)
    if branch is None:
        raise Http404
    now = timezone.now()
    body = planning.build_ical(branch.name, planning.feed_items(branch, today=timezone.localdate()), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zhibu.ics"'
    return response
