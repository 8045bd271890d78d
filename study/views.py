"""Study pages. Thin: fetch through ``study.permissions``, validate a form, call the service,
redirect with a message or render."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import calendar_words
from common.archiving import archive_view
from common.downloads import attachment_header
from common.editing import flash_stale, submit_form
from common.errors import add_to_form, add_to_messages
from common.models import AuditEntry
from meetings import permissions as meeting_permissions
from meetings import planning
from meetings.models import Meeting, MeetingKind
from members import permissions as member_permissions
from members.models import Member
from study import exports, ical, permissions, registry, rules, services
from study.forms import ReturnForm, StudyDayRuleForm, StudyRecordForm, StudyYearForm
from study.models import RecordStatus, StudyDayRule, StudyRecord, StudyYear

PAGE_SIZE = 50


def _year(request, today) -> int:
    return planning.parse_year(request.GET.get("year"), today)


def _years(year: int) -> list[int]:
    return [year - 1, year, year + 1] if year < timezone.localdate().year else [year - 2, year - 1, year]


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else fallback


# ---------------------------------------------------------------------------------------------
# My study


@require_GET
def my_study(request):
    today = timezone.localdate()
    year = _year(request, today)
    member = permissions.own_member(request.user)
    ctx = {
        "year": year,
        "years": _years(year),
        "member": member,
        "today": today,
        "can_see_dashboard": permissions.can(request.user, "dashboard.view"),
    }
    if member is not None:
        settings, row = services.member_ledger(member, year)
        branch = services.member_branch(member)
        rule = StudyDayRule.objects.filter(unit=branch).first() if branch else None
        upcoming = services.rule_dates(rule, today, today + datetime.timedelta(days=100))[:3] if rule else []
        ctx.update(
            settings=settings,
            row=row,
            branch=branch,
            rule=rule,
            upcoming=upcoming,
            records=StudyRecord.objects.active().filter(member=member, date__year=year).order_by("-date", "-id"),
            can_create=permissions.can(request.user, "record.create"),
        )
    return render(request, "study/my_study.html", ctx)


# ---------------------------------------------------------------------------------------------
# Individual records


@require_GET
def record_list(request):
    """The review queue of the branches in scope (the branch committee confirms or returns)."""
    if not permissions.can(request.user, "dashboard.view"):
        raise Http404
    status = request.GET.get("status", RecordStatus.SUBMITTED)
    if status not in RecordStatus.values and status != "all":
        status = RecordStatus.SUBMITTED
    branches = list(permissions.ledger_branches(request.user).active().order_by("path"))
    qs = permissions.visible(request.user, StudyRecord.objects.active()).select_related("member", "unit")
    unit_id = request.GET.get("unit") or ""
    if unit_id.isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    if status != "all":
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page.object_list:
        record.can_review = record.status == RecordStatus.SUBMITTED and permissions.can(
            request.user, "record.confirm", record
        )
    return render(
        request,
        "study/record_list.html",
        {
            "page": page,
            "records": page.object_list,
            "status": status,
            "statuses": RecordStatus.choices,
            "branches": branches,
            "unit_id": unit_id,
        },
    )


@require_http_methods(["GET", "POST"])
def record_create(request):
    member = permissions.own_member(request.user)
    if member is None or not permissions.can(request.user, "record.create"):
        raise PermissionDenied
    if request.method == "POST":
        form = StudyRecordForm(request.POST)
        if form.is_valid():
            try:
                record = services.record_study(member, form.cleaned_data, actor=request.user)
            except services.StudyError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("已提交学习记录“%(title)s”，待支部确认。") % {"title": record.title})
                return redirect("study:my")
    else:
        form = StudyRecordForm(initial={"date": timezone.localdate()})
    return render(request, "study/record_form.html", {"form": form, "record": None})


@require_http_methods(["GET", "POST"])
def record_edit(request, pk):
    record = permissions.get_visible_or_404(request.user, StudyRecord.objects.select_related("member", "unit"), pk=pk)
    if not permissions.can(request.user, "record.edit", record):
        raise PermissionDenied
    if request.method == "POST":
        form = StudyRecordForm(request.POST)
    else:
        form = StudyRecordForm(
            initial={
                "title": record.title,
                "date": record.date,
                "hours": record.hours,
                "note": record.note,
                "version": record.version,
            }
        )
    history = AuditEntry.objects.for_object(record).select_related("actor")
    posted = submit_form(
        request,
        form,
        lambda form: services.update_study(
            record, form.cleaned_data, actor=request.user, expected_version=form.cleaned_data["version"] or 0
        ),
        error=services.StudyError,
        on_stale=lambda exc, form: flash_stale(request, exc, form),
    )
    if posted.saved:
        messages.success(request, _("已保存学习记录“%(title)s”。") % {"title": record.title})
        return redirect("study:my")
    return render(request, "study/record_form.html", {"form": form, "record": record, "history": history})


def _review(request, pk, action):
    record = permissions.get_visible_or_404(request.user, StudyRecord.objects.select_related("member", "unit"), pk=pk)
    if not permissions.can(request.user, action, record):
        raise PermissionDenied
    return record


@require_POST
def record_confirm(request, pk):
    record = _review(request, pk, "record.confirm")
    try:
        services.confirm_study(record, actor=request.user)
    except services.StudyError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("已确认 %(member)s 的学习记录“%(title)s”（%(hours)s 学时）。")
            % {"member": record.member.name, "title": record.title, "hours": record.hours},
        )
    return redirect(_next(request, reverse("study:record.list")))


@require_POST
def record_return(request, pk):
    record = _review(request, pk, "record.return")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回理由：请写明退回的理由。"))
    else:
        try:
            services.return_study(record, form.cleaned_data["reason"], actor=request.user)
        except services.StudyError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(
                request, _("已将“%(title)s”退回 %(member)s。") % {"title": record.title, "member": record.member.name}
            )
    return redirect(_next(request, reverse("study:record.list")))


def _withdrawable(request, pk):
    record = permissions.get_visible_or_404(request.user, StudyRecord.objects.select_related("member", "unit"), pk=pk)
    if not permissions.can(request.user, "record.archive", record):
        raise PermissionDenied
    return record


record_archive = archive_view(
    get=_withdrawable,
    service=services.archive_study,
    done=lambda record: _("已撤回学习记录“%(title)s”。") % {"title": record.title},
    then=lambda record: "study:my",
)


# ---------------------------------------------------------------------------------------------
# Ledgers and the dashboard


@require_GET
def dashboard(request):
    """Branch and committee totals of the year, and the clean-governance counts."""
    if not permissions.can(request.user, "dashboard.view"):
        raise Http404
    today = timezone.localdate()
    year = _year(request, today)
    branches = list(
        permissions.ledger_branches(request.user).active().filter(dissolved_on__isnull=True).order_by("path")
    )
    settings, ledgers = services.load_ledgers(branches, year)
    unique = {r.member_id: r for ledger in ledgers for r in ledger.rows}
    integrity = services.integrity_counts(branches, year)
    rows = [(ledger, integrity.get(ledger.branch.pk, rules.IntegrityCount())) for ledger in ledgers]
    integrity_total = rules.IntegrityCount(
        warning=sum(c.warning for _l, c in rows),
        study=sum(c.study for _l, c in rows),
        themed=sum(c.themed for _l, c in rows),
        total=sum(c.total for _l, c in rows),
    )
    return render(
        request,
        "study/dashboard.html",
        {
            "year": year,
            "years": _years(year),
            "settings": settings,
            "rows": rows,
            "total": rules.summarize(unique.values()),
            "integrity_total": integrity_total,
            "can_manage_years": permissions.can(request.user, "year.manage"),
            # Cards of the apps built on study (compliance: the study-day rule), rendered here.
            "panels": registry.dashboard_panels(request),
        },
    )


def _branch_ledger(request, pk, action: str):
    """A branch's hours ledger of the year asked for: ``(branch, year, settings, ledger)``."""
    branch = permissions.get_branch_or_404(request.user, pk)
    if not permissions.can(request.user, action, branch):
        raise PermissionDenied
    year = _year(request, timezone.localdate())
    settings, ledgers = services.load_ledgers([branch], year)
    return branch, year, settings, ledgers[0]


