"""民主评议党员 pages: rounds (list, create, detail with the turnout and, once voting is closed, the
anonymous tally), open and close voting, the branch decision, and each member's own
self-assessment and ballot. The ballot itself is ``ballots``'; these views call its services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ballots import permissions as ballot_permissions
from ballots import services as ballots
from common.archiving import archive_view
from common.models import AuditEntry
from meetings import permissions as meeting_permissions
from rectification import permissions, rules, services
from rectification.forms import BallotForm, DecideForm, RoundForm, SelfAssessmentForm
from rectification.models import AppraisalResult, AppraisalRound, Rectification, RoundStatus
from rectification.permissions import can, get_round_or_404, own_result, visible_rounds
from rectification.views import branch_for_create, pick_branch

TABS = [("round", gettext_lazy("评议情况")), ("history", gettext_lazy("变更记录"))]


def _get_round(request, pk, action: str | None = None) -> AppraisalRound:
    rnd = get_round_or_404(
        request.user, AppraisalRound.objects.select_related("unit", "meeting", "decided_by", "ballot"), pk=pk
    )
    if action is not None and not can(request.user, action, rnd):
        raise PermissionDenied
    return rnd


def _tally_rows(facts) -> list[dict]:
    """One row per graded member: votes per grade (totals only, and only once voting is closed
    with enough voters; ``counts`` is None while withheld), and the decided grade."""
    rows = []
    outcome = facts["ballot"]
    for result in facts["results"]:
        if not result.graded:
            continue
        item = outcome.item(str(result.member_id))
        votes = item.counts if item is not None else None
        rows.append(
            {
                "result": result,
                "counts": [votes.get(g, 0) for g in rules.GRADES] if votes is not None else None,
                "total": item.marks if item is not None else None,
            }
        )
    return rows


def _meeting_url(user, meeting) -> str | None:
    """The page of the meeting the round was held at, for a reader who may open it."""
    if meeting is None or not meeting_permissions.can(user, "view", meeting):
        return None
    return reverse("meetings:meeting.detail", args=[meeting.pk])


@never_cache
@require_GET
def round_list(request):
    user = request.user
    rounds = list(
        visible_rounds(user, AppraisalRound.objects.select_related("unit", "meeting")).order_by(
            "-year", "unit__path", "id"
        )
    )
    managed = {r.pk for r in rounds if can(user, "view", r)}
    own = {}
    if rounds:
        for result in (
            AppraisalResult.objects.filter(round__in=rounds, member__user_id=user.pk)
            .select_related("member")
            .order_by("round_id")
        ):
            own[result.round_id] = result
    voted = ballots.voted_in([r.ballot_id for r in rounds if r.pk in own], user=user) if own else set()
    rows = [
        {"round": r, "readable": r.pk in managed, "own": own.get(r.pk), "voted": r.ballot_id in voted} for r in rounds
    ]
    return render(
        request,
        "rectification/round_list.html",
        {"rows": rows, "can_create": can(user, "round.create")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def round_create(request, unit_id=None):
    user = request.user
    if unit_id is None:
        if not can(user, "round.create"):
            raise PermissionDenied
        return pick_branch(
            request,
            permissions.units_for_round(user),
            then="rectification:round.create",
            title=_("新建民主评议"),
            back=reverse("rectification:round.list"),
        )
    unit = branch_for_create(request, unit_id, "round.create")
    form = RoundForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.create_round(unit, form.cleaned_data, actor=user)
        except services.RectificationError as exc:
            form.apply_errors(exc.errors)
        else:
            messages.success(request, _("已新建%(round)s。") % {"round": rnd})
            return redirect("rectification:round.detail", pk=rnd.pk)
    return render(request, "rectification/round_form.html", {"form": form, "unit": unit})


@never_cache
@require_GET
def round_detail(request, pk):
    rnd = _get_round(request, pk)
    user = request.user
    readable = can(user, "view", rnd)
    tab = request.GET.get("tab", "round")
    if tab not in dict(TABS) or not readable:
        tab = "round"
    ctx = {
        "round": rnd,
        "tab": tab,
        "tabs": TABS if readable else [],
        "readable": readable,
        "can_manage": can(user, "manage", rnd),
        "own": own_result(user, rnd),
        "grade_labels": [rules.grade_labels()[g] for g in rules.GRADES],
        "meeting_url": _meeting_url(user, rnd.meeting),
    }
    if ctx["own"] is not None:
        ctx["own_voted"] = ballots.has_voted(rnd.ballot, member=ctx["own"].member)
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(rnd).select_related("actor", "content_type")
    elif readable:
        facts = services.round_facts(rnd)
        full_voters = len(facts["voter_ids"] & set(facts["graded"]))
        items = Rectification.objects.filter(
            content_type__app_label="rectification",
            content_type__model="appraisalresult",
            object_id__in=[r.pk for r in facts["results"]],
        )
        by_result = {i.object_id: i for i in items}
        tally = _tally_rows(facts)
        for row in tally:
            row["item"] = by_result.get(row["result"].pk)
        organiser = ctx["can_manage"]
        ctx.update(
            {
                "tally": tally,
                "ballot": facts["ballot"],
                "min_voters": rnd.ballot.min_voters,
                "ungraded": [r for r in facts["results"] if not r.graded],
                # Who has not voted yet, for the organiser's reminder, while voting is open.
                "not_voted": ballots.not_voted(rnd.ballot)
                if ballot_permissions.can(user, "not_voted", rnd.ballot, organiser=organiser)
                else None,
                "full_count": len(facts["graded"]),
                "full_voters": full_voters,
                "quorum": rules.quorum_met(len(facts["graded"]), full_voters),
                "excellent_limit": rules.excellent_limit(len(facts["graded"])),
                "results": facts["results"],
            }
        )
    return render(request, "rectification/round_detail.html", ctx)


round_open = archive_view(
    get=lambda request, pk: _get_round(request, pk, "manage"),
    service=services.open_voting,
    done=lambda rnd: _("已开始投票。"),
    then="rectification:round.detail",
)


round_close = archive_view(
    get=lambda request, pk: _get_round(request, pk, "manage"),
    service=services.close_voting,
    done=lambda rnd: _("已结束投票。"),
    then="rectification:round.detail",
)


@never_cache
@require_http_methods(["GET", "POST"])
def round_decide(request, pk):
    rnd = _get_round(request, pk, "manage")
    if rnd.is_archived or rnd.status in (RoundStatus.DRAFT, RoundStatus.VOTING):
        if rnd.is_archived:
            messages.error(request, _("该民主评议已归档。"))
        elif rnd.status == RoundStatus.DRAFT:
            messages.error(request, _("请先开始投票，再评定等次。"))
        else:
            messages.error(request, _("请先结束投票，再评定等次。"))
        return redirect("rectification:round.detail", pk=rnd.pk)
    facts = services.round_facts(rnd)
    form = DecideForm(request.POST or None, results=facts["results"])
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_round(rnd, form.grades(), actor=request.user)
        except services.RectificationError as exc:
            form.apply_errors(exc.errors)
        else:
            messages.success(request, _("已评定等次。"))
            return redirect("rectification:round.detail", pk=rnd.pk)
    full_voters = len(facts["voter_ids"] & set(facts["graded"]))
    rows = [{**row, "field": form.field_for(row["result"].member_id)} for row in _tally_rows(facts)]
    return render(
        request,
        "rectification/round_decide.html",
        {
            "round": rnd,
            "form": form,
            "rows": rows,
            "ballot": facts["ballot"],
            "min_voters": rnd.ballot.min_voters,
            "not_voted": None,
            "ungraded": [r for r in facts["results"] if not r.graded],
            "grade_labels": [rules.grade_labels()[g] for g in rules.GRADES],
            "full_count": len(facts["graded"]),
            "full_voters": full_voters,
            "quorum": rules.quorum_met(len(facts["graded"]), full_voters),
            "excellent_limit": rules.excellent_limit(len(facts["graded"])),
        },
    )


def _own(request, rnd):
    result = own_result(request.user, rnd)
    if result is None:
        raise PermissionDenied
    return result


@never_cache
@require_http_methods(["GET", "POST"])
def round_self(request, pk):
    """The member's own self-assessment (个人自评)."""
    rnd = _get_round(request, pk)
    result = _own(request, rnd)
    if not can(request.user, "self_assess", result):
        raise PermissionDenied
    editable = not rnd.is_archived and rnd.status != RoundStatus.DECIDED
    form = SelfAssessmentForm(request.POST or None, initial={"self_assessment": result.self_assessment})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(result, form.cleaned_data["self_assessment"], actor=request.user)
        except services.RectificationError as exc:
            form.apply_errors(exc.errors)
        else:
            messages.success(request, _("已保存个人自评。"))
            return redirect("rectification:round.detail", pk=rnd.pk)
    return render(
        request, "rectification/round_self.html", {"round": rnd, "result": result, "form": form, "editable": editable}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def round_vote(request, pk):
    """The member's own ballot: a grade for each graded member of the branch (not themselves)."""
    rnd = _get_round(request, pk)
    result = _own(request, rnd)
    if not can(request.user, "vote", result):
        raise PermissionDenied
    voter = result.member
    appraisees = [
        r.member for r in rnd.results.filter(graded=True).select_related("member").order_by("member__name", "member_id")
    ]
    appraisees = [m for m in appraisees if m.pk != voter.pk]
    # A ballot cannot be read back or changed: nothing links it to the voter any more.
    voted = ballots.has_voted(rnd.ballot, member=voter)
    form = BallotForm(request.POST or None, appraisees=appraisees)
    open_ = not rnd.is_archived and rnd.status == RoundStatus.VOTING and not voted
    if request.method == "POST" and open_ and form.is_valid():
        try:
            n = services.cast_ballot(rnd, voter, form.ballot(), actor=request.user)
        except services.RectificationError as exc:
            form.apply_errors(exc.errors)
        else:
            messages.success(request, _("已投票（%(n)s 人）。投票结果只以合计显示。") % {"n": n})
            return redirect("rectification:round.detail", pk=rnd.pk)
    return render(
        request,
        "rectification/round_vote.html",
        {"round": rnd, "form": form, "open": open_, "voted": voted},
    )


round_archive = archive_view(
    get=lambda request, pk: _get_round(request, pk, "manage"),
    service=services.archive_round,
    done=lambda rnd: _("已归档民主评议，可随时恢复。"),
    then="rectification:round.detail",
)


round_restore = archive_view(
    get=lambda request, pk: _get_round(request, pk, "manage"),
    service=services.restore_round,
    done=lambda rnd: _("已恢复民主评议。"),
    then="rectification:round.detail",
)
