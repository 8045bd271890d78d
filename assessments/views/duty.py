"""述职评议 pages: the list, writing and submitting a duty report with attachments, the anonymous
evaluation (an anonymous ballot of ``ballots``: who voted is kept apart from the marks; totals
show only once closed, and only with enough voters), closing it."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import rules, services
from assessments.forms import AttachmentForm, DutyReportForm, VoteForm
from assessments.models import Choice, DutyAttachment, DutyReport
from assessments.permissions import can, get_report_or_404, secretary_branches, visible_reports
from assessments.views import stale_notice
from ballots import services as ballots
from common.downloads import stored_file_response
from common.models import AuditEntry
from common.submission import run_action, submit_form
from members.models import Member

DETAIL = "assessments:duty.detail"


def _get_report(request, pk, action: str | None = None) -> DutyReport:
    report = get_report_or_404(request.user, DutyReport.objects.select_related("unit", "reporter", "ballot"), pk=pk)
    if action is not None and not can(request.user, action, report):
        raise PermissionDenied
    return report


@require_GET
def duty_list(request):
    reports = visible_reports(request.user, DutyReport.objects.active().select_related("unit", "reporter")).order_by(
        "-year", "unit__path"
    )
    reports = list(reports.select_related("ballot"))
    voted = ballots.voted_in([r.ballot_id for r in reports if r.ballot_id], user=request.user)
    rows = [(r, r.ballot_id in voted, can(request.user, "duty.vote", r)) for r in reports]
    return render(
        request,
        "assessments/duty_list.html",
        {"rows": rows, "can_create": can(request.user, "duty.create")},
    )


@require_http_methods(["GET", "POST"])
def duty_create(request):
    if not can(request.user, "duty.create"):
        raise PermissionDenied
    unit = secretary_branches(request.user).order_by("path").first()
    reporter = Member.objects.active().filter(user_id=request.user.pk).first()
    if reporter is None:
        messages.error(request, _("您的账号没有关联党员信息，不能起草述职报告。"))
        return redirect("assessments:duty.list")
    today = timezone.localdate()
    years = [today.year - 1, today.year]
    form = DutyReportForm(
        request.POST or None,
        years=years,
        initial={"year": today.year - 1, "title": _("%(unit)s书记抓党建工作述职报告") % {"unit": unit.name}},
    )
    outcome = submit_form(
        request,
        form,
        lambda form: services.create_duty_report(unit, reporter, form.cleaned_data, actor=request.user),
        done=_("述职报告已保存为草稿，可上传附件后提交评议。"),
        then=DETAIL,
    )
    return outcome.render(request, "assessments/duty_form.html", {"unit": unit, "report": None})


@require_GET
def duty_detail(request, pk):
    report = _get_report(request, pk)
    user = request.user
    counts = services.tally(report)
    voted = report.ballot is not None and ballots.has_voted(report.ballot, user=user)
    return render(
        request,
        "assessments/duty_detail.html",
        {
            "report": report,
            "attachments": report.attachments.all(),
            # Totals only once the evaluation is closed with enough voters (None before).
            "counts": [(label, counts[code]) for code, label in Choice.choices] if counts is not None else None,
            "choice_labels": Choice.labels,
            "rate": rules.satisfaction_rate(counts) if counts is not None else None,
            "ballot": ballots.results(report.ballot) if report.ballot else None,
            "min_voters": report.ballot.min_voters if report.ballot else None,
            "not_voted": ballots.not_voted(report.ballot) if can(user, "duty.not_voted", report) else None,
            "voted": voted,
            "can_vote": can(user, "duty.vote", report),
            "can_edit": can(user, "duty.edit", report),
            "can_close": can(user, "duty.close", report) and report.status == "open",
            "vote_form": VoteForm(),
            "upload_form": AttachmentForm(),
            "entries": AuditEntry.objects.for_object(report).select_related("actor")[:50],
        },
    )


@require_http_methods(["GET", "POST"])
def duty_edit(request, pk):
    report = _get_report(request, pk, "duty.edit")
    form = DutyReportForm(
        request.POST or None, initial={"version": report.version, "title": report.title, "text": report.text}
    )
    outcome = submit_form(
        request,
        form,
        lambda form: services.update_duty_report(
            report, form.cleaned_data, actor=request.user, expected_version=form.cleaned_data.get("version") or 0
        ),
        done=_("述职报告已保存。"),
        then=DETAIL,
        stale=partial(stale_notice, request),
    )
    return outcome.render(request, "assessments/duty_form.html", {"unit": report.unit, "report": report})


@require_POST
def duty_submit(request, pk):
    report = _get_report(request, pk, "duty.edit")
    return run_action(
        request, report, services.submit_duty_report, done=_("述职报告已提交，党员和党委可以开始评议。"), then=DETAIL
    )


@require_POST
def duty_vote(request, pk):
    report = _get_report(request, pk)
    if not can(request.user, "duty.vote", report):
        if report.ballot is not None and ballots.has_voted(report.ballot, user=request.user):
            messages.error(request, _("您已参加过本次述职评议，每人只能投一次。"))
            return redirect("assessments:duty.detail", pk=report.pk)
        raise PermissionDenied
    choice = VoteForm(request.POST).data.get("choice", "")
    return run_action(
        request, report, services.cast_duty_vote, choice=choice, done=_("您的评议意见已匿名计入。"), then=DETAIL
    )


@require_POST
def duty_close(request, pk):
    report = _get_report(request, pk, "duty.close")
    return run_action(request, report, services.close_duty_report, done=_("述职评议已结束。"), then=DETAIL)


@require_POST
def attachment_upload(request, pk):
    report, file = _get_report(request, pk, "duty.edit"), request.FILES.get("file")
    return run_action(
        request, report, services.add_duty_attachment, uploaded_file=file, done=_("附件已上传。"), then=DETAIL
    )


@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(DutyAttachment.objects.select_related("report"), pk=pk)
    if not visible_reports(request.user).filter(pk=attachment.report_id).exists():
        raise Http404
    return stored_file_response(attachment, f"duty-attachment-{attachment.pk}")
