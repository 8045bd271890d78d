"""What the records say about a 四强 sub-criterion, shown beside it on the review page.

A criterion is free text that committee staff edit each year, so the records it can be checked
against are found from the words it uses (``measures``):

=====================  ==================================================================
words in the text      figures (the application's year, judged as the compliance table does)
=====================  ==================================================================
学时                    the study ledger: members under their yearly target (32 学时, 56 for
                       committee members); only the committee members when the text names
                       支委/班子/委员
支委会                  compliance cells of the monthly 支委会 rule: months held / missed
三会一课                compliance cells of every rule of the branch and its party groups
整改                    rectification items due in the year: closed by the deadline or not
=====================  ==================================================================

Nothing else the criteria name (党费, 发展党员, 第一议题, …) has records in Zhibu, so those
criteria show no figures. A figure *contradicts* a pass when the records show the criterion
not met (anyone under the hours target, a month or period missed, an item overdue); the review
page flags it and ``services.review_four_strong`` wants a written reason for such a pass.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine import DUE, MET, MISSED
from compliance.periods import default_as_of
from compliance.services import compliance_table
from organizations.models import Unit
from rectification.models import Rectification, Status
from study.services import load_ledgers

STUDY_HOURS = "study_hours"
COMMITTEE_MEETINGS = "committee_meetings"
ORGANISATIONAL_LIFE = "organisational_life"
RECTIFICATION = "rectification"
LIST_LIMIT = 5


@dataclass
class Figure:
    measure: str
    text: str
    contradicts: bool
    details: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Pure: which records a criterion names, and what they say


def measures(text: str) -> list[str]:
    text = text or ""
    out = []
    if "学时" in text:
        out.append(STUDY_HOURS)
    if "支委会" in text:
        out.append(COMMITTEE_MEETINGS)
    if "三会一课" in text:
        out.append(ORGANISATIONAL_LIFE)
    if "整改" in text:
        out.append(RECTIFICATION)
    return out


def leaders_only(text: str) -> bool:
    return any(word in (text or "") for word in ("支委", "班子", "委员"))


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:LIST_LIMIT])
    if len(items) > LIST_LIMIT:
        shown += _("等%(n)s项") % {"n": len(items)}
    return shown


def study_figure(rows: Iterable[tuple[str, object, object]], *, leaders: bool) -> Figure:
    """``rows``: (name, hours, target) of the people the criterion concerns."""
    rows = list(rows)
    under = [f"{name}{hours}/{target}" for name, hours, target in rows if hours < target]
    who = _("支委成员") if leaders else _("党员")
    if not rows:
        return Figure(STUDY_HOURS, _("学习台账：本年度没有%(who)s的学时记录。") % {"who": who}, False)
    text = _("学习台账：%(who)s%(n)s人，%(met)s人达到规定学时，%(under)s人未达到") % {
        "who": who,
        "n": len(rows),
        "met": len(rows) - len(under),
        "under": len(under),
    }
    if under:
        text += _("（%(list)s学时）") % {"list": _listed(under)}
    return Figure(STUDY_HOURS, text + "。", bool(under), under)


def cells_figure(measure: str, label: str, cells: Iterable[tuple[str, str]]) -> Figure:
    """``cells``: (status, "unit rule period" text) of the compliance cells the criterion concerns."""

    cells = list(cells)
    met = sum(1 for status, _t in cells if status == MET)
    missed = [text for status, text in cells if status == MISSED]
    due = sum(1 for status, _t in cells if status == DUE)
    if not (met or missed or due):
        return Figure(measure, _("%(label)s：本年度不适用或尚无应落实的周期。") % {"label": label}, False)
    text = _("%(label)s：已落实%(met)s个周期，未落实%(missed)s个，进行中%(due)s个") % {
        "label": label,
        "met": met,
        "missed": len(missed),
        "due": due,
    }
    if missed:
        text += _("（未落实：%(list)s）") % {"list": _listed(missed)}
    return Figure(measure, text + "。", bool(missed), missed)


def rectification_figure(items: Iterable[tuple[str, bool]]) -> Figure:
    """``items``: (problem, closed by its deadline) of the items due in the year so far."""
    items = list(items)
    late = [problem for problem, on_time in items if not on_time]
    if not items:
        return Figure(RECTIFICATION, _("整改台账：本年度尚无到期的整改事项。"), False)
    text = _("整改台账：到期整改事项%(n)s项，按期销号%(ok)s项，逾期或未销号%(late)s项") % {
        "n": len(items),
        "ok": len(items) - len(late),
        "late": len(late),
    }
    if late:
        text += _("（%(list)s）") % {"list": _listed(late)}
    return Figure(RECTIFICATION, text + "。", bool(late), late)


# ---------------------------------------------------------------------------------------------
# Loading the figures of one application


def _as_of(year: int) -> datetime.date:
    """As the compliance table judges a year by default: today during it, and once it is over
    the next 1 January (December and the year's last periods closed)."""

    return default_as_of(year, timezone.localdate())


def _study(branch, year: int, leaders: bool) -> Figure:

    _settings, ledgers = load_ledgers([branch], year)
    rows = [(r.name, r.total, r.target) for ledger in ledgers for r in ledger.rows if (r.is_leader or not leaders)]
    return study_figure(rows, leaders=leaders)


def _cells(branch, year: int):

    units = Unit.objects.filter(pk=branch.pk) | Unit.objects.filter(parent_id=branch.pk)
    return compliance_table(year, as_of=_as_of(year), units=units)


def _cell_text(cell, *, rule: bool = True) -> str:
    span = cell.span.text
    return f"{cell.unit_name}{cell.rule_name}（{span}）" if rule else span


def _rectification(branch, year: int) -> Figure:

    as_of = _as_of(year)
    rows = Rectification.objects.filter(
        unit=branch,
        archived_at__isnull=True,
        deadline__gte=datetime.date(year, 1, 1),
        deadline__lte=datetime.date(year, 12, 31),
        deadline__lt=as_of,
    ).order_by("deadline", "id")
    items = []
    for problem, status, deadline, verified_at in rows.values_list("problem", "status", "deadline", "verified_at"):
        on_time = status == Status.VERIFIED and verified_at is not None and timezone.localdate(verified_at) <= deadline
        items.append((" ".join(problem.split())[:30], on_time))
    return rectification_figure(items)


def criterion_figures(app) -> dict[int, list[Figure]]:
    """criterion id → the figures the records give for it (only criteria the records can answer)."""
    rows = list(app.assessments.select_related("criterion"))
    wanted = {r.criterion_id: measures(r.criterion.text) for r in rows}
    needed = {m for ms in wanted.values() for m in ms}
    cells = _cells(app.unit, app.year) if needed & {COMMITTEE_MEETINGS, ORGANISATIONAL_LIFE} else []
    cache: dict[tuple, Figure] = {}
    out: dict[int, list[Figure]] = {}
    for r in rows:
        figures = []
        for m in wanted[r.criterion_id]:
            if m == STUDY_HOURS:
                key = (m, leaders_only(r.criterion.text))
                if key not in cache:
                    cache[key] = _study(app.unit, app.year, key[1])
            elif m == COMMITTEE_MEETINGS:
                key = (m,)
                if key not in cache:
                    pairs = [(c.status, _cell_text(c, rule=False)) for c in cells if c.rule_code == "committee_meeting"]
                    cache[key] = cells_figure(m, _("支委会"), pairs)
            elif m == ORGANISATIONAL_LIFE:
                key = (m,)
                if key not in cache:
                    cache[key] = cells_figure(m, _("组织生活制度"), [(c.status, _cell_text(c)) for c in cells])
            else:
                key = (m,)
                if key not in cache:
                    cache[key] = _rectification(app.unit, app.year)
            figures.append(cache[key])
        if figures:
            out[r.criterion_id] = figures
    return out


def contradicted(figures: dict[int, list[Figure]]) -> set[int]:
    """The criteria whose records say they are not met."""
    return {cid for cid, fs in figures.items() if any(f.contradicts for f in fs)}
