"""五带头 scorecards and the working-day calendar. Views fetch through ``recognition.permissions``,
validate a form and call the services (four-strong and nomination pages: ``recognition.views.awards``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.archiving import archive_view
from common.concurrency import StaleEditError
from common.models import AuditEntry
from common.submission import submit_form
from members.models import Member
from recognition import permissions, services
from recognition.forms import CalendarForm, NoteForm
from recognition.models import Duty, FiveLeadsNote, WorkdayCalendar
from recognition.scorecard import scorecards, seats_in_year


def request_year(request, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default or timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def stale_message(request, exc: StaleEditError) -> None:
    parts = [_("%(field)s：%(theirs)s → %(mine)s") % {"field": f, "theirs": t, "mine": m} for f, t, m in exc.conflicts]
    messages.error(request, _("该记录在您打开之后已被他人修改，您的修改没有保存。") + " " + "；".join(parts))


# --- 五带头 ----------------------------------------------------------------------------------


@require_GET
def fiveleads_list(request):
    """The committee members × five duties table of a year, for the branches the user reads
    (a member without such a role sees their own row)."""
    year = request_year(request)
    units = list(permissions.read_units(request.user))
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        units = [u for u in units if u.pk == int(unit_id)]
    if units or permissions.read_units(request.user).exists():
        seats = seats_in_year(year, units=units)
    else:
        own = permissions.own_member_id(request.user)
        seats = seats_in_year(year, member=own) if own else []
    return render(
        request,
        "recognition/fiveleads_list.html",
        {
            "year": year,
            "cards": scorecards(seats, year),
            "units": permissions.read_units(request.user),
            "unit_id": unit_id or "",
            "duties": _duty_labels(),
        },
    )


def _duty_labels():
    return Duty.choices


def _member_cards(request, member_id: int, year: int):
    member = get_object_or_404(Member, pk=member_id)
    seats = [
        s
        for s in seats_in_year(year, member=member)
        if permissions.can_view_scorecard(request.user, member, s.term.unit)
    ]
    if not seats:
        raise Http404
    return member, seats


@require_GET
def fiveleads_detail(request, member_id: int, year: int):
    member, seats = _member_cards(request, member_id, year)
    cards = scorecards(seats, year)
    can_note = any(permissions.can_add_note(request.user, member, s.term.unit) for s in seats)
    notes = list(FiveLeadsNote.objects.filter(member=member, year=year).select_related("author").order_by("created_at"))
    for note in notes:
        note.can_archive = not note.is_archived and permissions.can(request.user, "note.archive", note)
    return render(
        request,
        "recognition/fiveleads_detail.html",
        {
            "member": member,
            "year": year,
            "cards": cards,
            "notes": notes,
            "form": NoteForm() if can_note else None,
        },
    )


@require_POST
def fiveleads_note(request, member_id: int, year: int):
    member, seats = _member_cards(request, member_id, year)
    if not any(permissions.can_add_note(request.user, member, s.term.unit) for s in seats):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(member, year, form.cleaned_data, actor=request.user)
            messages.success(request, _("已填写五带头说明。"))
        except services.RecognitionError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("说明：请选择带头事项并填写说明。"))
    return redirect("recognition:fiveleads.detail", member_id=member.pk, year=year)


def _withdrawable_note(request, pk: int):
    note = get_object_or_404(FiveLeadsNote.objects.select_related("member"), pk=pk)
    _member_cards(request, note.member_id, note.year)
    if not permissions.can(request.user, "note.archive", note):
        raise PermissionDenied
    return note


note_archive = archive_view(
    get=_withdrawable_note,
    service=services.archive_note,
    done=lambda note: _("已撤回该说明。"),
    then=lambda note: reverse("recognition:fiveleads.detail", kwargs={"member_id": note.member_id, "year": note.year}),
)


# --- working-day calendar --------------------------------------------------------------------


@require_GET
def calendar_list(request):
    year = request_year(request)
    rows = WorkdayCalendar.objects.filter(date__year=year)
    return render(
        request,
        "recognition/calendar_list.html",
        {"year": year, "rows": rows, "can_edit": permissions.can(request.user, "calendar.edit")},
    )


@require_http_methods(["GET", "POST"])
def calendar_edit(request, pk: int | None = None):
    if not permissions.can(request.user, "calendar.edit"):
        raise PermissionDenied
    day = get_object_or_404(WorkdayCalendar, pk=pk) if pk is not None else None
    form = CalendarForm(request.POST or None, instance=None, initial={"version": day.version} if day else None)
    if day is not None and request.method == "GET":
        form = CalendarForm(
            initial={"date": day.date, "is_workday": day.is_workday, "note": day.note, "version": day.version}
        )
    outcome = submit_form(
        request,
        form,
        lambda form: services.save_calendar_day(
            day,
            form.cleaned_data,
            actor=request.user,
            version=form.cleaned_data.get("version") or (day.version if day else None),
        ),
        done=lambda saved: _("已保存 %(date)s 的安排。") % {"date": saved.date.isoformat()},
        then=lambda saved: f"{_calendar_url()}?year={saved.date.year}",
        stale=lambda form, exc: stale_message(request, exc),
    )
    entries = AuditEntry.objects.for_object(day).select_related("actor") if day else []
    return outcome.render(request, "recognition/calendar_form.html", {"day": day, "entries": entries})


def _calendar_url() -> str:
    return reverse("recognition:calendar.list")