@require_GET
def ledger_branch(request, pk):
    branch, year, settings, ledger = _branch_ledger(request, pk, "ledger.view")
    return render(
        request,
        "study/ledger_branch.html",
        {
            "branch": branch,
            "year": year,
            "years": _years(year),
            "settings": settings,
            "rows": ledger.rows,
            "summary": ledger.summary,
            "can_export": permissions.can(request.user, "ledger.export", branch),
        },
    )


@require_GET
def ledger_export(request, pk):
    branch, year, settings, ledger = _branch_ledger(request, pk, "ledger.export")
    now = timezone.localtime()
    user = request.user
    content = exports.build_ledger(
        branch.name,
        ledger.rows,
        ledger.summary,
        settings,
        exported_by=user.get_full_name() or user.get_username(),
        exported_at=now,
    )
    services.record_export(branch, year, len(ledger.rows), actor=user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = attachment_header(
        _("%(unit)s-%(year)s年度学时台账.xlsx") % {"unit": branch.name, "year": year},
        f"study-hours-{year}.xlsx",
    )
    return response


@require_GET
def ledger_member(request, pk):
    member = member_permissions.get_visible_or_404(request.user, Member.objects.all(), pk=pk)
    branch = services.member_branch(member)
    if not permissions.can(request.user, "ledger.member", (member, branch)):
        raise PermissionDenied
    year = _year(request, timezone.localdate())
    settings, row = services.member_ledger(member, year)
    linkable = set(
        meeting_permissions.visible(
            request.user, Meeting.objects.filter(pk__in=[c.meeting.id for c in row.meetings])
        ).values_list("pk", flat=True)
    )
    pending = StudyRecord.objects.active().filter(member=member, date__year=year).exclude(status=RecordStatus.CONFIRMED)
    return render(
        request,
        "study/ledger_member.html",
        {
            "member": member,
            "branch": branch,
            "year": year,
            "years": _years(year),
            "settings": settings,
            "row": row,
            "linkable": linkable,
            "pending": pending,
        },
    )


# ---------------------------------------------------------------------------------------------
# Year settings


def _require_year_manager(user):
    if not permissions.can(user, "year.manage"):
        raise PermissionDenied


@require_GET
def year_list(request):
    _require_year_manager(request.user)
    this_year = timezone.localdate().year
    rows = {r.year: r for r in StudyYear.objects.prefetch_related("counted_kinds")}
    years = sorted(set(rows) | {this_year, this_year + 1}, reverse=True)
    return render(
        request,
        "study/year_list.html",
        {
            "rows": [(y, rows.get(y)) for y in years],
            "defaults": services.year_settings(this_year) if this_year not in rows else None,
            "default_kinds": services.default_kinds(),
        },
    )


@require_http_methods(["GET", "POST"])
def year_edit(request, year):
    _require_year_manager(request.user)
    if not 2000 <= year <= 2100:
        raise Http404
    row = StudyYear.objects.filter(year=year).first()
    if request.method == "POST":
        form = StudyYearForm(request.POST)
    elif row:
        form = StudyYearForm(
            initial={
                "member_target": row.member_target,
                "leader_target": row.leader_target,
                "default_meeting_hours": row.default_meeting_hours,
                "counted_kinds": list(row.counted_kinds.all()),
                "version": row.version,
            }
        )
    else:
        defaults = services.year_settings(year)
        form = StudyYearForm(
            initial={
                "member_target": defaults.member_target,
                "leader_target": defaults.leader_target,
                "default_meeting_hours": defaults.default_meeting_hours,
                "counted_kinds": list(MeetingKind.objects.filter(code__in=defaults.counted_kinds)),
            }
        )
    history = AuditEntry.objects.for_object(row).select_related("actor") if row else []
    posted = submit_form(
        request,
        form,
        lambda form: services.save_study_year(
            year,
            form.cleaned_data,
            actor=request.user,
            kinds=list(form.cleaned_data["counted_kinds"]),
            expected_version=(form.cleaned_data.get("version") or 0) if row else None,
        ),
        error=services.StudyError,
        on_stale=lambda exc, form: flash_stale(request, exc, form),
    )
    if posted.saved:
        messages.success(request, _("已保存%(year)s年度学时要求。") % {"year": year})
        return redirect("study:year.list")
    return render(request, "study/year_form.html", {"form": form, "year": year, "row": row, "history": history})


# ---------------------------------------------------------------------------------------------
# The fixed study day


def _month_grid(year: int, month: int, planned: set, held: dict, today: datetime.date):
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            {
                "date": d,
                "in_month": d.month == month,
                "is_today": d == today,
                "study_day": d in planned,
                "held": held.get(d, []),
            }
            for d in week
        ]
        for week in weeks
    ]


