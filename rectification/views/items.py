"""Rectification ledger pages: list (per branch and committee-wide) with closure rate and overdue
count, .xlsx export, create/edit, detail with history and 变更记录, status moves, evidence files,
archive/restore. Views fetch through ``rectification.permissions`` and call the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.archiving import archive_view
from common.downloads import attachment_header, stored_file_response
from common.editing import submit_form
from common.errors import add_to_form
from common.models import AuditEntry
from organizations.models import Unit, UnitKind
from rectification import export, permissions, rules, services
from rectification.forms import ArchiveForm, EvidenceForm, ItemForm, LedgerFilterForm, MoveForm
from rectification.models import Rectification, RectificationEvidence, Status
from rectification.permissions import can, get_visible_or_404, visible
from rectification.views import branch_for_create, pick_branch

PAGE_SIZE = 50
TABS = [("record", gettext_lazy("整改事项")), ("history", gettext_lazy("变更记录"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _querystring(request, drop=("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _get_item(request, pk, action: str | None = None) -> Rectification:
    """The item if visible (else 404) and, if ``action`` is given, allowed (else 403)."""
    qs = Rectification.objects.select_related(
        "unit", "responsible", "member", "submitted_by", "verified_by", "created_by", "content_type"
    )
    item = get_visible_or_404(request.user, qs, pk=pk)
    if action is not None and not can(request.user, action, item):
        raise PermissionDenied
    return item


def _stats(qs, today):
    """Counts of the (not archived) items of ``qs``: total, verified, overdue, closure rate."""
    live = Q(archived_at__isnull=True)
    overdue = live & Q(deadline__lt=today) & ~Q(status=Status.VERIFIED)
    row = qs.aggregate(
        total=Count("id", filter=live),
        verified=Count("id", filter=live & Q(status=Status.VERIFIED)),
        overdue=Count("id", filter=overdue),
    )
    row["rate"] = rules.closure_rate(row["verified"], row["total"])
    return row


def _by_branch(qs, today):
    """One row per branch of ``qs``: name, total, verified, overdue, rate (one query)."""
    live = Q(archived_at__isnull=True)
    rows = (
        qs.filter(live)
        .values("unit_id", "unit__name", "unit__path")
        .annotate(
            total=Count("id"),
            verified=Count("id", filter=Q(status=Status.VERIFIED)),
            overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=Status.VERIFIED)),
        )
        .order_by("unit__path")
    )
    return [{**r, "rate": rules.closure_rate(r["verified"], r["total"])} for r in rows]


def _ledger(request, unit=None):
    user = request.user
    today = timezone.localdate()
    units = permissions.ledger_units(user)
    form = LedgerFilterForm(request.GET or None, units=units)
    if form.is_bound and not form.is_valid() and "unit" in form.errors:
        raise Http404
    base = visible(user)
    if unit is not None:
        base = base.filter(unit=unit)
    qs = form.filter(base, today=today)
    return form, qs, today


@never_cache
@require_GET
def item_list(request, unit_id=None):
    """The ledger: committee-wide (all visible items) or one branch's (``unit_id``)."""
    user = request.user
    unit = None
    if unit_id is not None:
        unit = get_object_or_404(Unit, pk=unit_id, kind=UnitKind.BRANCH)
        if not permissions.ledger_units(user).filter(pk=unit.pk).exists():
            raise Http404
    form, qs, today = _ledger(request, unit)
    stats = _stats(qs, today)
    by_branch = (
        _by_branch(qs, today) if unit is None and not (form.is_valid() and form.cleaned_data.get("unit")) else []
    )
    # Items still open first, by deadline (none last); verified items after them.
    rows = (
        qs.select_related("unit", "responsible", "member")
        .annotate(closed=Case(When(status=Status.VERIFIED, then=Value(1)), default=Value(0)))
        .order_by("closed", F("deadline").asc(nulls_last=True), "id")
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for item in page.object_list:
        item.overdue = item.is_overdue_on(today)
    return render(
        request,
        "rectification/item_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "count": paginator.count,
            "stats": stats,
            "by_branch": by_branch if len(by_branch) > 1 else [],
            "export_query": _querystring(request),
            "can_create": can(user, "create", unit) if unit else can(user, "create"),
            "can_export": can(user, "export"),
            "today": today,
        },
    )


