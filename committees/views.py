"""Pages of branch committees: terms (届) with their approval workflow, and the duty lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committees import permissions, rules, services
from committees.forms import ApproveForm, DutyForm, ReturnForm, TermForm, form_error_messages, seat_formset
from committees.models import CommitteeRole, CommitteeTerm, RoleDuty, TermMember, TermStatus
from common.archiving import archive_action, archive_views
from common.concurrency import StaleEditError, flash_stale
from common.errors import add_to_messages
from common.models import AuditEntry
from common.visibility import get_allowed_or_404
from members.models import Member
from organizations.models import Unit

# ---------------------------------------------------------------------------------------------
# Fetching through the policy


def _get_term_or_404(user, pk):
    return permissions.get_visible_or_404(user, CommitteeTerm.objects.select_related("unit"), pk=pk)


def _term_for(request, pk, action):
    """The term if visible (else 404) and ``action`` allowed on it (else 403)."""
    return get_allowed_or_404(
        request.user, CommitteeTerm.objects.select_related("unit"), action, policy=permissions, pk=pk
    )


def _get_branch_or_404(user, pk):
    return get_object_or_404(permissions.visible_branches(user, Unit.objects.active().branches()), pk=pk)


def _require(user, action, obj):
    if not permissions.can(user, action, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Terms


@require_GET
def term_list(request):
    """Terms visible to the user, grouped by branch, with status and 换届提醒."""
    show_archived = request.GET.get("archived") == "1"
    today = timezone.localdate()
    branches = list(permissions.visible_branches(request.user, Unit.objects.active().branches()).order_by("path"))
    terms = permissions.visible(request.user, CommitteeTerm.objects.all())
    terms = terms.archived() if show_archived else terms.active()
    terms = terms.select_related("unit", "approval").prefetch_related(
        Prefetch("seats", queryset=TermMember.objects.select_related("member").order_by("sort_order", "id"))
    )
    by_unit: dict[int, list] = {}
    for term in terms.order_by("unit__path", "-number"):
        term.renewal = term.renewal_status(today)
        term.secretary = next((s.member for s in term.seats.all() if s.role == CommitteeRole.SECRETARY), None)
        by_unit.setdefault(term.unit_id, []).append(term)
    known = {b.pk for b in branches}
    # Archived/ dissolved branches drop out of ``branches`` but their terms stay listed.
    branches += [t[0].unit for uid, t in by_unit.items() if uid not in known]
    groups = []
    for branch in branches:
        rows = by_unit.get(branch.pk, [])
        groups.append(
            {
                "branch": branch,
                "terms": rows,
                "has_current": any(t.status == TermStatus.CURRENT for t in rows),
                "can_create": permissions.can(request.user, "create", branch) and not show_archived,
            }
        )
    return render(
        request,
        "committees/term_list.html",
        {"groups": groups, "show_archived": show_archived, "today": today},
    )


def _member_choices(branch):
    """Everyone who ever belonged to the branch; the service checks the election date."""
    members = list(Member.objects.active().filter(branch_memberships__unit=branch).distinct().order_by("name", "id"))
    by_pk = {m.pk: m for m in members}
    choices = [(m.pk, f"{m.name}（{m.department}）" if m.department else m.name) for m in members]
    return by_pk, choices


def _seats_from(formset, by_pk):
    seats = []
    for form in formset:
        member_pk, role = form.cleaned_data.get("member"), form.cleaned_data.get("role")
        if member_pk and role:
            seats.append((by_pk[member_pk], role))
    return seats


@require_http_methods(["GET", "POST"])
def term_create(request, unit_id):
    branch = _get_branch_or_404(request.user, unit_id)
    _require(request.user, "create", branch)
    by_pk, choices = _member_choices(branch)
    if request.method == "POST":
        form = TermForm(request.POST)
        formset = seat_formset(data=request.POST, member_choices=choices)
        if form.is_valid() and formset.is_valid():
            try:
                term = services.create_term(branch, form.cleaned_data, _seats_from(formset, by_pk), actor=request.user)
            except services.CommitteeError as exc:
                add_to_messages(request, exc)
            else:
                messages.success(request, _("已登记 %(term)s（草稿），核对无误后请提交批复。") % {"term": term})
                return redirect("committees:term.detail", pk=term.pk)
    else:
        form = TermForm(initial={"term_years": branch.term_years})
        formset = seat_formset(member_choices=choices)
    return render(
        request,
        "committees/term_form.html",
        {"branch": branch, "form": form, "formset": formset, "term": None},
    )


@require_http_methods(["GET", "POST"])
def term_edit(request, pk):
    term = _term_for(request, pk, "edit")
    if not term.is_editable:
        messages.error(request, _("状态：只有草稿或已退回且未归档的届次可以修改。"))
        return redirect("committees:term.detail", pk=term.pk)
    branch = term.unit
    by_pk, choices = _member_choices(branch)
    if request.method == "POST":
        form = TermForm(request.POST)
        formset = seat_formset(data=request.POST, member_choices=choices)
        if form.is_valid() and formset.is_valid():
            try:
                services.update_term(
                    term,
                    form.cleaned_data,
                    _seats_from(formset, by_pk),
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version") or 0,
                )
            except StaleEditError as exc:
                flash_stale(request, exc, form, unlisted=_("支委成员等其他内容已被他人修改，请核对后再保存。"))
            except services.CommitteeError as exc:
                add_to_messages(request, exc)
            else:
                messages.success(request, _("已保存 %(term)s 的修改。") % {"term": term})
                return redirect("committees:term.detail", pk=term.pk)
    else:
        form = TermForm(
            initial={
                "elected_on": term.elected_on,
                "term_years": term.term_years,
                "note": term.note,
                "version": term.version,
            }
        )
        seats = term.seats.order_by("sort_order", "id")
        formset = seat_formset(initial=[{"member": s.member_id, "role": s.role} for s in seats], member_choices=choices)
    return render(
        request,
        "committees/term_form.html",
        {"branch": branch, "form": form, "formset": formset, "term": term},
    )


@require_GET
def term_detail(request, pk):
    term = _get_term_or_404(request.user, pk)
    user = request.user
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    seats = list(term.seats.select_related("member").order_by("sort_order", "id"))
    approval = getattr(term, "approval", None) if term.status in (TermStatus.CURRENT, TermStatus.ENDED) else None
    live = not term.is_archived
    actions = {
        "edit": live and term.is_editable and permissions.can(user, "edit", term),
        "submit": live and rules.can_move(term.status, TermStatus.SUBMITTED) and permissions.can(user, "submit", term),
        "approve": live and term.status == TermStatus.SUBMITTED and permissions.can(user, "approve", term),
        "return": live and term.status == TermStatus.SUBMITTED and permissions.can(user, "return", term),
        "archive": live and term.status in rules.ARCHIVABLE_STATUSES and permissions.can(user, "archive", term),
        "restore": term.is_archived and permissions.can(user, "restore", term),
    }
    roles = list(dict.fromkeys(s.role for s in seats))
    duties = {d.role: d for d in RoleDuty.objects.filter(role__in=roles)}
    context = {
        "term": term,
        "seats": seats,
        "approval": approval,
        "history": term.history.select_related("actor"),
        "actions": actions,
        "duties": [(CommitteeRole(r).label, duties[r].items) for r in roles if r in duties],
        "renewal": term.renewal_status(timezone.localdate()),
        "tab": tab,
        "approve_form": ApproveForm(initial={"approved_on": timezone.localdate()}),
        "return_form": ReturnForm(),
    }
    if tab == "history":
        context["entries"] = AuditEntry.objects.for_object(term).select_related("actor")
    return render(request, "committees/term_detail.html", context)


def _term_move(action, service, done, form_class=None):
    """A POST-only view that moves a term through the approval workflow: the form's data (if any)
    go to ``service``; its refusal or the form's errors are flashed on the term's page."""

    @require_POST
    def view(request, pk):
        term = _term_for(request, pk, action)
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for m in form_error_messages(form):
                    messages.error(request, m)
                return redirect("committees:term.detail", pk=term.pk)
            data = form.cleaned_data
        return archive_action(
            request, term, service, done=lambda t: done % {"term": t}, then="committees:term.detail", **data
        )

    return view


term_submit = _term_move("submit", services.submit_term, gettext_lazy("已提交 %(term)s 的选举结果，等待机关党委批复。"))
term_approve = _term_move(
    "approve", services.approve_term, gettext_lazy("已批复 %(term)s，该届成为现任班子。"), ApproveForm
)
term_return = _term_move(
    "return", services.return_term, gettext_lazy("已退回 %(term)s，支部修改后可重新提交。"), ReturnForm
)


term_archive, term_restore = archive_views(
    _term_for,
    services.archive_term,
    services.restore_term,
    archived=lambda term: _("已归档 %(term)s，可随时恢复。") % {"term": term},
    restored=lambda term: _("已恢复 %(term)s。") % {"term": term},
    then="committees:term.detail",
)


# ---------------------------------------------------------------------------------------------
# Duties


def _role_order(duty):
    return CommitteeRole.values.index(duty.role) if duty.role in CommitteeRole.values else len(CommitteeRole.values)


@require_GET
def duty_list(request):
    """Every role with its duty list; every logged-in user may read them."""
    duties = sorted(RoleDuty.objects.all(), key=_role_order)
    return render(
        request,
        "committees/duty_list.html",
        {"duties": duties, "can_edit": permissions.can_edit_duties(request.user)},
    )


@require_http_methods(["GET", "POST"])
def duty_edit(request, role):
    duty = get_object_or_404(RoleDuty, role=role)
    if not permissions.can_edit_duties(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = DutyForm(request.POST)
        if form.is_valid():
            try:
                services.update_duty(
                    duty, form.cleaned_data["text"], actor=request.user, expected_version=form.cleaned_data["version"]
                )
            except StaleEditError as exc:
                flash_stale(request, exc, form, unlisted=_("支委成员等其他内容已被他人修改，请核对后再保存。"))
            except services.CommitteeError as exc:
                add_to_messages(request, exc)
            else:
                messages.success(request, _("已保存“%(role)s”的工作职责。") % {"role": duty.get_role_display()})
                return redirect("committees:duty.list")
    else:
        form = DutyForm(initial={"text": duty.text, "version": duty.version})
    entries = AuditEntry.objects.for_object(duty).select_related("actor")[:20]
    return render(request, "committees/duty_form.html", {"duty": duty, "form": form, "entries": entries})
