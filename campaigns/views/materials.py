"""The materials library: search (title and extracted text), detail, permission-checked download,
mark as read; committee staff upload, edit, archive and restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import services
from campaigns.forms import MaterialForm, MaterialSearchForm
from campaigns.models import CampaignBook, Material, MaterialRead, MaterialTopic
from campaigns.permissions import can, get_visible_or_404, visible
from common.archiving import archive_view
from common.downloads import stored_file_response
from common.editing import submit_form
from common.errors import add_to_form
from common.models import AuditEntry

PAGE_SIZE = 30
TABS = [("info", gettext_lazy("资料")), ("history", gettext_lazy("变更记录"))]


def search_materials(queryset, q: str):
    """Materials whose title or extracted text contains ``q`` (case-insensitive).

    ``icontains`` scans every row's text: fine for a committee library of a few thousand
    documents (a few MB of text). Far beyond that, a full-text index (PostgreSQL ``tsvector``
    with a Chinese parser such as zhparser) should replace it.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(Q(title__icontains=q) | Q(text__icontains=q))


def _material(request, pk, action: str = "material.view") -> Material:
    if not can(request.user, "material.view"):
        raise Http404
    material = get_visible_or_404(
        request.user, Material.objects.select_related("stage__campaign", "uploaded_by"), pk=pk
    )
    if material.is_archived and not can(request.user, "material.manage"):
        raise Http404
    if not can(request.user, action, material):
        raise PermissionDenied
    return material


@require_GET
def material_list(request):
    user = request.user
    if not can(user, "material.view"):
        raise Http404
    manage = can(user, "material.manage")
    form = MaterialSearchForm(request.GET or None)
    qs = visible(user, Material.objects.all())
    q = ""
    if form.is_valid():
        q = form.cleaned_data["q"]
        qs = search_materials(qs, q)
        if form.cleaned_data["topic"]:
            qs = qs.filter(topic_rows__topic=form.cleaned_data["topic"])
        if not (manage and form.cleaned_data["archived"]):
            qs = qs.filter(archived_at__isnull=True)
    else:
        qs = qs.filter(archived_at__isnull=True)
    qs = (
        qs.select_related("stage__campaign")
        .prefetch_related(Prefetch("topic_rows", queryset=MaterialTopic.objects.order_by("id")))
        .annotate(
            read_count=Count("reads", distinct=True),
            read_by_me=Exists(MaterialRead.objects.filter(material=OuterRef("pk"), user_id=user.pk)),
        )
        .order_by("-created_at", "-id")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for material in page.object_list:
        material.hit = excerpt(material.text, q) if q and q.lower() not in material.title.lower() else ""
    return render(
        request,
        "campaigns/material_list.html",
        {
            "form": form,
            "page": page,
            "count": paginator.count,
            "q": q,
            "can_manage": manage,
        },
    )


def excerpt(text: str, q: str, width: int = 60) -> str:
    """A short piece of ``text`` around the first hit of ``q`` (for the search results)."""
    if not q or not text:
        return ""
    at = text.lower().find(q.lower())
    if at < 0:
        return ""
    start, end = max(0, at - width), min(len(text), at + len(q) + width)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


@require_http_methods(["GET", "POST"])
def material_create(request):
    if not can(request.user, "material.manage"):
        raise PermissionDenied
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = services.upload_material(form.data_for_service(), form.cleaned_data["file"], actor=request.user)
        except services.CampaignError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已上传学习资料“%(t)s”。") % {"t": material.title})
            return redirect("campaigns:material.detail", pk=material.pk)
    return render(request, "campaigns/material_form.html", {"form": form, "creating": True})


@require_GET
def material_detail(request, pk):
    user = request.user
    material = _material(request, pk)
    tab = request.GET.get("tab", "info")
    if tab not in dict(TABS):
        tab = "info"
    ctx = {
        "material": material,
        "tab": tab,
        "tabs": TABS,
        "topics": material.topic_labels(),
        "read": MaterialRead.objects.filter(material=material, user=user).first(),
        "read_count": material.reads.count(),
        "can_manage": can(user, "material.manage"),
        "books": list(CampaignBook.objects.filter(material=material).select_related("stage__campaign")),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(material).select_related("actor", "content_type")
    return render(request, "campaigns/material_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def material_edit(request, pk):
    material = _material(request, pk, "material.manage")
    if material.is_archived:
        messages.error(request, _("该资料已归档，请先恢复再修改。"))
        return redirect("campaigns:material.detail", pk=material.pk)
    posted = submit_form(
        request,
        MaterialForm(request.POST or None, material=material),
        lambda form: services.update_material(
            material, form.data_for_service(), actor=request.user, expected_version=form.cleaned_data["version"] or 0
        ),
        error=services.CampaignError,
        rebuild=lambda data, current: MaterialForm(data, material=current),
    )
    if posted.saved:
        messages.success(request, _("已保存学习资料“%(t)s”。") % {"t": material.title})
        return redirect("campaigns:material.detail", pk=material.pk)
    return render(
        request,
        "campaigns/material_form.html",
        {"form": posted.form, "material": material, "creating": False, "conflicts": posted.conflicts},
    )


material_archive = archive_view(
    get=lambda request, pk: _material(request, pk, "material.manage"),
    service=services.archive_material,
    done=lambda material: _("已归档学习资料“%(t)s”，可随时恢复。") % {"t": material.title},
    then="campaigns:material.detail",
)
material_restore = archive_view(
    get=lambda request, pk: _material(request, pk, "material.manage"),
    service=services.restore_material,
    done=lambda material: _("已恢复学习资料“%(t)s”。") % {"t": material.title},
    then="campaigns:material.detail",
)


@require_GET
def material_download(request, pk):
    """The file, only through this permission-checked view; always as a download."""
    material = _material(request, pk)
    return stored_file_response(material, f"material-{material.pk}")


@require_POST
def material_read(request, pk):
    material = _material(request, pk)
    if material.is_archived:
        messages.error(request, _("该资料已归档。"))
    else:
        _row, created = services.mark_material_read(material, actor=request.user)
        if created:
            messages.success(request, _("已标记为已读。"))
        else:
            messages.info(request, _("您已标记过该资料为已读。"))
    return redirect("campaigns:material.detail", pk=material.pk)
