"""组织生活会 package pages: index, overview per branch and year, 谈心谈话 (list, create, detail,
edit, archive/restore, coverage grid), 对照检查材料 (list, edit, detail, submit, return, attachments),
the meeting's criticism and problems page, and raising a problem as a rectification item."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.archiving import archive_view
from common.downloads import stored_file_response
from common.editing import submit_form
from common.errors import add_to_form
from common.models import AuditEntry
from lifemeetings import overview, rules, services
from lifemeetings.forms import (
    AttachmentForm,
    CriticismForm,
    MaterialForm,
    ProblemForm,
    RaiseForm,
    ReturnForm,
    TalkForm,
)
from lifemeetings.models import CriticismEntry, HeartTalk, MaterialAttachment, PersonalProblem, ReviewMaterial
from lifemeetings.permissions import can, get_visible_or_404, unit_in_scope, visible, visible_branches
from meetings.models import BuiltinKind, Meeting
from members.models import Member
from organizations.models import Unit, UnitKind

TABS = [("record", gettext_lazy("记录")), ("history", gettext_lazy("变更记录"))]


def _tab(request) -> str:
    tab = request.GET.get("tab", "record")
    return tab if tab in dict(TABS) else "record"


def _history(obj):
    return AuditEntry.objects.for_object(obj).select_related("actor", "content_type")


def _branch(request, unit_id, year, action: str | None = "package.view") -> Unit:
    """The branch if in the user's scope (else 404) and ``action`` allowed on it (else 403)."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=unit_id, kind=UnitKind.BRANCH)
    if not 2000 <= year <= 2100 or not unit_in_scope(request.user, unit):
        raise Http404
    if action is not None and not can(request.user, action, unit):
        raise PermissionDenied
    return unit


def _life_meeting(request, meeting_id, action: str = "package.view") -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("unit", "host", "recorder").filter(kinds__code=BuiltinKind.LIFE_MEETING),
        pk=meeting_id,
    )
    if not unit_in_scope(request.user, meeting.unit):
        raise Http404
    if not can(request.user, action, meeting):
        raise PermissionDenied
    return meeting


def _get(request, model, pk, action: str, *related):
    obj = get_visible_or_404(request.user, model.objects.select_related(*related), pk=pk)
    if not can(request.user, action, obj):
        raise PermissionDenied
    return obj


# ---------------------------------------------------------------------------------------------
# Index and overview


@require_GET
def package_index(request):
    user = request.user
    today = timezone.localdate()
    years = [today.year, today.year - 1]
    branches = list(visible_branches(user).active().order_by("path"))
    own_talks = list(
        HeartTalk.objects.active()
        .filter(Q(initiator__user_id=user.pk) | Q(counterpart__user_id=user.pk))
        .select_related("unit", "initiator", "counterpart")
        .order_by("-date", "-id")[:50]
    )
    own_materials = list(
        ReviewMaterial.objects.active().filter(member__user_id=user.pk).select_related("unit").order_by("-year")
    )
    return render(
        request,
        "lifemeetings/package_index.html",
        {
            "branches": branches,
            "years": years,
            "own_talks": own_talks,
            "own_materials": own_materials,
        },
    )


@require_GET
def package_overview(request, unit_id, year):
    unit = _branch(request, unit_id, year)
    return render(
        request,
        "lifemeetings/package_overview.html",
        {
            "unit": unit,
            "year": year,
            "ov": overview.package_overview(unit, year),
            "can_manage": can(request.user, "talk.create", unit),
        },
    )


# ---------------------------------------------------------------------------------------------
# 谈心谈话


@require_GET
def talk_list(request, unit_id, year):
    unit = _branch(request, unit_id, year, action=None)
    user = request.user
    talks = (
        visible(user, HeartTalk.objects.filter(unit=unit, year=year))
        .filter(archived_at__isnull=True)
        .select_related("initiator", "counterpart", "recorded_by")
        .order_by("-date", "-id")
    )
    return render(
        request,
        "lifemeetings/talk_list.html",
        {
            "unit": unit,
            "year": year,
            "talks": list(talks),
            "can_create": can(user, "talk.create", unit),
            "can_view_package": can(user, "package.view", unit),
        },
    )


