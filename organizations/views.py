from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, RoleGrant
from accounts.scope import get_scope
from common.archiving import archive_views
from common.concurrency import StaleEditError, rebind_stale
from common.models import AuditEntry
from common.registry import shown_panels
from common.visibility import get_allowed_or_404
from organizations import permissions, registry, services
from organizations.forms import DissolveForm, UnitCreateForm, UnitEditForm
from organizations.models import Unit, UnitKind

# Registered branch panels (``organizations.registry.branch_panels``) of a lower order show above
# the unit's own sections (sub-units, party groups), the others below them.
OWN_SECTIONS_ORDER = 500


def _tree(units) -> list:
    """Nest ``units`` (ordered by path): a unit whose parent is not among them is a root."""
    nodes = {u.pk: {"unit": u, "children": []} for u in units}
    roots = []
    for u in units:
        parent = nodes.get(u.parent_id)
        (parent["children"] if parent else roots).append(nodes[u.pk])
    for node in nodes.values():
        node["children"].sort(key=lambda n: (n["unit"].sort_order, n["unit"].path))
    roots.sort(key=lambda n: (n["unit"].sort_order, n["unit"].path))
    return roots


@require_GET
def unit_tree(request):
    show_all = request.GET.get("all") == "1"
    units = permissions.visible(request.user, Unit.objects.all())
    if not show_all:
        units = units.active().filter(dissolved_on__isnull=True)
    units = registry.annotate(units.order_by("path"))  # e.g. member counts (members)
    return render(
        request,
        "organizations/unit_tree.html",
        {
            "roots": _tree(units),
            "show_all": show_all,
            "can_create": permissions.can_manage_any(request.user),
        },
    )


@require_GET
def unit_detail(request, pk):
    unit = permissions.get_visible_or_404(request.user, Unit.objects.select_related("parent"), pk=pk)
    tab = request.GET.get("tab", "overview")
    ctx = {
        "unit": unit,
        "tab": tab,
        "parent_visible": unit.parent_id
        and permissions.visible(request.user, Unit.objects.filter(pk=unit.parent_id)).exists(),
        "can_edit": permissions.can(request.user, "edit", unit),
        "can_create": permissions.can(request.user, "create", unit) and unit.kind != UnitKind.PARTY_GROUP,
        "dissolve_form": DissolveForm(initial={"dissolved_on": timezone.localdate()}),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(unit).select_related("actor")
        return render(request, "organizations/unit_detail.html", ctx)

    today = timezone.localdate()
    children = list(permissions.visible(request.user, unit.children.active()).order_by("sort_order", "path"))
    registry.annotate([unit, *children])
    leaders = {}
    group_ids = [c.pk for c in children if c.kind == UnitKind.PARTY_GROUP]
    if group_ids:
        for grant in (
            RoleGrant.objects.active()
            .filter(unit_id__in=group_ids, role=Role.GROUP_LEADER)
            .select_related("user", "user__member")
            .order_by("granted_at")
        ):
            member = getattr(grant.user, "member", None)
            leaders.setdefault(grant.unit_id, []).append(
                member.name if member else grant.user.get_full_name() or grant.user.username
            )
    for c in children:
        c.leaders = leaders.get(c.pk, [])
    ctx["groups"] = [c for c in children if c.kind == UnitKind.PARTY_GROUP]
    ctx["subunits"] = [c for c in children if c.kind != UnitKind.PARTY_GROUP]
    ctx["branch_links"] = registry.links_for(request.user, unit, today)
    panels = shown_panels(registry.branch_panels, request, unit, today)
    ctx["panels_above"] = [p for p in panels if p.order < OWN_SECTIONS_ORDER]
    ctx["panels_below"] = [p for p in panels if p.order >= OWN_SECTIONS_ORDER]
    return render(request, "organizations/unit_detail.html", ctx)


def _manageable_parents(user):
    qs = Unit.objects.active().filter(dissolved_on__isnull=True)
    return qs.filter(get_scope(user).unit_q(roles=(Role.COMMITTEE_STAFF,))).exclude(kind=UnitKind.PARTY_GROUP)


@require_http_methods(["GET", "POST"])
def unit_create(request):
    if not permissions.can_manage_any(request.user):
        raise PermissionDenied
    parents = _manageable_parents(request.user).order_by("path")
    initial = {}
    if request.method == "GET" and request.GET.get("parent"):
        parent = permissions.get_visible_or_404(request.user, pk=request.GET["parent"])
        if not permissions.can(request.user, "create", parent):
            raise PermissionDenied
        initial = {
            "parent": parent,
            "kind": UnitKind.PARTY_GROUP if parent.kind == UnitKind.BRANCH else UnitKind.BRANCH,
        }
    form = UnitCreateForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(form.cleaned_data, actor=request.user)
        except services.UnitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建“%(unit)s”。") % {"unit": unit})
            return redirect("organizations:unit.detail", pk=unit.pk)
    return render(request, "organizations/unit_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = _manage_post(request, pk, "edit")
    if request.method == "POST":
        form = UnitEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.update_unit(unit, data, actor=request.user, version=version)
            except StaleEditError as exc:
                # Keep the user's input, list what changed meanwhile; saving again is based on
                # the stored version, so it is a deliberate overwrite.
                form = rebind_stale(UnitEditForm, request, exc)
                form.add_error(None, str(exc))
                for field, current, mine in exc.conflicts:
                    form.add_error(
                        None,
                        _("%(field)s：%(current)s → %(mine)s")
                        % {"field": field, "current": current or _("（空）"), "mine": mine or _("（空）")},
                    )
            except services.UnitError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存“%(unit)s”的修改。") % {"unit": unit})
                return redirect("organizations:unit.detail", pk=unit.pk)
    else:
        form = UnitEditForm(
            initial={f: getattr(unit, f) for f in ("name", "founded_on", "term_years", "department", "sort_order")}
            | {"version": unit.version}
        )
    return render(request, "organizations/unit_form.html", {"form": form, "unit": unit, "creating": False})


def _manage_post(request, pk, action):
    return get_allowed_or_404(request.user, Unit.objects.select_related("parent"), action, policy=permissions, pk=pk)


@require_POST
def unit_dissolve(request, pk):
    unit = _manage_post(request, pk, "dissolve")
    form = DissolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤销日期：请填写有效的日期。"))
        return redirect("organizations:unit.detail", pk=unit.pk)
    try:
        services.dissolve_unit(unit, on=form.cleaned_data["dissolved_on"], actor=request.user)
    except services.UnitError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销“%(unit)s”。") % {"unit": unit})
    return redirect("organizations:unit.detail", pk=unit.pk)


unit_archive, unit_restore = archive_views(
    _manage_post,
    services.archive_unit,
    services.restore_unit,
    archived=lambda unit: _("已归档“%(unit)s”，可随时恢复。") % {"unit": unit},
    restored=lambda unit: _("已恢复“%(unit)s”。") % {"unit": unit},
    then="organizations:unit.detail",
)
