"""Meeting record pages: list, record (choose a unit, then the form), detail, edit, archive/restore,
attachments (upload, permission-checked download, archive) and the committee's meeting kinds.

Pages with attendance and minutes are sent with ``Cache-Control: no-store`` (``never_cache``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.archiving import archive_view
from common.downloads import stored_file_response
from common.editing import submit_form
from common.errors import add_to_form
from common.models import AuditEntry
from meetings import permissions, registry, rules, services
from meetings.forms import ArchiveForm, AttachmentForm, KindForm, MeetingFilterForm, MeetingForm, UnitPickForm
from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingAttachment, MeetingKind
from meetings.permissions import can, get_visible_or_404, visible
from organizations.models import Unit

PAGE_SIZE = 50
TABS = [("record", gettext_lazy("会议记录")), ("history", gettext_lazy("变更记录"))]


def _get_meeting(request, pk, action: str | None = None) -> Meeting:
    """The meeting if visible (else 404) and, if ``action`` is given, allowed (else 403)."""
    qs = Meeting.objects.select_related("unit", "unit__parent", "host", "recorder", "lecturer", "entered_by")
    meeting = get_visible_or_404(request.user, qs, pk=pk)
    if action is not None and not can(request.user, action, meeting):
        raise PermissionDenied
    return meeting


def _entry_lag(meeting: Meeting) -> int:
    return rules.days_late(meeting.date, timezone.localdate(meeting.entered_at))


# ---------------------------------------------------------------------------------------------
# List


@never_cache
@require_GET
def meeting_list(request):
    user = request.user
    form = MeetingFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid() and "unit" in form.errors:
        raise Http404
    qs = form.filter(visible(user, Meeting.objects.all()))
    qs = (
        qs.select_related("unit", "unit__parent", "host")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            absent_count=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ABSENT)),
        )
        .prefetch_related("kinds")
        .order_by("-date", "-start_time", "-id")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page": page,
            "count": paginator.count,
            "can_record": can(user, "record"),
            "can_manage_kinds": can(user, "kind.manage"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Record and edit


def _record_unit(request, unit_id) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=unit_id)
    if not permissions.unit_in_scope(request.user, unit):
        raise Http404
    if not can(request.user, "record", unit):
        raise PermissionDenied
    return unit


def _warn_clashes(request, meeting: Meeting) -> None:
    """A non-blocking warning for each member also present at an overlapping meeting."""
    clashes = services.attendance_clashes(meeting)
    if not clashes:
        return
    shown = set(
        visible(request.user, Meeting.objects.filter(pk__in=[c.other.pk for c in clashes])).values_list("pk", flat=True)
    )
    for clash in clashes:
        messages.warning(request, services.clash_warning(clash, other_visible=clash.other.pk in shown))


def _warn(request, form) -> None:
    """What the record may carry but the seed advises against: shown, never refused."""
    for text in rules.meeting_warnings({k.code for k in form.selected_kinds()}, form.problems()):
        messages.warning(request, text)


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_create(request, unit_id=None):
    """Without a unit: choose one of the units the user may record for. With one: the form."""
    user = request.user
    if unit_id is None:
        if not can(user, "record"):
            raise PermissionDenied
        pick = UnitPickForm(request.POST or request.GET or None, user=user)
        units = list(pick.fields["unit"].queryset)
        if pick.is_bound and pick.is_valid():
            return redirect("meetings:meeting.create", unit_id=pick.cleaned_data["unit"].pk)
        if len(units) == 1 and not pick.is_bound:
            return redirect("meetings:meeting.create", unit_id=units[0].pk)
        return render(request, "meetings/meeting_pick_unit.html", {"form": pick, "units": units})

    unit = _record_unit(request, unit_id)
    form = MeetingForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(
                unit,
                form.meeting_data(),
                actor=user,
                kinds=form.selected_kinds(),
                attendance=form.attendance(),
                problems=form.problems(),
            )
        except services.MeetingError as exc:
            form.apply_errors(exc)
        else:
            if meeting.late_entry:
                messages.warning(
                    request,
                    _("已录入会议记录。会议日期%(day)s，录入晚%(n)s天，已标记为补录。")
                    % {"day": meeting.date.isoformat(), "n": _entry_lag(meeting)},
                )
            else:
                messages.success(request, _("已录入会议记录“%(topic)s”。") % {"topic": meeting.topic})
            _warn(request, form)
            _warn_clashes(request, meeting)
            return redirect("meetings:meeting.detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "unit": unit, "creating": True})


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _get_meeting(request, pk, "edit")
    if meeting.is_archived:
        messages.error(request, _("该会议记录已归档，请先恢复再修改。"))
        return redirect("meetings:meeting.detail", pk=meeting.pk)
    locked = services.is_locked(meeting)
    posted = submit_form(
        request,
        MeetingForm(
            request.POST if request.method == "POST" else None, unit=meeting.unit, meeting=meeting, locked=locked
        ),
        lambda form: services.update_meeting(
            meeting,
            form.meeting_data(),
            actor=request.user,
            kinds=form.selected_kinds(),
            attendance=form.attendance(),
            problems=form.problems(),
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data.get("reason", ""),
        ),
        error=services.MeetingError,
        # Keep the user's input on the meeting as it is now; a second submit, made knowingly,
        # saves over the new version.
        rebuild=lambda data, _current: _stale_form(request, pk, data, locked),
        show=lambda form, exc: form.apply_errors(exc),
    )
    if posted.saved:
        messages.success(request, _("已保存会议记录“%(topic)s”。") % {"topic": meeting.topic})
        _warn(request, posted.form)
        _warn_clashes(request, meeting)
        return redirect("meetings:meeting.detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": posted.form,
            "unit": meeting.unit,
            "meeting": meeting,
            "creating": False,
            "locked": locked,
            "late_days": services.late_entry_days(),
            "conflicts": posted.conflicts,
        },
    )


def _stale_form(request, pk, data, locked):
    current = _get_meeting(request, pk, "edit")
    return MeetingForm(data, unit=current.unit, meeting=current, locked=locked)


# ---------------------------------------------------------------------------------------------
# Detail


@never_cache
@require_GET
def meeting_detail(request, pk):
    meeting = _get_meeting(request, pk, "view")
    user = request.user
    tab = request.GET.get("tab", "record")
    if tab not in dict(TABS):
        tab = "record"
    can_edit = can(user, "edit", meeting)
    kinds = list(meeting.kinds.all())
    ctx = {
        "meeting": meeting,
        "tab": tab,
        "tabs": TABS,
        "kinds": kinds,
        # What the apps built on meetings add: buttons (the notice, the 组织生活会 page, …) and
        # notes under the heading (integrity signals).
        "detail_links": registry.detail_links(user, meeting, kinds),
        "detail_notes": registry.detail_notes(request, meeting),
        "lag": _entry_lag(meeting),
        "can_edit": can_edit and not meeting.is_archived,
        "can_archive": can(user, "archive", meeting),
        "can_restore": can(user, "restore", meeting),
        "locked": services.is_locked(meeting),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(meeting).select_related("actor", "content_type")
    else:
        rows = list(
            Attendance.objects.filter(meeting=meeting).select_related("member").order_by("status", "member__name")
        )
        attachments = MeetingAttachment.objects.filter(meeting=meeting).select_related("uploaded_by")
        if not can_edit:
            attachments = attachments.filter(archived_at__isnull=True)
        ctx.update(
            {
                "present": [a for a in rows if a.status == AttendanceStatus.PRESENT],
                "absent": [a for a in rows if a.status == AttendanceStatus.ABSENT],
                "expected": len(rows),
                "problems": list(meeting.problems.all()),
                "attachments": list(attachments),
                "attachment_form": AttachmentForm() if can_edit and not meeting.is_archived else None,
            }
        )
    return render(request, "meetings/meeting_detail.html", ctx)


meeting_archive = archive_view(
    get=lambda request, pk: _get_meeting(request, pk, "archive"),
    service=services.archive_meeting,
    reason_form=ArchiveForm,
    done=lambda meeting: _("已归档会议记录“%(topic)s”，可随时恢复。") % {"topic": meeting.topic},
    then="meetings:meeting.detail",
)
meeting_restore = archive_view(
    get=lambda request, pk: _get_meeting(request, pk, "restore"),
    service=services.restore_meeting,
    done=lambda meeting: _("已恢复会议记录“%(topic)s”。") % {"topic": meeting.topic},
    then="meetings:meeting.detail",
)


# ---------------------------------------------------------------------------------------------
# Attachments


@never_cache
@require_POST
def attachment_upload(request, pk):
    meeting = _get_meeting(request, pk, "attachment.upload")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("附件：请选择类别和文件。"))
        return redirect("meetings:meeting.detail", pk=meeting.pk)
    try:
        attachment = services.add_attachment(
            meeting, form.cleaned_data.get("file"), form.cleaned_data["kind"], actor=request.user
        )
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已上传附件“%(name)s”。") % {"name": attachment.original_name})
    return redirect("meetings:meeting.detail", pk=meeting.pk)


def _get_attachment(request, pk, action: str) -> MeetingAttachment:
    attachment = get_object_or_404(MeetingAttachment.objects.select_related("meeting"), pk=pk)
    meeting = _get_meeting(request, attachment.meeting_id)
    if not can(request.user, action, meeting):
        raise PermissionDenied
    if attachment.archived_at is not None and not can(request.user, "attachment.archive", meeting):
        raise Http404
    attachment.meeting = meeting
    return attachment


@never_cache
@require_GET
def attachment_download(request, pk):
    """The file, only through this permission-checked view; always as a download."""
    attachment = _get_attachment(request, pk, "attachment.download")
    return stored_file_response(attachment, f"attachment-{attachment.pk}")


attachment_archive = archive_view(
    get=lambda request, pk: _get_attachment(request, pk, "attachment.archive"),
    service=services.archive_attachment,
    done=lambda attachment: _("已归档附件“%(name)s”。") % {"name": attachment.original_name},
    then=lambda attachment: reverse("meetings:meeting.detail", kwargs={"pk": attachment.meeting_id}),
)


# ---------------------------------------------------------------------------------------------
# Kinds


@require_GET
def kind_list(request):
    if not can(request.user, "kind.manage"):
        raise PermissionDenied
    kinds = MeetingKind.objects.annotate(meeting_count=Count("meetings")).order_by("sort_order", "id")
    return render(request, "meetings/kind_list.html", {"kinds": kinds})


@require_http_methods(["GET", "POST"])
def kind_create(request):
    if not can(request.user, "kind.manage"):
        raise PermissionDenied
    form = KindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.add_kind(
                form.cleaned_data["name"], form.cleaned_data["code"], form.cleaned_data["unit_kind"], actor=request.user
            )
        except services.MeetingError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已新增会议类型“%(name)s”。") % {"name": kind.name})
            return redirect("meetings:kind.list")
    return render(request, "meetings/kind_form.html", {"form": form})