def _talk_members(unit, year, *extra):
    members = services.branch_roster(unit, year)
    known = {m.pk for m in members}
    return members + [m for m in extra if m is not None and m.pk not in known]


@require_http_methods(["GET", "POST"])
def talk_create(request, unit_id, year):
    unit = _branch(request, unit_id, year, action="talk.create")
    form = TalkForm(request.POST or None, members=_talk_members(unit, year), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.record_talk(unit, {"year": year, **form.talk_data()}, actor=request.user)
        except services.LifeMeetingError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已登记谈心谈话：%(talk)s。") % {"talk": talk})
            return redirect("lifemeetings:talk.list", unit_id=unit.pk, year=year)
    return render(request, "lifemeetings/talk_form.html", {"form": form, "unit": unit, "year": year, "creating": True})


@require_GET
def talk_detail(request, pk):
    talk = _get(request, HeartTalk, pk, "talk.view", "unit", "initiator", "counterpart", "recorded_by")
    tab = _tab(request)
    return render(
        request,
        "lifemeetings/talk_detail.html",
        {
            "talk": talk,
            "tab": tab,
            "tabs": TABS,
            "entries": _history(talk) if tab == "history" else None,
            "can_edit": can(request.user, "talk.edit", talk),
        },
    )


@require_http_methods(["GET", "POST"])
def talk_edit(request, pk):
    talk = _get(request, HeartTalk, pk, "talk.edit", "unit", "initiator", "counterpart")
    if talk.is_archived:
        messages.error(request, _("该谈话记录已归档，请先恢复再修改。"))
        return redirect("lifemeetings:talk.detail", pk=talk.pk)
    members = _talk_members(talk.unit, talk.year, talk.initiator, talk.counterpart)
    if request.method == "POST":
        form = TalkForm(request.POST, members=members)
    else:
        form = TalkForm(
            members=members,
            initial={
                "date": talk.date,
                "initiator": talk.initiator_id,
                "counterpart": talk.counterpart_id,
                "summary": talk.summary,
                "version": talk.version,
            },
        )
    posted = submit_form(
        request,
        form,
        lambda form: services.update_talk(
            talk, form.talk_data(), actor=request.user, expected_version=form.cleaned_data["version"] or 0
        ),
        error=services.LifeMeetingError,
        rebuild=lambda data, current: TalkForm(data, members=members),
    )
    if posted.saved:
        messages.success(request, _("已保存谈心谈话。"))
        return redirect("lifemeetings:talk.detail", pk=talk.pk)
    return render(
        request,
        "lifemeetings/talk_form.html",
        {
            "form": posted.form,
            "unit": talk.unit,
            "year": talk.year,
            "talk": talk,
            "creating": False,
            "conflicts": posted.conflicts,
        },
    )


talk_archive = archive_view(
    get=lambda request, pk: _get(request, HeartTalk, pk, "talk.archive", "unit"),
    service=services.archive_talk,
    done=lambda talk: _("已归档该谈话记录，可随时恢复。"),
    then="lifemeetings:talk.detail",
)
talk_restore = archive_view(
    get=lambda request, pk: _get(request, HeartTalk, pk, "talk.restore", "unit"),
    service=services.restore_talk,
    done=lambda talk: _("已恢复该谈话记录。"),
    then="lifemeetings:talk.detail",
)


@require_GET
def talk_coverage(request, unit_id, year):
    unit = _branch(request, unit_id, year)
    view = services.talk_coverage(unit, year)
    cov = view.coverage
    rows = [
        (
            c,
            [("self" if c.pk == m.pk else "done" if cov.is_done(c.pk, m.pk) else "missing", m) for m in view.members],
            sum(1 for m in view.members if m.pk != c.pk and not cov.is_done(c.pk, m.pk)),
        )
        for c in view.committee
    ]
    names = {m.pk: m.name for m in view.members}
    missing = sorted((names.get(a, "?"), names.get(b, "?")) for a, b in cov.missing)
    return render(
        request,
        "lifemeetings/talk_coverage.html",
        {
            "unit": unit,
            "year": year,
            "cov": cov,
            "members": view.members,
            "rows": rows,
            "missing": missing,
            "can_create": can(request.user, "talk.create", unit),
        },
    )


# ---------------------------------------------------------------------------------------------
# 对照检查材料


@require_GET
def material_list(request, unit_id, year):
    unit = _branch(request, unit_id, year, action=None)
    user = request.user
    materials = {
        m.member_id: m
        for m in visible(user, ReviewMaterial.objects.filter(unit=unit, year=year, archived_at__isnull=True))
    }
    committee = []
    if can(user, "package.view", unit):
        seated = services.committee_ids(unit, year)
        people = Member.objects.filter(pk__in=seated | set(materials)).order_by("name", "id")
    else:
        people = Member.objects.filter(user_id=user.pk, pk__in=services.committee_ids(unit, year) | set(materials))
    for person in people:
        material = materials.get(person.pk)
        probe = material or ReviewMaterial(unit=unit, year=year, member=person)
        committee.append((person, material, can(user, "material.edit", probe)))
    return render(
        request,
        "lifemeetings/material_list.html",
        {"unit": unit, "year": year, "rows": committee, "can_view_package": can(user, "package.view", unit)},
    )


@require_http_methods(["GET", "POST"])
def material_edit(request, unit_id, year, member_id):
    unit = _branch(request, unit_id, year, action=None)
    member = get_object_or_404(Member, pk=member_id)
    material = ReviewMaterial.objects.filter(unit=unit, year=year, member=member).first()
    probe = material or ReviewMaterial(unit=unit, year=year, member=member)
    if not can(request.user, "material.view", probe) and not can(request.user, "material.edit", probe):
        raise Http404
    if not can(request.user, "material.edit", probe):
        raise PermissionDenied
    if material is None and member.pk not in services.committee_ids(unit, year):
        raise Http404  # only the year's committee members write a material
    form = MaterialForm(
        request.POST or None,
        initial={"text": getattr(material, "text", ""), "version": getattr(material, "version", 0)},
    )
    if material is not None and material.status == "submitted":
        messages.info(request, _("材料已提交，不能再修改；如需修改请由支部书记退回。"))
        return redirect("lifemeetings:material.detail", pk=material.pk)

    def save(form):
        data = {"text": form.cleaned_data["text"]}
        if material is None:
            return services.create_material(unit, year, member, data, actor=request.user)
        return services.update_material(
            material, data, actor=request.user, expected_version=form.cleaned_data["version"] or 0
        )

    posted = submit_form(
        request,
        form,
        save,
        error=services.LifeMeetingError,
        rebuild=lambda data, current: MaterialForm(data),
    )
    if posted.saved:
        messages.success(request, _("已保存%(name)s的对照检查材料（草稿）。") % {"name": member.name})
        return redirect("lifemeetings:material.detail", pk=posted.result.pk)
    return render(
        request,
        "lifemeetings/material_form.html",
        {
            "form": posted.form,
            "unit": unit,
            "year": year,
            "member": member,
            "material": material,
            "conflicts": posted.conflicts,
        },
    )


@require_GET
def material_detail(request, pk):
    material = _get(request, ReviewMaterial, pk, "material.view", "unit", "member", "created_by")
    user = request.user
    tab = _tab(request)
    editable = material.status == "draft" and not material.is_archived
    return render(
        request,
        "lifemeetings/material_detail.html",
        {
            "material": material,
            "tab": tab,
            "tabs": TABS,
            "entries": _history(material) if tab == "history" else None,
            "attachments": list(material.attachments.select_related("uploaded_by")),
            "can_edit": editable and can(user, "material.edit", material),
            "can_submit": editable and can(user, "material.submit", material),
            "can_return": material.status == "submitted" and can(user, "material.return", material),
            "attachment_form": AttachmentForm() if editable and can(user, "material.upload", material) else None,
        },
    )


@require_POST
def material_submit(request, pk):
    material = _get(request, ReviewMaterial, pk, "material.submit", "unit", "member")
    try:
        services.submit_material(material, actor=request.user)
    except services.LifeMeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已提交%(name)s的对照检查材料。") % {"name": material.member.name})
    return redirect("lifemeetings:material.detail", pk=material.pk)


@require_POST
def material_return(request, pk):
    material = _get(request, ReviewMaterial, pk, "material.return", "unit", "member")
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.return_material(material, reason, actor=request.user)
    except services.LifeMeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已退回%(name)s的对照检查材料。") % {"name": material.member.name})
    return redirect("lifemeetings:material.detail", pk=material.pk)


@require_POST
def material_upload(request, pk):
    material = _get(request, ReviewMaterial, pk, "material.upload", "unit", "member")
    form = AttachmentForm(request.POST, request.FILES)
    try:
        attachment = services.add_material_attachment(
            material, form.cleaned_data.get("file") if form.is_valid() else None, actor=request.user
        )
    except services.LifeMeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已上传附件“%(name)s”。") % {"name": attachment.original_name})
    return redirect("lifemeetings:material.detail", pk=material.pk)


@require_GET
def material_download(request, pk):
    """The file, only through this permission-checked view; always as a download."""
    attachment = get_object_or_404(MaterialAttachment, pk=pk)
    _get(request, ReviewMaterial, attachment.material_id, "material.view", "unit", "member")
    return stored_file_response(attachment, f"material-{attachment.pk}")


# ---------------------------------------------------------------------------------------------
# At the meeting: criticism and problems


def _meeting_members(meeting: Meeting, *extra) -> list[Member]:
    members = list(Member.objects.in_unit_on(meeting.unit, meeting.date).order_by("name", "id"))
    known = {m.pk for m in members}
    return members + [m for m in extra if m is not None and m.pk not in known]


def _meeting_page(request, meeting, *, criticism_form=None, problem_form=None, status=200):
    user = request.user
    members = _meeting_members(meeting)
    can_record = can(user, "life.record", meeting) and not meeting.is_archived
    ctx = overview.meeting_page(meeting)
    ctx.update(
        {
            "meeting": meeting,
            "package_year": meeting.held_for_year or rules.package_year(meeting.date),
            "can_record": can_record,
            "can_raise": can(user, "problem.raise", meeting) and services.rectification_available(),
            "criticism_form": criticism_form or (CriticismForm(members=members) if can_record else None),
            "problem_form": problem_form or (ProblemForm(members=members) if can_record else None),
        }
    )
    return render(request, "lifemeetings/meeting_detail.html", ctx, status=status)


@require_GET
def meeting_detail(request, meeting_id):
    return _meeting_page(request, _life_meeting(request, meeting_id))


@require_POST
def criticism_create(request, meeting_id):
    meeting = _life_meeting(request, meeting_id, "life.record")
    form = CriticismForm(request.POST, members=_meeting_members(meeting))
    if form.is_valid():
        try:
            entry = services.record_criticism(meeting, form.entry_data(), actor=request.user)
        except services.LifeMeetingError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("已登记%(name)s的%(kind)s。") % {"name": entry.subject.name, "kind": entry.get_kind_display()},
            )
            return redirect("lifemeetings:meeting.detail", meeting_id=meeting.pk)
    messages.error(request, _("未保存：请按提示修改后再提交。"))
    return _meeting_page(request, meeting, criticism_form=form)