@require_GET
def studyday_calendar(request, pk):
    """A branch's study days: the month grid and the year's months, met or not."""
    branch = permissions.get_branch_or_404(request.user, pk)
    today = timezone.localdate()
    year, month = planning.parse_month(request.GET.get("month"), today)
    start, end = planning.month_bounds(year, month)
    rule = StudyDayRule.objects.filter(unit=branch).first()
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    planned_year = services.rule_dates(rule, year_start, year_end) if rule else []
    held_year = services.study_day_meetings(branch, year_start, year_end)
    held_by_day: dict = {}
    for m in held_year:
        held_by_day.setdefault(m.date, []).append(m)
    grid_start = start - datetime.timedelta(days=7)
    grid_end = end + datetime.timedelta(days=7)
    planned = set(services.rule_dates(rule, grid_start, grid_end)) if rule else set()
    months = rules.study_day_months(year, planned_year, [m.date for m in held_year])
    linkable = set(
        meeting_permissions.visible(request.user, Meeting.objects.filter(pk__in=[m.pk for m in held_year])).values_list(
            "pk", flat=True
        )
    )
    prev, nxt = planning.shift_month(year, month, -1), planning.shift_month(year, month, 1)
    token = planning.live_feed_token(branch)
    return render(
        request,
        "study/studyday_calendar.html",
        {
            "branch": branch,
            "rule": rule,
            "year": year,
            "month": month,
            "weeks": _month_grid(year, month, planned, held_by_day, today),
            "weekdays": calendar_words.WEEKDAYS_SHORT,
            "months": months,
            "this_month": (today.year, today.month),
            "linkable": linkable,
            "prev": f"{prev[0]:04d}-{prev[1]:02d}",
            "next": f"{nxt[0]:04d}-{nxt[1]:02d}",
            "this": f"{today.year:04d}-{today.month:02d}",
            "can_edit": permissions.can(request.user, "studyday.edit", branch) and not branch.is_archived,
            "can_record": meeting_permissions.can(request.user, "record", branch),
            "feed_url": request.build_absolute_uri(reverse("study:studyday.ical", kwargs={"token": token.token}))
            if token
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
def studyday_edit(request, pk):
    branch = permissions.get_branch_or_404(request.user, pk)
    if not permissions.can(request.user, "studyday.edit", branch):
        raise PermissionDenied
    rule = StudyDayRule.objects.filter(unit=branch).first()
    if request.method == "POST":
        form = StudyDayRuleForm(request.POST)
    elif rule:
        form = StudyDayRuleForm(
            initial={
                "mode": rule.mode,
                "nth": rule.nth,
                "weekday": rule.weekday,
                "day": rule.day,
                "note": rule.note,
                "version": rule.version,
            }
        )
    else:
        form = StudyDayRuleForm(initial={"mode": "nth_weekday", "nth": 1, "weekday": 4, "day": 1})
    history = AuditEntry.objects.for_object(rule).select_related("actor") if rule else []
    posted = submit_form(
        request,
        form,
        lambda form: services.save_study_day_rule(
            branch,
            form.cleaned_data,
            actor=request.user,
            expected_version=(form.cleaned_data.get("version") or 0) if rule else None,
        ),
        error=services.StudyError,
        on_stale=lambda exc, form: flash_stale(request, exc, form),
    )
    if posted.saved:
        messages.success(request, _("已保存 %(unit)s 的固定学习日。") % {"unit": branch.name})
        return redirect("study:studyday.calendar", pk=branch.pk)
    return render(
        request, "study/studyday_form.html", {"form": form, "branch": branch, "rule": rule, "history": history}
    )


@login_not_required
@require_GET
def studyday_ical(request, token):
    """The branch's study days for calendar apps, keyed by the branch's calendar feed secret
    (the same one as the meetings feed; an unknown or revoked one answers 404)."""
    branch = planning.unit_for_token(token)
    if branch is None:
        raise Http404
    rule = StudyDayRule.objects.filter(unit=branch).first()
    today = timezone.localdate()
    start = today.replace(day=1) - datetime.timedelta(days=366)
    end = today + datetime.timedelta(days=366)
    dates = services.rule_dates(rule, start, end) if rule else []
    body = ical.build(branch, dates, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zhibu-study-day.ics"'
    return response
