"""Campaign pages: list, launch/edit/archive, stages, books and tasks, the progress grid (staff),
a branch's page (what each stage asks, upload a document to mark a task done) and my tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import get_scope
from campaigns import permissions, progress, rules, services
from campaigns.forms import BookForm, CampaignForm, CompletionForm, StageForm, TaskForm
from campaigns.models import Audience, Campaign, CampaignBook, Evidence, Stage, Task, TaskCompletion
from campaigns.permissions import can, get_visible_or_404
from common.archiving import archive_view
from common.downloads import stored_file_response
from common.editing import submit_form
from common.models import AuditEntry
from members.models import Member
from organizations.models import Unit, UnitKind

TABS = [("stages", gettext_lazy("阶段与任务")), ("history", gettext_lazy("变更记录"))]


def _campaign(request, pk, action: str | None = None) -> Campaign:
    campaign = get_visible_or_404(request.user, Campaign.objects.select_related("unit"), pk=pk)
    if action is not None and not can(request.user, action, campaign):
        raise PermissionDenied
    return campaign


def _stage(request, pk, action="campaign.manage") -> Stage:
    stage = get_object_or_404(Stage.objects.select_related("campaign"), pk=pk)
    stage.campaign = _campaign(request, stage.campaign_id, action)
    return stage


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Campaigns


@require_GET
def campaign_list(request):
    user = request.user
    campaigns = permissions.visible(user, Campaign.objects.select_related("unit")).order_by("-start_on", "-id")
    if not can(user, "campaign.manage"):
        campaigns = campaigns.filter(archived_at__isnull=True)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": list(campaigns), "can_create": can(user, "campaign.manage"), "today": _today()},
    )


def _committee_units(user):
    scope = get_scope(user)
    return (
        Unit.objects.active()
        .filter(kind__in=[UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH])
        .filter(scope.unit_q("", roles=permissions.STAFF))
        .order_by("path")
    )


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    if not can(request.user, "campaign.manage"):
        raise PermissionDenied
    unit = _committee_units(request.user).first()
    if unit is None:
        raise PermissionDenied
    posted = submit_form(
        request,
        CampaignForm(request.POST or None),
        lambda form: services.create_campaign(unit, form.data_for_service(), actor=request.user),
        error=services.CampaignError,
    )
    if posted.saved:
        campaign = posted.result
        messages.success(request, _("已发起主题活动“%(name)s”，请添加阶段、书目和任务。") % {"name": campaign.name})
        return redirect("campaigns:campaign.detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": posted.form, "unit": unit, "creating": True})


@require_GET
def campaign_detail(request, pk):
    user = request.user
    campaign = _campaign(request, pk)
    tab = request.GET.get("tab", "stages")
    if tab not in dict(TABS):
        tab = "stages"
    ctx = {
        "campaign": campaign,
        "tab": tab,
        "tabs": TABS,
        "can_manage": can(user, "campaign.manage", campaign) and not campaign.is_archived,
        "can_archive": can(user, "campaign.manage", campaign),
        "can_progress": can(user, "campaign.progress", campaign),
        "branches": list(permissions.reportable_branches(user, campaign)),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(campaign).select_related("actor", "content_type")
    else:
        ctx["stages"] = list(
            campaign.stages.prefetch_related(
                Prefetch("books", queryset=CampaignBook.objects.select_related("material")),
                Prefetch("tasks", queryset=Task.objects.select_related("meeting_kind", "book")),
            )
        )
    return render(request, "campaigns/campaign_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = _campaign(request, pk, "campaign.manage")
    response = _edit(
        request,
        form=CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk)),
        update=lambda data, version: services.update_campaign(
            campaign, data, actor=request.user, expected_version=version
        ),
        rebuild=lambda data, current: CampaignForm(data, instance=current),
        template="campaigns/campaign_form.html",
        ctx={"campaign": campaign, "unit": campaign.unit, "creating": False},
    )
    if response is None:
        messages.success(request, _("已保存主题活动“%(name)s”。") % {"name": campaign.name})
        return redirect("campaigns:campaign.detail", pk=campaign.pk)
    return response


campaign_archive = archive_view(
    get=lambda request, pk: _campaign(request, pk, "campaign.manage"),
    service=services.archive_campaign,
    done=lambda campaign: _("已归档主题活动“%(name)s”，可随时恢复。") % {"name": campaign.name},
    then="campaigns:campaign.detail",
)
campaign_restore = archive_view(
    get=lambda request, pk: _campaign(request, pk, "campaign.manage"),
    service=services.restore_campaign,
    done=lambda campaign: _("已恢复主题活动“%(name)s”。") % {"name": campaign.name},
    then="campaigns:campaign.detail",
)


# ---------------------------------------------------------------------------------------------
# Stages, books, tasks


def _edit(request, *, form, update, rebuild, template, ctx):
    """The shared edit flow: save with the form's version, or re-render (with the conflicts)."""
    posted = submit_form(
        request,
        form,
        lambda form: update(form.data_for_service(), form.cleaned_data.get("version") or 0),
        error=services.CampaignError,
        rebuild=rebuild,
    )
    if posted.saved:
        return None
    return render(request, template, {**ctx, "form": posted.form, "conflicts": posted.conflicts})