@require_POST
def problem_create(request, meeting_id):
    meeting = _life_meeting(request, meeting_id, "life.record")
    form = ProblemForm(request.POST, members=_meeting_members(meeting))
    if form.is_valid():
        try:
            problem = services.record_problem(meeting, form.problem_data(), actor=request.user)
        except services.LifeMeetingError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已登记%(name)s的查摆问题。") % {"name": problem.member.name})
            return redirect("lifemeetings:meeting.detail", meeting_id=meeting.pk)
    messages.error(request, _("未保存：请按提示修改后再提交。"))
    return _meeting_page(request, meeting, problem_form=form)


def _entry(request, model, pk, action="life.record"):
    return _get(request, model, pk, action, "meeting", "meeting__unit")


def _edit_entry(request, obj, form_class, data_method, service, template_name, done):
    if obj.is_archived:
        messages.error(request, _("该条目已归档，不能修改。"))
        return redirect("lifemeetings:meeting.detail", meeting_id=obj.meeting_id)
    members = _meeting_members(obj.meeting, *(getattr(obj, n, None) for n in ("subject", "by_member", "member")))
    if request.method == "POST":
        form = form_class(request.POST, members=members)
    else:
        initial = {
            name: getattr(obj, field.attname)
            for name, field in ((f, obj._meta.get_field(f)) for f in form_class.base_fields if f != "version")
        }
        initial["version"] = obj.version
        form = form_class(members=members, initial=initial)
    posted = submit_form(
        request,
        form,
        lambda form: service(
            obj, getattr(form, data_method)(), actor=request.user, expected_version=form.cleaned_data["version"] or 0
        ),
        error=services.LifeMeetingError,
        rebuild=lambda data, current: form_class(data, members=members),
    )
    if posted.saved:
        messages.success(request, done)
        return redirect("lifemeetings:meeting.detail", meeting_id=obj.meeting_id)
    return render(
        request,
        template_name,
        {
            "form": posted.form,
            "obj": obj,
            "meeting": obj.meeting,
            "conflicts": posted.conflicts,
            "entries": _history(obj),
        },
    )


