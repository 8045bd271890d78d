"""Reading-reflection pages: list, submit, detail (comments, choose for the exchange), compare a
flagged reflection with its source, and link the reflections discussed to an exchange meeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import get_scope
from campaigns import permissions, rules, services
from campaigns.forms import CommentForm, LinkForm, ReflectionFilterForm, ReflectionForm
from campaigns.models import Campaign, CampaignBook, ReadingReflection, ReflectionStatus
from campaigns.permissions import can, get_visible_or_404
from common.archiving import archive_view
from common.errors import add_to_form
from common.models import AuditEntry
from common.similarity import shared_passages
from members.models import Member
from organizations.models import Unit, UnitKind

PAGE_SIZE = 50
TABS = [("text", gettext_lazy("心得")), ("history", gettext_lazy("变更记录"))]


def _reflection(request, pk, action: str | None = None) -> ReadingReflection:
    qs = ReadingReflection.objects.select_related("member", "unit", "stage__campaign", "book", "similar_to")
    reflection = get_visible_or_404(request.user, qs, pk=pk)
    if action is not None and not can(request.user, action, reflection):
        raise PermissionDenied
    return reflection


def _reviewable_units(user):
    scope = get_scope(user)
    return Unit.objects.active().filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=permissions.BRANCH_REPORT))


@require_GET
def reflection_list(request):
    user = request.user
    campaigns = permissions.visible(user, Campaign.objects.all()).order_by("-start_on")
    form = ReflectionFilterForm(request.GET or None, campaigns=campaigns)
    qs = permissions.visible(user, ReadingReflection.objects.all())
    if form.is_valid():
        if form.cleaned_data["campaign"]:
            qs = qs.filter(stage__campaign=form.cleaned_data["campaign"])
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["flagged"]:
            qs = qs.filter(similar_to__isnull=False)
    qs = (
        qs.select_related("member", "unit", "stage", "book")
        .annotate(comment_count=Count("comments", distinct=True), meeting_count=Count("meetings", distinct=True))
        .order_by("-submitted_at", "-id")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/reflection_list.html",
        {
            "form": form,
            "page": page,
            "count": paginator.count,
            "review_units": list(_reviewable_units(user).order_by("path")),
            "can_submit": Member.objects.filter(user=user).exists(),
        },
    )


def _open_books(today):
    return (
        CampaignBook.objects.filter(
            stage__campaign__archived_at__isnull=True, stage__start_on__lte=today, stage__campaign__end_on__gte=today
        )
        .select_related("stage__campaign")
        .order_by("-stage__campaign__start_on", "stage__order", "order")
    )


@require_http_methods(["GET", "POST"])
def reflection_create(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise PermissionDenied
    today = timezone.localdate()
    books = _open_books(today)
    branch = services.current_branch(member)
    if branch is not None:
        books = books.filter(stage__campaign__unit__path__in=branch.ancestor_paths())
    initial = {}
    if request.GET.get("book"):
        initial["book"] = request.GET["book"]
    form = ReflectionForm(request.POST or None, books=books, initial=initial)
    minimum = None
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.submit_reflection(member, form.data_for_service(), actor=request.user, today=today)
        except services.CampaignError as exc:
            add_to_form(form, exc)
        else:
            if reflection.is_flagged:
                messages.warning(
                    request,
                    _("已提交读书心得“%(t)s”。系统发现它与另一篇心得高度相似，已标注供支部参考。")
                    % {"t": reflection.title},
                )
            else:
                messages.success(request, _("已提交读书心得“%(t)s”。") % {"t": reflection.title})
            return redirect("campaigns:reflection.detail", pk=reflection.pk)
    mins = sorted({b.stage.campaign.reflection_min_chars for b in books})
    if mins:
        minimum = mins[0] if len(mins) == 1 else None
    return render(request, "campaigns/reflection_form.html", {"form": form, "minimum": minimum, "member": member})


@require_GET
def reflection_detail(request, pk):
    user = request.user
    reflection = _reflection(request, pk, "reflection.view")
    tab = request.GET.get("tab", "text")
    if tab not in dict(TABS):
        tab = "text"
    can_review = can(user, "reflection.review", reflection)
    ctx = {
        "reflection": reflection,
        "tab": tab,
        "tabs": TABS,
        "can_review": can_review,
        "can_select": can_review and rules.can_move(reflection.status, ReflectionStatus.SELECTED),
        "can_unselect": can_review and reflection.status == ReflectionStatus.SELECTED,
        "chars": rules.counted_chars(reflection.text),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(reflection).select_related("actor", "content_type")
    else:
        ctx.update(
            {
                "comments": list(reflection.comments.select_related("author")),
                "meetings": list(reflection.meetings.order_by("date")),
                "copies": list(
                    permissions.visible(user, ReadingReflection.objects.filter(similar_to=reflection)).select_related(
                        "member", "unit"
                    )
                ),
                "comment_form": CommentForm() if can_review else None,
            }
        )
    return render(request, "campaigns/reflection_detail.html", ctx)


@require_POST
def reflection_comment(request, pk):
    reflection = _reflection(request, pk, "reflection.review")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("点评：不能为空。"))
    else:
        try:
            services.comment_reflection(reflection, form.cleaned_data["text"], actor=request.user)
        except services.CampaignError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已点评。"))
    return redirect("campaigns:reflection.detail", pk=reflection.pk)


reflection_select = archive_view(
    get=lambda request, pk: _reflection(request, pk, "reflection.review"),
    service=services.select_reflection,
    done=lambda reflection: _("已选入本季度读书心得交流。"),
    then="campaigns:reflection.detail",
)


reflection_unselect = archive_view(
    get=lambda request, pk: _reflection(request, pk, "reflection.review"),
    service=services.unselect_reflection,
    done=lambda reflection: _("已取消入选。"),
    then="campaigns:reflection.detail",
)


@require_GET
def reflection_compare(request, pk):
    """A flagged reflection beside its source, the shared passages marked."""
    reflection = _reflection(request, pk, "reflection.view")
    source = reflection.similar_to
    if source is None:
        raise Http404
    source_visible = permissions.visible(request.user, ReadingReflection.objects.filter(pk=source.pk)).exists()
    spans = shared_passages(reflection.text, source.text)
    ctx = {
        "reflection": reflection,
        "source": source,
        "source_visible": source_visible,
        "mine": rules.marked_segments(reflection.text, [(a, b) for a, b, _c, _d in spans]),
        "percent": round((reflection.similarity or 0) * 100),
        "source_unit": Unit.objects.filter(pk=source.unit_id).values_list("name", flat=True).first(),
    }
    if source_visible:
        ctx["theirs"] = rules.marked_segments(source.text, [(c, d) for _a, _b, c, d in spans])
        ctx["source_member"] = source.member.name
    return render(request, "campaigns/reflection_compare.html", ctx)


@require_http_methods(["GET", "POST"])
def reflection_link(request, unit_id):
    """关联到交流会: choose one of the branch's reading-exchange meetings and the reflections discussed."""
    unit = get_object_or_404(Unit, pk=unit_id, kind=UnitKind.BRANCH)
    if not permissions.unit_in_scope(request.user, unit):
        raise Http404
    if not can(request.user, "reflection.review", unit):
        raise PermissionDenied
    meetings = services.exchange_meetings(unit)
    reflections = (
        ReadingReflection.objects.filter(unit=unit).select_related("member", "book").order_by("-submitted_at", "-id")
    )
    meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
    chosen = meetings.filter(pk=meeting_id).first() if meeting_id and str(meeting_id).isdigit() else meetings.first()
    initial = {}
    if chosen is not None:
        initial = {"meeting": chosen.pk, "reflections": list(chosen.reading_reflections.values_list("pk", flat=True))}
        if not initial["reflections"]:
            initial["reflections"] = [r.pk for r in reflections if r.status == ReflectionStatus.SELECTED]
    form = LinkForm(request.POST or None, meetings=meetings, reflections=reflections, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            linked = services.link_reflections(meeting, form.cleaned_data["reflections"], actor=request.user)
        except services.CampaignError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("已将 %(n)s 篇心得关联到交流会“%(t)s”。") % {"n": len(linked), "t": meeting.topic}
            )
            return redirect(
                reverse("campaigns:reflection.link", kwargs={"unit_id": unit.pk}) + f"?meeting={meeting.pk}"
            )
    return render(
        request,
        "campaigns/reflection_link.html",
        {"unit": unit, "form": form, "has_meetings": meetings.exists(), "chosen": chosen},
    )