def _create(request, form, create, template, ctx):
    """The shared create flow: ``(created object, None)``, or ``(None, the form page again)``."""
    posted = submit_form(request, form, lambda form: create(form.data_for_service()), error=services.CampaignError)
    if posted.saved:
        return posted.result, None
    return None, render(request, template, {**ctx, "form": posted.form})


@require_http_methods(["GET", "POST"])
def stage_create(request, pk):
    campaign = _campaign(request, pk, "campaign.manage")
    stage, response = _create(
        request,
        StageForm(request.POST or None),
        lambda data: services.create_stage(campaign, data, actor=request.user),
        "campaigns/stage_form.html",
        {"campaign": campaign, "creating": True},
    )
    if stage is None:
        return response
    messages.success(request, _("已新增阶段“%(name)s”。") % {"name": stage.name})
    return redirect("campaigns:campaign.detail", pk=campaign.pk)


@require_http_methods(["GET", "POST"])
def stage_edit(request, pk):
    stage = _stage(request, pk)
    campaign = stage.campaign
    form = StageForm(request.POST or None, instance=Stage.objects.get(pk=stage.pk))
    response = _edit(
        request,
        form=form,
        update=lambda data, version: services.update_stage(stage, data, actor=request.user, expected_version=version),
        rebuild=lambda data, current: StageForm(data, instance=current),
        template="campaigns/stage_form.html",
        ctx={"campaign": campaign, "stage": stage, "creating": False},
    )
    if response is None:
        messages.success(request, _("已保存阶段“%(name)s”。") % {"name": stage.name})
        return redirect("campaigns:campaign.detail", pk=campaign.pk)
    return response


@require_http_methods(["GET", "POST"])
def book_create(request, pk):
    stage = _stage(request, pk)
    book, response = _create(
        request,
        BookForm(request.POST or None),
        lambda data: services.add_book(stage, data, actor=request.user),
        "campaigns/book_form.html",
        {"stage": stage, "campaign": stage.campaign},
    )
    if book is None:
        return response
    messages.success(request, _("已新增书目《%(title)s》。") % {"title": book.title})
    return redirect("campaigns:campaign.detail", pk=stage.campaign_id)


@require_http_methods(["GET", "POST"])
def task_create(request, pk):
    stage = _stage(request, pk)
    task, response = _create(
        request,
        TaskForm(request.POST or None, stage=stage, initial={"due_on": stage.end_on}),
        lambda data: services.create_task(stage, data, actor=request.user),
        "campaigns/task_form.html",
        {"stage": stage, "campaign": stage.campaign, "creating": True},
    )
    if task is None:
        return response
    messages.success(request, _("已新增任务“%(title)s”。") % {"title": task.title})
    return redirect("campaigns:campaign.detail", pk=stage.campaign_id)


@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = get_object_or_404(Task.objects.select_related("stage"), pk=pk)
    stage = _stage(request, task.stage_id)
    task.stage = stage
    form = TaskForm(request.POST or None, stage=stage, instance=Task.objects.get(pk=task.pk))
    response = _edit(
        request,
        form=form,
        update=lambda data, version: services.update_task(task, data, actor=request.user, expected_version=version),
        rebuild=lambda data, current: TaskForm(data, stage=stage, instance=current),
        template="campaigns/task_form.html",
        ctx={"campaign": stage.campaign, "stage": stage, "task": task, "creating": False},
    )
    if response is None:
        messages.success(request, _("已保存任务“%(title)s”。") % {"title": task.title})
        return redirect("campaigns:campaign.detail", pk=stage.campaign_id)
    return response


# ---------------------------------------------------------------------------------------------
# Progress


@require_GET
def campaign_progress(request, pk):
    """Branches × tasks for committee staff and inspectors."""
    campaign = _campaign(request, pk, "campaign.progress")
    today = _today()
    data = progress.campaign_progress(campaign)
    shown = data.branch_tasks()
    grid = rules.branch_grid([data.facts_by_id[t.pk] for t in shown], [b.pk for b in data.branches], data.facts, today)
    rows = [
        (branch, list(zip(shown, row.states, strict=True)), row)
        for branch, row in zip(data.branches, grid, strict=True)
    ]
    committee = [
        (t, rules.committee_task_state(data.facts_by_id[t.pk], campaign.unit_id, data.facts, today))
        for t in data.committee_tasks()
    ]
    return render(
        request,
        "campaigns/campaign_progress.html",
        {"campaign": campaign, "tasks": shown, "rows": rows, "committee": committee, "today": today},
    )