def _entry_views(model, form_class, data_method, update, archive, template_name, saved, archived):
    """The edit and archive views of an entry recorded at a meeting (criticism, personal problem)."""

    @require_http_methods(["GET", "POST"])
    def edit(request, pk):
        entry = _entry(request, model, pk)
        return _edit_entry(request, entry, form_class, data_method, update, template_name, str(saved))

    archive_entry = archive_view(
        get=lambda request, pk: _entry(request, model, pk),
        service=archive,
        done=lambda entry: str(archived),
        then=lambda entry: reverse("lifemeetings:meeting.detail", kwargs={"meeting_id": entry.meeting_id}),
    )
    return edit, archive_entry


criticism_edit, criticism_archive = _entry_views(
    CriticismEntry,
    CriticismForm,
    "entry_data",
    services.update_criticism,
    services.archive_criticism,
    "lifemeetings/criticism_form.html",
    saved=gettext_lazy("已保存。"),
    archived=gettext_lazy("已归档该条目。"),
)
problem_edit, problem_archive = _entry_views(
    PersonalProblem,
    ProblemForm,
    "problem_data",
    services.update_problem,
    services.archive_problem,
    "lifemeetings/problem_form.html",
    saved=gettext_lazy("已保存查摆问题。"),
    archived=gettext_lazy("已归档该查摆问题。"),
)


@require_http_methods(["GET", "POST"])
def problem_raise(request, pk):
    problem = _entry(request, PersonalProblem, pk, "problem.raise")
    if problem.is_raised:
        messages.info(request, _("该问题已转为整改事项，不再重复创建。"))
        return redirect("lifemeetings:meeting.detail", meeting_id=problem.meeting_id)
    form = RaiseForm(request.POST or None, initial={"measure": problem.measure})
    if request.method == "POST" and form.is_valid():
        try:
            _problem, _item, created = services.raise_item(problem, form.cleaned_data, actor=request.user)
        except services.LifeMeetingError as exc:
            add_to_form(form, exc)
        else:
            if created:
                messages.success(request, _("已将%(name)s的问题转为整改事项。") % {"name": problem.member.name})
            else:
                messages.info(request, _("该问题已转为整改事项，不再重复创建。"))
            return redirect("lifemeetings:meeting.detail", meeting_id=problem.meeting_id)
    return render(
        request,
        "lifemeetings/problem_raise.html",
        {"form": form, "problem": problem, "meeting": problem.meeting, "available": services.rectification_available()},
    )