@never_cache
@require_GET
def item_export(request):
    """The filtered ledger as .xlsx (exporter and time in the header rows; audited)."""
    user = request.user
    if not can(user, "export"):
        raise PermissionDenied
    form, qs, today = _ledger(request)
    items = list(qs.select_related("unit", "responsible", "member").order_by("unit__path", "deadline", "id"))
    now = timezone.localtime()
    filters = form.summary()
    content, count = export.build_ledger(
        items,
        exported_by=user.get_full_name() or user.get_username(),
        exported_at=now,
        filters=filters,
        today=today,
    )
    unit = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    if unit is None:
        # A secretary's export belongs to their branch in the audit log (scoped like the rest).
        own = list(permissions.ledger_units(user)[:2])
        unit = own[0] if len(own) == 1 else None
    services.record_export(actor=user, count=count, filters=filters, unit=unit)
    response = HttpResponse(content, content_type=XLSX)
    stamp = now.strftime("%Y%m%d")
    response["Content-Disposition"] = attachment_header(
        _("整改台账-%(day)s.xlsx") % {"day": stamp}, f"rectification-ledger-{stamp}.xlsx"
    )
    return response


# ---------------------------------------------------------------------------------------------
# Create and edit


@never_cache
@require_http_methods(["GET", "POST"])
def item_create(request, unit_id=None):
    """Without a branch: choose one; with one: the form."""
    user = request.user
    if unit_id is None:
        if not can(user, "create"):
            raise PermissionDenied
        return pick_branch(
            request,
            permissions.units_for_create(user),
            then="rectification:item.create",
            title=_("新增整改事项"),
            back=reverse("rectification:item.list"),
        )
    unit = branch_for_create(request, unit_id, "create")
    form = ItemForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.open_item(unit=unit, actor=user, **form.item_data())
        except services.RectificationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已新增整改事项。"))
            return redirect("rectification:item.detail", pk=item.pk)
    return render(request, "rectification/item_form.html", {"form": form, "unit": unit, "creating": True})


