"""Pure assessment rules (no ORM): linear scoring, the scoring rule in words, grade bands, the
weights check, the duty-report satisfaction rate and why a recomputed score changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
TWO_PLACES = Decimal("0.01")

GOOD, FAIRLY_GOOD, AVERAGE, POOR = "good", "fairly_good", "average", "poor"

# When a metric has nothing to count (no rectification items, no votes): full marks or none.
FULL_WHEN_EMPTY = "full"
ZERO_WHEN_EMPTY = "zero"


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def linear_points(
    value: Decimal | None, *, weight: Decimal, zero_at: Decimal, full_at: Decimal, when_empty: str
) -> Decimal:
    """Points of a leaf: 0 at ``zero_at``, ``weight`` at ``full_at`` and beyond, linear between.

    ``full_at`` below ``zero_at`` means lower is better (an overdue count: 0 → full, 3 → none).
    ``value`` None (nothing to count) scores full or nothing by ``when_empty``."""
    weight = Decimal(weight)
    if value is None:
        return q2(weight) if when_empty == FULL_WHEN_EMPTY else q2(ZERO)
    value, zero_at, full_at = Decimal(value), Decimal(zero_at), Decimal(full_at)
    if zero_at == full_at:
        share = Decimal(1) if (value >= full_at) else Decimal(0)
    else:
        share = (value - zero_at) / (full_at - zero_at)
    share = min(Decimal(1), max(Decimal(0), share))
    return q2(weight * share)


def scaled_total(leaves: Iterable[tuple[Decimal, Decimal | None, bool]]) -> Decimal:
    """The total of ``(weight, points, assessable)`` leaves, on the scale of all the weights.

    A leaf that is not assessable (a withheld 述职评议 result, docs/ballots.md) is left out and
    the others are scaled up to the full weight: 72 points out of the 90 that could be judged is
    80 out of 100. A leaf not scored yet (points None but assessable) counts as 0."""
    leaves = list(leaves)
    whole = sum((Decimal(w) for w, _p, _a in leaves), ZERO)
    judged = sum((Decimal(w) for w, _p, assessable in leaves if assessable), ZERO)
    earned = sum((Decimal(p) for _w, p, assessable in leaves if assessable and p is not None), ZERO)
    if judged <= 0:
        return q2(ZERO)
    if judged == whole:
        return q2(earned)
    return q2(earned * whole / judged)


def fmt(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{Decimal(value).normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit}"


def rule_text(*, metric_name: str, unit: str, weight, zero_at, full_at, when_empty: str) -> str:
    """The scoring rule in Chinese, shown next to the leaf."""
    values = {
        "metric": metric_name,
        "weight": fmt(weight),
        "full": fmt(full_at, unit),
        "zero": fmt(zero_at, unit),
    }
    if Decimal(full_at) >= Decimal(zero_at):
        text = (
            _("按%(metric)s计分：达到%(full)s及以上得满分%(weight)s分，%(zero)s及以下不得分，其间按比例计分") % values
        )
    else:
        text = _("按%(metric)s计分：%(full)s及以下得满分%(weight)s分，%(zero)s及以上不得分，其间按比例计分") % values
    empty = _("无可计数据时得满分") if when_empty == FULL_WHEN_EMPTY else _("无可计数据时不得分")
    return f"{text}；{empty}。"


def leaf_weight_errors(weights: Iterable[Decimal | None]) -> str | None:
    """The Chinese message when the leaves' weights do not sum to 100 (or one is missing)."""
    weights = list(weights)
    if not weights:
        return _("指标体系还没有任何计分指标（末级指标分值合计须为100分）。")
    if any(w is None or Decimal(w) <= 0 for w in weights):
        return _("每个末级指标都须填写大于0的分值。")
    total = sum((Decimal(w) for w in weights), ZERO)
    if total != HUNDRED:
        return _("末级指标分值合计须为100分，当前合计%(sum)s分。") % {"sum": fmt(total)}
    return None


def band_errors(good_min, fairly_good_min, average_min) -> dict[str, str]:
    errors = {}
    for name, value in (("good_min", good_min), ("fairly_good_min", fairly_good_min), ("average_min", average_min)):
        if value is None or not (ZERO <= Decimal(value) <= HUNDRED):
            errors[name] = _("分档分数须在0至100之间。")
    if not errors and not (Decimal(good_min) > Decimal(fairly_good_min) > Decimal(average_min)):
        errors["fairly_good_min"] = _("分档须满足：“好”的最低分 > “较好”的最低分 > “一般”的最低分。")
    return errors


def grade_for(total: Decimal, *, good_min, fairly_good_min, average_min) -> str:
    total = Decimal(total)
    if total >= Decimal(good_min):
        return GOOD
    if total >= Decimal(fairly_good_min):
        return FAIRLY_GOOD
    if total >= Decimal(average_min):
        return AVERAGE
    return POOR


def satisfaction_rate(counts: Mapping[str, int]) -> Decimal | None:
    """(满意 + 基本满意) / all votes, in percent; None without votes."""
    total = sum(counts.values())
    if not total:
        return None
    return q2(Decimal(counts.get("satisfied", 0) + counts.get("basically", 0)) * HUNDRED / total)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in percent (two places), None when ``whole`` is 0."""
    return None if not whole else q2(Decimal(part) * HUNDRED / whole)


def change_note(old: Sequence[Mapping], new: Sequence[Mapping]) -> str:
    """Why a recomputed score changed, from its evidence before and after."""
    before, after = [e["text"] for e in old], [e["text"] for e in new]
    gone = [t for t in before if t not in after]
    added = [t for t in after if t not in before]
    parts = []
    if gone:
        parts.append(_("不再扣分：%(items)s") % {"items": "；".join(gone)})
    if added:
        parts.append(_("新增扣分：%(items)s") % {"items": "；".join(added)})
    if not parts:
        parts.append(_("记录数量变化，计算值随之变化"))
    return "。".join(parts) + "。"


def ranking(totals: Sequence[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of ``(key, total)`` by total, highest first."""
    ordered = sorted(totals, key=lambda t: -Decimal(t[1]))
    out, last, rank = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != last:
            rank, last = i, total
        out[key] = rank
    return out
