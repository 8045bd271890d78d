"""Member pages: list, detail (tabs), create, edit, transfer, archive/restore, reveal, export.

Every page with personal data is sent with ``Cache-Control: no-store`` (``never_cache``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import get_scope
from common.archiving import archive_views
from common.concurrency import StaleEditError, conflict_rows, rebind_stale
from common.downloads import attachment_header
from common.errors import add_to_form
from common.masking import mask_field
from common.models import AuditEntry
from common.registry import shown_panels
from common.visibility import get_allowed_or_404
from members import permissions, roster, services
from members.forms import (
    ArchiveForm,
    MemberCreateForm,
    MemberEditForm,
    MemberFilterForm,
    RevealForm,
    TransferForm,
)
from members.models import BranchMembership, GroupMembership, Member
from members.permissions import can, visible
from members.registry import member_panels
from organizations.models import Unit

PAGE_SIZE = 50
TABS = [
    ("basic", gettext_lazy("基本信息")),
    ("memberships", gettext_lazy("隶属记录")),
    ("duties", gettext_lazy("职务与职责")),
    ("history", gettext_lazy("变更记录")),
]


def _detail_queryset():
    return Member.objects.prefetch_related(
        Prefetch("branch_memberships", queryset=BranchMembership.objects.select_related("unit")),
        Prefetch("group_memberships", queryset=GroupMembership.objects.select_related("unit")),
    )


def _get_member(request, pk, action: str | None = None) -> Member:
    """The member if visible (else 404) and, if ``action`` is given, allowed (else 403)."""
    return get_allowed_or_404(request.user, _detail_queryset(), action, policy=permissions, pk=pk)


def _filtered(request):
    """The filter form and the visible members it selects; a branch outside scope answers 404."""
    form = MemberFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and "branch" in form.errors:
        raise Http404
    qs = form.filter(visible(request.user, Member.objects.all()))
    return form, qs


def _querystring(request, drop=("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@never_cache
@require_GET
def member_list(request):
    form, qs = _filtered(request)
    paginator = Paginator(qs.order_by("name", "id").with_open_memberships(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "members/member_list.html",
        {
            "form": form,
            "page": page,
            "count": paginator.count,
            "querystring": _querystring(request),
            "can_add": can(user, "add"),
            "can_export": can(user, "export"),
            "can_export_full": can(user, "export_full"),
        },
    )


def _masked(member: Member, revealed: dict) -> dict:
    return {f: revealed.get(f) or mask_field(f, getattr(member, f)) for f in services.REVEALABLE_FIELDS}


def _detail_context(request, member: Member, tab: str, revealed: dict | None = None) -> dict:
    user = request.user
    revealed = revealed or {}
    ctx = {
        "member": member,
        "tab": tab,
        "tabs": TABS,
        "branch_row": member.current_branch_membership(),
        "group_row": member.current_group_membership(),
        "shown": _masked(member, revealed),
        "revealed": revealed,
        "can_reveal": can(user, "reveal", member),
        "can_edit": can(user, "edit", member),
        "can_transfer": can(user, "transfer", member),
        "can_archive": can(user, "archive", member),
        "can_restore": can(user, "restore", member),
    }
    if tab == "duties":
        ctx["panels"] = shown_panels(member_panels, request, member)
    elif tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(member).select_related("actor", "content_type")
    return ctx


@never_cache
@require_GET
def member_detail(request, pk):
    member = _get_member(request, pk)
    tab = request.GET.get("tab", "basic")
    if tab not in dict(TABS):
        tab = "basic"
    return render(request, "members/member_detail.html", _detail_context(request, member, tab))


@never_cache
@require_POST
def member_reveal(request, pk):
    """Show the full ID number or phone once; the reveal is written to the audit log."""
    member = _get_member(request, pk, "reveal")
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("请选择要显示的字段"), status=400)
    field = form.cleaned_data["field"]
    value = services.reveal_member_field(member, field, actor=request.user)
    if getattr(request, "htmx", False):
        return render(
            request,
            "members/_revealed.html",
            {"field": field, "value": value, "label": Member._meta.get_field(field).verbose_name},
        )
    ctx = _detail_context(request, member, "basic", revealed={field: value})
    return render(request, "members/member_detail.html", ctx)


@never_cache
@require_http_methods(["GET", "POST"])
def member_create(request):
    user = request.user
    if not can(user, "add"):
        raise PermissionDenied
    initial = {}
    if request.GET.get("branch"):
        branch = get_object_or_404(Unit.objects.branches(), pk=request.GET["branch"])
        if not permissions.unit_in_scope(user, branch):
            raise Http404
        if not can(user, "add", branch):
            raise PermissionDenied
        initial["branch"] = branch
    form = MemberCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(
                form.cleaned_data["branch"],
                form.member_data(),
                actor=user,
                group=form.cleaned_data.get("group"),
                start_on=form.cleaned_data.get("start_on"),
            )
        except services.MemberError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已新增党员 %(name)s。") % {"name": member.name})
            return redirect("members:member.detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "creating": True})


def _conflict_rows(conflicts) -> list[tuple[str, object, object]]:
    """``conflict_rows``, with personal data still masked in the page."""
    labels = {str(Member._meta.get_field(f).verbose_name): f for f in services.REVEALABLE_FIELDS}
    return conflict_rows(
        (label, mask_field(labels[label], theirs), mask_field(labels[label], mine))
        if label in labels
        else (label, theirs, mine)
        for label, theirs, mine in conflicts
    )


@never_cache
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _get_member(request, pk, "edit")
    if member.is_archived:
        messages.error(request, _("该党员已归档，请先恢复再修改。"))
        return redirect("members:member.detail", pk=member.pk)
    conflicts = None
    if request.method == "POST":
        form = MemberEditForm(request.POST, member=member)
        if form.is_valid():
            try:
                services.update_member(
                    member, form.member_data(), actor=request.user, expected_version=form.cleaned_data["version"]
                )
            except StaleEditError as exc:
                conflicts = _conflict_rows(exc.conflicts)
                form = rebind_stale(MemberEditForm, request, exc, member=exc.current)
            except services.MemberError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("已保存 %(name)s 的信息。") % {"name": member.name})
                return redirect("members:member.detail", pk=member.pk)
    else:
        form = MemberEditForm(member=member, initial=MemberEditForm.initial_for(member))
    return render(
        request,
        "members/member_form.html",
        {"form": form, "member": member, "conflicts": conflicts, "creating": False},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def member_transfer(request, pk):
    member = _get_member(request, pk, "transfer")
    if member.is_archived:
        messages.error(request, _("该党员已归档，不能转接。"))
        return redirect("members:member.detail", pk=member.pk)
    form = TransferForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        to_branch = form.cleaned_data["to_branch"]
        if not permissions.can_transfer_to(request.user, member, to_branch):
            raise PermissionDenied
        try:
            services.transfer_member(
                member,
                to_branch,
                on=form.cleaned_data["on"],
                actor=request.user,
                to_group=form.cleaned_data.get("to_group"),
            )
        except services.MemberError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("已将 %(name)s 转入 %(branch)s。") % {"name": member.name, "branch": to_branch.name}
            )
            # The target branch is in the user's scope, so the member stays visible to them.
            return redirect("members:member.detail", pk=member.pk)
    return render(
        request,
        "members/member_transfer.html",
        {"form": form, "member": member, "branch_row": member.current_branch_membership()},
    )


member_archive, member_restore = archive_views(
    _get_member,
    services.archive_member,
    services.restore_member,
    archived=lambda member: _("已归档 %(name)s，可随时恢复。") % {"name": member.name},
    restored=lambda member: _("已恢复 %(name)s。") % {"name": member.name},
    then="members:member.detail",
    reason_form=ArchiveForm,
)


def _export_unit(user, form) -> Unit | None:
    """The unit the export audit entry belongs to: the filtered branch, or the user's one grant."""
    if form.is_bound and form.is_valid() and form.cleaned_data.get("branch"):
        return form.cleaned_data["branch"]
    paths = get_scope(user).paths(*permissions.EXPORT_ROLES)
    if len(paths) == 1:
        return Unit.objects.filter(path=paths[0]).first()
    return None


@never_cache
@require_GET
def member_export(request):
    """The roster (.xlsx) of the visible members with the current filters."""
    user = request.user
    if not can(user, "export"):
        raise PermissionDenied
    full = request.GET.get("full") == "1"
    if full and not can(user, "export_full"):
        raise PermissionDenied
    form, qs = _filtered(request)
    members = list(qs.order_by("name", "id").with_open_memberships())

    def show_full(member):
        row = member.open_branches[0] if member.open_branches else None
        return full and permissions.can_reveal_in_export(user, row.unit if row else None)

    now = timezone.localtime()
    content, count = roster.build_roster(
        members,
        exported_by=user.get_full_name() or user.get_username(),
        exported_at=now,
        show_full=show_full,
    )
    services.record_export(actor=user, count=count, full=full, unit=_export_unit(user, form), filters=form.query_dict())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = now.strftime("%Y%m%d")
    response["Content-Disposition"] = attachment_header(
        _("党员名册-%(day)s.xlsx") % {"day": stamp}, f"member-roster-{stamp}.xlsx"
    )
    return response
