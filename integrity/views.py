"""Integrity pages: the risk dashboard, one branch's signals, one record's signals, and two
records' minutes side by side. Read-only; fetched through ``integrity.permissions``."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.scope import get_scope
from common.similarity import shared_passages, similarity, similarity_threshold
from integrity import display, permissions, services
from integrity import signals as sig
from meetings.models import Meeting
from organizations.models import Unit


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止日期：不能早于起始日期。"))
        return data


def _period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period asked for; by default the twelve months up to today."""
    today = timezone.localdate()
    default_start = today - datetime.timedelta(days=364)
    form = PeriodForm(request.GET or None)
    start, end = default_start, today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _readable_paths(user) -> list[str]:
    return get_scope(user).paths(*permissions.READ_ROLES)


def _can_read(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def _present(signal: sig.Signal, findings: services.Findings, paths: list[str]) -> dict:
    """A signal as the template shows it: the other record linked only if the reader may see it."""
    related = findings.meetings.get(signal.related_id) if signal.related_id else None
    shown = related is not None and _can_read(paths, findings.branch_paths.get(related.branch_id, "\0"))
    return {
        "signal": signal,
        "label": signal.label,
        "text": signal.explanation if shown or related is None else signal.text_for_limited,
        "related": related if shown else None,
        "compare": shown and signal.kind == sig.NEAR_DUPLICATE,
    }


@require_GET
def dashboard(request):
    if not permissions.can(request.user, "dashboard"):
        if permissions.can_read_any(request.user):
            raise PermissionDenied
        raise Http404
    form, start, end = _period(request)
    branches = list(
        permissions.visible_branches(request.user, Unit.objects.active().filter(archived_at__isnull=True)).order_by(
            "path"
        )
    )
    risks, _findings = services.unit_risks(branches, start=start, end=end)
    rows = sorted(
        ({"unit": b, "risk": risks[b.pk][0]} for b in branches),
        key=lambda r: (-r["risk"].score, r["unit"].path),
    )
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    for r in rows:
        r["url"] = reverse("integrity:unit", args=[r["unit"].pk]) + "?" + query
        r["counts"] = [r["risk"].counts[kind] for kind in sig.KINDS]
    totals = [sum(r["risk"].counts[kind] for r in rows) for kind in sig.KINDS]
    chart = display.risk_bars_svg([(r["unit"].name, r["risk"].score) for r in rows], url=lambda i: rows[i]["url"])
    weights = [(sig.LABELS[k], sig.WEIGHTS[k], sig.WEIGHT_REASONS[k]) for k in sig.KINDS]
    return render(
        request,
        "integrity/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": rows,
            "labels": [sig.LABELS[k] for k in sig.KINDS],
            "totals": totals,
            "chart": chart,
            "weights": weights,
            "threshold": round(similarity_threshold() * 100),
        },
    )


@require_GET
def unit_signals(request, pk):
    if not permissions.can_read_any(request.user):
        raise Http404
    unit = permissions.get_visible_branch_or_404(request.user, pk=pk)
    form, start, end = _period(request)
    risks, findings = services.unit_risks([unit], start=start, end=end)
    risk, signals = risks[unit.pk]
    paths = _readable_paths(request.user)
    records: dict[int, dict] = {}
    for s in signals:
        fact = findings.meetings[s.meeting_id]
        records.setdefault(s.meeting_id, {"fact": fact, "signals": []})["signals"].append(_present(s, findings, paths))
    ordered = sorted(records.values(), key=lambda r: (r["fact"].date, r["fact"].id), reverse=True)
    return render(
        request,
        "integrity/unit_signals.html",
        {
            "unit": unit,
            "form": form,
            "start": start,
            "end": end,
            "risk": risk,
            "records": ordered,
            "counts": [(sig.LABELS[k], risk.counts[k]) for k in sig.KINDS],
            "can_dashboard": permissions.can(request.user, "dashboard"),
            "threshold": round(similarity_threshold() * 100),
        },
    )


def meeting_findings(meeting: Meeting) -> services.Findings:
    """The signals of one record (its branch's records on its date are loaded with it)."""
    branch = meeting.unit.parent if meeting.unit.parent_id and meeting.unit.kind == "party_group" else meeting.unit
    return services.find_signals([branch], start=meeting.date, end=meeting.date)


@require_GET
def meeting_signals(request, pk):
    if not permissions.can_read_any(request.user):
        raise Http404
    meeting = permissions.get_visible_or_404(
        request.user, Meeting.objects.select_related("unit", "unit__parent"), pk=pk
    )
    findings = meeting_findings(meeting)
    paths = _readable_paths(request.user)
    shown = [_present(s, findings, paths) for s in findings.for_meeting(meeting.pk)]
    return render(
        request,
        "integrity/meeting_signals.html",
        {
            "meeting": meeting,
            "signals": shown,
            "entered_on": timezone.localdate(meeting.entered_at),
            "threshold": round(similarity_threshold() * 100),
        },
    )


@require_GET
def compare(request):
    if not permissions.can_read_any(request.user):
        raise Http404
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError as exc:
        raise Http404 from exc
    queryset = Meeting.objects.select_related("unit")
    first = permissions.get_visible_or_404(request.user, queryset, pk=a_id)
    second = permissions.get_visible_or_404(request.user, queryset, pk=b_id)
    passages = shared_passages(first.minutes, second.minutes)
    shared_chars = sum(end - start for start, end, _bs, _be in passages)
    return render(
        request,
        "integrity/compare.html",
        {
            "first": first,
            "second": second,
            "score": round(similarity(first.minutes, second.minutes) * 100),
            "first_html": display.highlight(first.minutes, [(s, e) for s, e, _bs, _be in passages]),
            "second_html": display.highlight(second.minutes, [(bs, be) for _s, _e, bs, be in passages]),
            "passages": len(passages),
            "shared_percent": round(100 * shared_chars / len(first.minutes)) if first.minutes else 0,
        },
    )