def _branch(request, campaign, unit_id, action="branch.view") -> Unit:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not permissions.branch_in_campaign(campaign, unit) or not permissions.unit_in_scope(request.user, unit):
        raise Http404
    if not can(request.user, action, unit):
        raise PermissionDenied
    return unit


@require_GET
def campaign_branch(request, pk, unit_id):
    """What each stage asks of the branch, its state, and the uploads that mark document tasks done."""
    campaign = _campaign(request, pk)
    unit = _branch(request, campaign, unit_id)
    today = _today()
    tasks, task_facts = progress.load_tasks(campaign)
    facts = progress.load_facts(campaign, [unit.pk], with_committee=False)
    member_ids = facts.branch_members.get(unit.pk, [])
    names = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "name"))
    completions = {
        c.task_id: c
        for c in TaskCompletion.objects.filter(task__stage__campaign=campaign, unit=unit).select_related("completed_by")
    }
    can_report = can(request.user, "branch.report", unit) and not campaign.is_archived
    stages = list(campaign.stages.prefetch_related("books"))
    by_stage = {s.pk: [] for s in stages}
    for task in tasks:
        if task.audience == Audience.COMMITTEE:
            continue
        fact = task_facts[task.pk]
        state = rules.branch_task_state(fact, unit.pk, facts, today)
        missing = []
        if task.audience == Audience.MEMBER:
            missing = sorted(names.get(m, "") for m in member_ids if not rules.member_done(fact, m, facts))
        by_stage[task.stage_id].append(
            {
                "task": task,
                "state": state,
                "missing": missing,
                "completion": completions.get(task.pk),
                "upload": can_report and task.evidence == Evidence.DOCUMENT and task.pk not in completions,
            }
        )
    return render(
        request,
        "campaigns/campaign_branch.html",
        {
            "campaign": campaign,
            "unit": unit,
            "stages": [(s, by_stage[s.pk]) for s in stages],
            "completion_form": CompletionForm(),
            "can_report": can_report,
            "can_review": can(request.user, "reflection.review", unit),
            "today": today,
        },
    )


@require_POST
def task_complete(request, pk, unit_id):
    task = get_object_or_404(Task.objects.select_related("stage"), pk=pk)
    campaign = _campaign(request, task.stage.campaign_id)
    unit = _branch(request, campaign, unit_id, "branch.report")
    form = CompletionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("完成材料：请选择要上传的文件。"))
    else:
        try:
            services.complete_task(
                task, unit, form.cleaned_data["file"], actor=request.user, note=form.cleaned_data["note"]
            )
        except services.CampaignError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已上报“%(t)s”完成。") % {"t": task.title})
    return redirect("campaigns:campaign.branch", pk=campaign.pk, unit_id=unit.pk)


@require_GET
def completion_download(request, pk):
    completion = get_object_or_404(TaskCompletion.objects.select_related("task__stage", "unit"), pk=pk)
    campaign = _campaign(request, completion.task.stage.campaign_id)
    unit = completion.unit
    if unit.kind == UnitKind.BRANCH:
        _branch(request, campaign, unit.pk)
    elif not can(request.user, "campaign.progress", campaign):
        raise Http404
    return stored_file_response(completion, f"completion-{completion.pk}")


@require_GET
def my_tasks(request):
    """The signed-in member's tasks in the running campaigns, with their state."""
    user = request.user
    today = _today()
    member = Member.objects.filter(user=user).first()
    branch = services.current_branch(member) if member else None
    sections = []
    if member is not None and branch is not None:
        campaigns = permissions.visible(user, Campaign.objects.active().select_related("unit")).filter(
            start_on__lte=today, end_on__gte=today
        )
        for campaign in campaigns:
            if not branch.path.startswith(campaign.unit.path):
                continue
            tasks, task_facts = progress.load_tasks(campaign)
            mine = [t for t in tasks if t.audience == Audience.MEMBER]
            facts = progress.load_facts(campaign, [], member_ids=[member.pk], with_committee=False)
            rows = [(t, rules.member_task_state(task_facts[t.pk], member.pk, facts, today)) for t in mine]
            sections.append((campaign, rows))
    reflections = []
    if member is not None:
        reflections = list(member.reading_reflections.select_related("book", "stage").order_by("-submitted_at")[:20])
    return render(
        request,
        "campaigns/my_tasks.html",
        {"member": member, "branch": branch, "sections": sections, "reflections": reflections, "today": today},
    )
