"""四强 branch creation, demonstration sites and model posts: lists per year, detail pages with
the step forms, the moves (each a POST through a service) and the honour certificate."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.archiving import archive_view
from common.concurrency import StaleEditError
from common.downloads import attachment_header
from common.models import AuditEntry
from common.submission import run_action, submit_form
from members.models import Member
from organizations.models import Unit
from recognition import permissions, record_figures, rules, services
from recognition.forms import (
    CriterionForm,
    FourStrongCreateForm,
    NominationForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    ReviewForm,
    ScoreForm,
    SelfAssessmentForm,
)
from recognition.models import (
    Dimension,
    FourStrong,
    FourStrongCriterion,
    Nomination,
    NominationKind,
    NominationReview,
    NoticeStatus,
)
from recognition.views.fiveleads import request_year, stale_message
from reports.docx import DOCX_CONTENT_TYPE

FOURSTRONG = "recognition:fourstrong.detail"
NOMINATION = "recognition:nomination.detail"


def _run(request, fn: Callable, success: str) -> bool:
    try:
        fn()
    except services.RecognitionError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


# --- 四强: list and criteria -----------------------------------------------------------------


@require_GET
def fourstrong_list(request):
    year = request_year(request)
    apps = list(
        permissions.visible(request.user, FourStrong.objects.filter(year=year))
        .select_related("unit", "review_of")
        .order_by("unit__path")
    )
    applied = {a.unit_id for a in apps}
    can_apply = [u for u in permissions.branch_units(request.user) if u.pk not in applied]
    named_last_year = set(
        FourStrong.objects.filter(year=year - 1, status=NoticeStatus.NAMED).values_list("unit_id", flat=True)
    )
    return render(
        request,
        "recognition/fourstrong_list.html",
        {
            "year": year,
            "apps": apps,
            "can_apply": can_apply,
            "named_last_year": named_last_year,
            "criteria_count": FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True).count(),
            "can_edit_criteria": permissions.can(request.user, "criteria.edit"),
        },
    )


@require_http_methods(["GET", "POST"])
def criteria(request, year: int):
    """A year's sub-criteria by dimension; committee staff add, edit and archive them."""
    can_edit = permissions.can(request.user, "criteria.edit")
    if not can_edit and not permissions.read_units(request.user).exists():
        raise PermissionDenied
    form = CriterionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid() and _run(
            request, lambda: services.add_criterion(year, form.cleaned_data, actor=request.user), _("已新增标准。")
        ):
            return redirect("recognition:criteria", year=year)
    rows = FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True)
    groups = [(label, [c for c in rows if c.dimension == code]) for code, label in Dimension.choices]
    return render(
        request, "recognition/criteria.html", {"year": year, "groups": groups, "form": form, "can_edit": can_edit}
    )


@require_POST
def criteria_defaults(request, year: int):
    if not permissions.can(request.user, "criteria.edit"):
        raise PermissionDenied
    _run(request, lambda: services.add_default_criteria(year, actor=request.user), _("已载入默认标准，可逐条修改。"))
    return redirect("recognition:criteria", year=year)