@never_cache
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = _get_item(request, pk, "edit")
    if item.is_archived or item.status == Status.VERIFIED:
        messages.error(request, _("已归档或已销号的整改事项不能修改。"))
        return redirect("rectification:item.detail", pk=item.pk)
    posted = submit_form(
        request,
        ItemForm(request.POST, unit=item.unit, item=item)
        if request.method == "POST"
        else ItemForm(unit=item.unit, item=item),
        lambda form: services.update_item(
            item, form.item_data(), actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        error=services.RectificationError,
        rebuild=lambda data, current: ItemForm(data, unit=item.unit, item=current),
    )
    if posted.saved:
        messages.success(request, _("已保存整改事项。"))
        return redirect("rectification:item.detail", pk=item.pk)
    return render(
        request,
        "rectification/item_form.html",
        {"form": posted.form, "unit": item.unit, "item": item, "creating": False, "conflicts": posted.conflicts},
    )


# ---------------------------------------------------------------------------------------------
# Detail


def _origin(item: Rectification):
    """``(label, url or None)`` of what the item came from."""
    if not item.content_type_id or item.object_id is None:
        return None
    origin = item.origin
    if origin is None:
        return (_("（来源记录已不存在）"), None)
    ct = item.content_type
    if ct.app_label == "rectification" and ct.model == "appraisalresult":
        return (str(origin), reverse("rectification:round.detail", kwargs={"pk": origin.round_id}))
    if hasattr(origin, "get_absolute_url"):
        return (str(origin), origin.get_absolute_url())
    try:
        url = reverse(f"{ct.app_label}:{ct.model}.detail", kwargs={"pk": origin.pk})
    except NoReverseMatch:
        url = None
    return (str(origin), url)


@never_cache
@require_GET
def item_detail(request, pk):
    item = _get_item(request, pk, "view")
    user = request.user
    tab = request.GET.get("tab", "record")
    if tab not in dict(TABS):
        tab = "record"
    today = timezone.localdate()
    ctx = {
        "item": item,
        "tab": tab,
        "tabs": TABS,
        "overdue": item.is_overdue_on(today),
        "can_edit": can(user, "edit", item) and not item.is_archived and item.status != Status.VERIFIED,
        "can_archive": can(user, "archive", item),
        "can_restore": can(user, "restore", item),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(item).select_related("actor", "content_type")
    else:
        labels = rules.move_labels()
        moves = []
        if not item.is_archived:
            for code in rules.allowed_moves(item.status):
                if can(user, code, item):
                    moves.append({"code": code, "label": labels[code], "needs": rules.MOVES[code].needs})
        ctx.update(
            {
                "origin": _origin(item),
                "changes": list(item.status_changes.select_related("actor").order_by("at", "id")),
                "evidence_files": list(
                    item.evidence_files.filter(archived_at__isnull=True).select_related("uploaded_by")
                ),
                "moves": moves,
                "evidence_form": EvidenceForm()
                if can(user, "evidence.upload", item) and not item.is_archived and item.status != Status.VERIFIED
                else None,
                "self_submitted": item.status == Status.SUBMITTED and item.submitted_by_id == user.pk,
            }
        )
    return render(request, "rectification/item_detail.html", ctx)


@never_cache
@require_POST
def item_move(request, pk):
    """One status move (start / submit / verify / return) with its evidence or reason."""
    item = _get_item(request, pk, "view")
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("状态变更：不允许的操作。"))
        return redirect("rectification:item.detail", pk=item.pk)
    code = form.cleaned_data["move"]
    if not can(request.user, code, item):
        raise PermissionDenied
    try:
        services.move_item(item, code, actor=request.user, note=form.cleaned_data["note"])
    except services.RectificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已%(move)s，当前状态：%(status)s。")
            % {"move": rules.move_labels()[code], "status": item.get_status_display()},
        )
    return redirect("rectification:item.detail", pk=item.pk)


item_archive = archive_view(
    get=lambda request, pk: _get_item(request, pk, "archive"),
    service=services.archive_item,
    reason_form=ArchiveForm,
    done=lambda item: _("已归档整改事项，可随时恢复。"),
    then="rectification:item.detail",
)
item_restore = archive_view(
    get=lambda request, pk: _get_item(request, pk, "restore"),
    service=services.restore_item,
    done=lambda item: _("已恢复整改事项。"),
    then="rectification:item.detail",
)


# ---------------------------------------------------------------------------------------------
# Evidence files


@never_cache
@require_POST
def evidence_upload(request, pk):
    item = _get_item(request, pk, "evidence.upload")
    form = EvidenceForm(request.POST, request.FILES)
    upload = form.cleaned_data.get("file") if form.is_valid() else None
    try:
        evidence = services.add_evidence(item, upload, actor=request.user)
    except services.RectificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已上传佐证材料“%(name)s”。") % {"name": evidence.original_name})
    return redirect("rectification:item.detail", pk=item.pk)


@never_cache
@require_GET
def evidence_download(request, pk):
    """The file, only through this permission-checked view; always as a download."""
    evidence = get_object_or_404(RectificationEvidence.objects.filter(archived_at__isnull=True), pk=pk)
    _get_item(request, evidence.item_id, "evidence.download")
    return stored_file_response(evidence, f"evidence-{evidence.pk}")