@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    if not permissions.can(request.user, "criteria.edit"):
        raise PermissionDenied
    c = get_object_or_404(FourStrongCriterion, pk=pk, archived_at__isnull=True)
    form = CriterionForm(
        request.POST or None,
        instance=None,
        initial={"dimension": c.dimension, "text": c.text, "order": c.order, "version": c.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_criterion(
                c, form.cleaned_data, actor=request.user, version=form.cleaned_data.get("version") or c.version
            )
            messages.success(request, _("已保存标准。"))
            return redirect("recognition:criteria", year=c.year)
        except services.RecognitionError as exc:
            form.add_error(None, str(exc))
        except StaleEditError as exc:
            stale_message(request, exc)
    entries = AuditEntry.objects.for_object(c).select_related("actor")
    return render(request, "recognition/criterion_form.html", {"form": form, "criterion": c, "entries": entries})


def _editable_criterion(request, pk: int):
    if not permissions.can(request.user, "criteria.edit"):
        raise PermissionDenied
    return get_object_or_404(FourStrongCriterion, pk=pk)


criterion_archive = archive_view(
    get=_editable_criterion,
    service=services.archive_criterion,
    done=lambda c: _("已归档该标准。"),
    then=lambda c: reverse("recognition:criteria", kwargs={"year": c.year}),
)


# --- 四强: one branch's application ----------------------------------------------------------


@require_POST
def fourstrong_create(request, unit_id: int):
    unit = get_object_or_404(permissions.read_units(request.user), pk=unit_id)
    if not permissions.can(request.user, "fourstrong.create", unit):
        raise PermissionDenied
    form = FourStrongCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度：请填写年度。"))
        return redirect("recognition:fourstrong.list")
    year = form.cleaned_data["year"]
    try:
        app = services.create_four_strong(unit, year, actor=request.user)
    except services.RecognitionError as exc:
        messages.error(request, str(exc))
        return redirect(f"{_list_url('recognition:fourstrong.list')}?year={year}")
    messages.success(request, _("已申报，请逐条填写自评情况。"))
    return redirect("recognition:fourstrong.detail", pk=app.pk)


def _list_url(name: str) -> str:
    return reverse(name)


def _app(request, pk: int, action: str | None = None) -> FourStrong:
    app = permissions.get_visible_or_404(request.user, FourStrong.objects.select_related("unit", "review_of"), pk=pk)
    if action is not None and not permissions.can(request.user, action, app):
        raise PermissionDenied
    return app


DIMENSION_ORDER = {code: i for i, code in enumerate(Dimension.values)}


def _rows(app: FourStrong):
    """The application's sub-criteria in the order 政治强、班子强、队伍强、作用发挥强."""
    rows = list(app.assessments.select_related("criterion"))
    rows.sort(key=lambda r: (DIMENSION_ORDER[r.criterion.dimension], r.criterion.order, r.criterion_id))
    return rows


@require_GET
def fourstrong_detail(request, pk: int):
    app = _app(request, pk)
    rows = _rows(app)
    user = request.user
    # What the records say beside each criterion they can answer, and where they contradict it.
    figures = record_figures.criterion_figures(app) if app.status != NoticeStatus.DRAFT else {}
    against = record_figures.contradicted(figures)
    for row in rows:
        row.figures = figures.get(row.criterion_id, [])
        row.against_records = row.criterion_id in against
    ctx = {
        "app": app,
        "rows": rows,
        "against_records": [row for row in rows if row.against_records],
        "tab": request.GET.get("tab", "record"),
        "entries": AuditEntry.objects.for_object(app).select_related("actor"),
        "standing": _standing(app),
    }
    if app.status == NoticeStatus.DRAFT and permissions.can(user, "self_assess", app):
        form = SelfAssessmentForm(initial={"version": app.version}, assessments=rows)
        ctx["self_form"] = form
        ctx["self_rows"] = [(row, form[f"crit_{row.criterion_id}"]) for row in rows]
    if app.status == NoticeStatus.SUBMITTED and permissions.can(user, "review", app):
        form = ReviewForm(assessments=rows)
        ctx["review_form"] = form
        ctx["review_rows"] = [
            (row, form[f"result_{row.criterion_id}"], form[f"comment_{row.criterion_id}"]) for row in rows
        ]
        ctx["return_form"] = ReasonForm()
    _notice_context(ctx, app, user)
    return render(request, "recognition/fourstrong_detail.html", ctx)


def _standing(app: FourStrong):
    years = set(
        FourStrong.objects.filter(unit_id=app.unit_id, status=NoticeStatus.NAMED).values_list("year", flat=True)
    )
    return rules.four_strong_standing(years, timezone.localdate().year)


def _notice_context(ctx: dict, obj, user) -> None:
    if obj.status == NoticeStatus.PASSED and permissions.can(user, "notice", obj):
        ctx["notice_form"] = NoticeForm(initial={"notice_start": timezone.localdate()})
    if obj.status in (NoticeStatus.PASSED, NoticeStatus.OBJECTED) and permissions.can(user, "reject", obj):
        ctx["reject_form"] = ReasonForm()
    if obj.status == NoticeStatus.NOTICED and permissions.can(user, "name", obj):
        ctx["objection_form"] = ObjectionForm()
        ctx["naming_errors"] = rules.naming_errors(
            status=obj.status, notice_end=obj.notice_end, objection=obj.objection, today=timezone.localdate()
        )
        ctx["can_name"] = True


@require_POST
def fourstrong_self(request, pk: int):
    app = _app(request, pk, "self_assess")
    rows = list(app.assessments.select_related("criterion"))
    form = SelfAssessmentForm(request.POST, assessments=rows)
    if form.is_valid():
        try:
            services.save_self_assessment(
                app, form.evidence(), actor=request.user, version=form.cleaned_data["version"]
            )
            messages.success(request, _("已保存自评。"))
        except services.RecognitionError as exc:
            messages.error(request, str(exc))
        except StaleEditError as exc:
            stale_message(request, exc)
    else:
        messages.error(request, _("自评情况及佐证：请检查填写内容。"))
    return redirect("recognition:fourstrong.detail", pk=app.pk)


@require_POST
def fourstrong_submit(request, pk: int):
    app = _app(request, pk, "submit")
    return run_action(request, app, services.submit_four_strong, done=_("已提交机关党委审核。"), then=FOURSTRONG)


@require_POST
def fourstrong_return(request, pk: int):
    app, reason = _app(request, pk, "return"), request.POST.get("reason", "")
    return run_action(
        request, app, services.return_four_strong, reason=reason, done=_("已退回支部修改自评。"), then=FOURSTRONG
    )


@require_POST
def fourstrong_review(request, pk: int):
    app = _app(request, pk, "review")
    form = ReviewForm(request.POST, assessments=list(app.assessments.select_related("criterion")))
    if form.is_valid():
        _run(request, lambda: services.review_four_strong(app, form.results(), actor=request.user), _("已完成审核。"))
    else:
        messages.error(request, _("审核结果：请逐条选择审核结果。"))
    return redirect("recognition:fourstrong.detail", pk=app.pk)


def _notice_moves(kind: str):
    """The 公示 moves (notice, objection, naming, rejection) of 四强 or nominations."""

    def fetch(request, pk, action):
        return _app(request, pk, action) if kind == "fourstrong" else _nomination(request, pk, action)

    detail = f"recognition:{kind}.detail"

    @require_POST
    def notice(request, pk: int):
        obj = fetch(request, pk, "notice")
        form = NoticeForm(request.POST)
        if form.is_valid():
            start, days = form.cleaned_data["notice_start"], form.cleaned_data["notice_days"]
            if _run(request, lambda: services.start_notice(obj, start, days, actor=request.user), _("已开始公示。")):
                messages.info(
                    request,
                    _("公示期至 %(end)s（%(days)s 个工作日）。") % {"end": obj.notice_end.isoformat(), "days": days},
                )
        else:
            messages.error(request, _("公示开始日期：请填写日期；公示期须为 1 至 30 个工作日。"))
        return redirect(detail, pk=obj.pk)

    @require_POST
    def objection(request, pk: int):
        obj = fetch(request, pk, "object")
        text = request.POST.get("objection", "")
        return run_action(request, obj, services.record_objection, text=text, done=_("已登记公示异议。"), then=detail)

    @require_POST
    def name(request, pk: int):
        obj = fetch(request, pk, "name")
        today = timezone.localdate()
        return run_action(request, obj, services.name_recognition, today=today, done=_("已命名。"), then=detail)

    @require_POST
    def reject(request, pk: int):
        obj = fetch(request, pk, "reject")
        reason = request.POST.get("reason", "")
        return run_action(request, obj, services.reject, reason=reason, done=_("已决定不予命名。"), then=detail)

    return notice, objection, name, reject


fourstrong_notice, fourstrong_objection, fourstrong_name, fourstrong_reject = _notice_moves("fourstrong")


# --- demonstration sites and model posts -----------------------------------------------------


def _nomination(request, pk: int, action: str | None = None) -> Nomination:
    n = permissions.get_visible_or_404(request.user, Nomination.objects.select_related("unit", "member"), pk=pk)
    if action is not None and not permissions.can(request.user, action, n):
        raise PermissionDenied
    return n


@require_GET
def nomination_list(request):
    year = request_year(request)
    kind = request.GET.get("kind", "")
    qs = permissions.visible(request.user, Nomination.objects.filter(year=year)).select_related("unit", "member")
    if kind in NominationKind.values:
        qs = qs.filter(kind=kind)
    rows = list(
        qs.annotate(review_count=Count("reviews"), average=Avg("reviews__points")).order_by("kind", "unit__path", "id")
    )
    return render(
        request,
        "recognition/nomination_list.html",
        {
            "year": year,
            "kind": kind,
            "kinds": NominationKind.choices,
            "named": [n for n in rows if n.status == NoticeStatus.NAMED],
            "rows": rows,
            "can_nominate": list(permissions.branch_units(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def nomination_create(request, unit_id: int):
    unit = get_object_or_404(Unit, pk=unit_id)
    if not permissions.read_units(request.user).filter(pk=unit.pk).exists():
        raise Http404
    if not permissions.can(request.user, "nominate", unit):
        raise PermissionDenied
    today = timezone.localdate()
    members = Member.objects.in_unit_on(unit, today).order_by("name")
    initial = {"year": today.year, "kind": request.GET.get("kind") or NominationKind.MODEL_POST}
    form = NominationForm(request.POST or None, members=members, initial=initial)
    outcome = submit_form(
        request,
        form,
        lambda form: services.nominate(unit, form.cleaned_data, actor=request.user),
        done=_("已推荐，等待机关党委评审。"),
        then="recognition:nomination.detail",
    )
    return outcome.render(request, "recognition/nomination_form.html", {"unit": unit})


@require_GET
def nomination_detail(request, pk: int):
    n = _nomination(request, pk)
    user = request.user
    ctx = {
        "n": n,
        "tab": request.GET.get("tab", "record"),
        "tally": services.nomination_tally(n),
        "reviews": NominationReview.objects.filter(nomination=n).select_related("reviewer")
        if permissions.can(user, "review", n) or permissions.can(user, "decide", n)
        else None,
        "entries": AuditEntry.objects.for_object(n).select_related("actor"),
        "can_open": n.status == NoticeStatus.NOMINATED and permissions.can(user, "open_review", n),
        "can_decide": n.status == NoticeStatus.REVIEWING and permissions.can(user, "decide", n),
        "can_certificate": n.status == NoticeStatus.NAMED and permissions.can(user, "certificate", n),
    }
    if n.status == NoticeStatus.REVIEWING and permissions.can(user, "review", n):
        mine = n.reviews.filter(reviewer=user).first()
        ctx["score_form"] = ScoreForm(
            initial={
                "points": mine.points,
                "agree": {True: "1", False: "0"}.get(mine.agree, ""),
                "comment": mine.comment,
            }
            if mine
            else None
        )
    _notice_context(ctx, n, user)
    return render(request, "recognition/nomination_detail.html", ctx)


@require_POST
def nomination_open(request, pk: int):
    n = _nomination(request, pk, "open_review")
    return run_action(request, n, services.open_review, done=_("已开始评审。"), then=NOMINATION)


@require_POST
def nomination_score(request, pk: int):
    n = _nomination(request, pk, "review")
    form = ScoreForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.review_nomination(n, form.cleaned_data, actor=request.user),
            _("已保存您的评审意见。"),
        )
    else:
        messages.error(request, _("分数：请填写 0 至 100 之间的分数。"))
    return redirect("recognition:nomination.detail", pk=n.pk)


@require_POST
def nomination_decide(request, pk: int):
    n = _nomination(request, pk, "decide")
    return run_action(request, n, services.decide_nomination, done=_("已确定评审结果。"), then=NOMINATION)


nomination_notice, nomination_objection, nomination_name, nomination_reject = _notice_moves("nomination")


@require_GET
def nomination_certificate(request, pk: int):
    n = _nomination(request, pk, "certificate")
    try:
        content = services.export_certificate(n, actor=request.user)
    except services.RecognitionError as exc:
        messages.error(request, str(exc))
        return redirect("recognition:nomination.detail", pk=n.pk)
    holder = n.member.name if n.member_id else n.unit.name
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(
        f"荣誉证书-{n.year}-{holder}.docx", f"certificate-{n.year}-{n.pk}.docx"
    )
    return response
