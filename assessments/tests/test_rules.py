"""Pure assessment rules: no database."""

from decimal import Decimal as D

import pytest

from assessments import rules
from assessments.indicators import DEFAULT_TREE


def test_linear_points_scale_between_zero_and_full():
    kw = {"weight": D(10), "zero_at": D(60), "full_at": D(100), "when_empty": rules.ZERO_WHEN_EMPTY}
    assert rules.linear_points(D(100), **kw) == D("10.00")
    assert rules.linear_points(D(80), **kw) == D("5.00")
    assert rules.linear_points(D(60), **kw) == D("0.00")
    assert rules.linear_points(D(30), **kw) == D("0.00")
    assert rules.linear_points(D(120), **kw) == D("10.00")


def test_lower_is_better_when_full_is_below_zero():
    kw = {"weight": D(5), "zero_at": D(3), "full_at": D(0), "when_empty": rules.FULL_WHEN_EMPTY}
    assert rules.linear_points(D(0), **kw) == D("5.00")
    assert rules.linear_points(D(1), **kw) == D("3.33")
    assert rules.linear_points(D(3), **kw) == D("0.00")
    assert rules.linear_points(D(7), **kw) == D("0.00")


def test_nothing_to_count_scores_full_or_nothing_by_the_metric():
    kw = {"weight": D(10), "zero_at": D(50), "full_at": D(100)}
    assert rules.linear_points(None, when_empty=rules.FULL_WHEN_EMPTY, **kw) == D("10.00")
    assert rules.linear_points(None, when_empty=rules.ZERO_WHEN_EMPTY, **kw) == D("0.00")


@pytest.mark.parametrize(
    ("metric_name", "unit", "weight", "zero_at", "full_at", "says"),
    [
        ("整改事项销号率", "%", 10, 50, 100, ["达到100%及以上得满分10分", "50%及以下不得分", "无可计数据时得满分"]),
        ("逾期整改事项数", "项", 5, 3, 0, ["0项及以下得满分5分", "3项及以上不得分"]),
    ],
    ids=["higher_is_better", "lower_is_better"],
)
def test_the_rule_text_says_both_ends_and_the_direction(metric_name, unit, weight, zero_at, full_at, says):
    text = rules.rule_text(
        metric_name=metric_name,
        unit=unit,
        weight=D(weight),
        zero_at=D(zero_at),
        full_at=D(full_at),
        when_empty=rules.FULL_WHEN_EMPTY,
    )
    for phrase in says:
        assert phrase in text


def test_it_refuses_weights_that_do_not_sum_to_100_and_shows_the_sum():
    assert rules.leaf_weight_errors([D(50), D(50)]) is None
    assert rules.leaf_weight_errors([D(50), D("45.5")]) == "末级指标分值合计须为100分，当前合计95.5分。"
    assert "大于0" in rules.leaf_weight_errors([D(100), None])
    assert "还没有任何计分指标" in rules.leaf_weight_errors([])


def _leaf_weights(rows):
    for _name, method, weight, *_rest, children in rows:
        if method:
            yield D(weight)
        yield from _leaf_weights(children)


def test_the_default_tree_sums_to_100():
    assert sum(_leaf_weights(DEFAULT_TREE)) == 100


def test_grade_bands():
    bands = {"good_min": D(90), "fairly_good_min": D(80), "average_min": D(60)}
    assert rules.grade_for(D(95), **bands) == rules.GOOD
    assert rules.grade_for(D(90), **bands) == rules.GOOD
    assert rules.grade_for(D("89.99"), **bands) == rules.FAIRLY_GOOD
    assert rules.grade_for(D(60), **bands) == rules.AVERAGE
    assert rules.grade_for(D("59.9"), **bands) == rules.POOR
    assert rules.grade_for(D(85), good_min=D(85), fairly_good_min=D(70), average_min=D(50)) == rules.GOOD


def test_it_refuses_bands_out_of_order():
    assert rules.band_errors(D(90), D(80), D(60)) == {}
    assert "fairly_good_min" in rules.band_errors(D(80), D(90), D(60))
    assert rules.band_errors(D(120), D(80), D(60))["good_min"] == "分档分数须在0至100之间。"


def test_satisfaction_counts_satisfied_and_basically_satisfied():
    assert rules.satisfaction_rate({"satisfied": 3, "basically": 1, "unsatisfied": 1}) == D("80.00")
    assert rules.satisfaction_rate({}) is None


def test_the_change_note_names_what_no_longer_and_what_newly_costs_points():
    old = [{"text": "3月支委会未召开", "url": ""}, {"text": "4月支委会未召开", "url": ""}]
    new = [{"text": "4月支委会未召开", "url": ""}, {"text": "5月支委会未召开", "url": ""}]
    note = rules.change_note(old, new)
    assert "不再扣分：3月支委会未召开" in note and "新增扣分：5月支委会未召开" in note


def test_ranking_shares_ranks_on_ties():
    assert rules.ranking([(1, D(90)), (2, D(95)), (3, D(90)), (4, D(80))]) == {2: 1, 1: 2, 3: 2, 4: 4}


def test_a_leaf_that_is_not_assessable_is_left_out_and_the_rest_rescaled():
    # (weight, points, assessable): 72 of the 90 points that could be judged is 80 of 100.
    assert rules.scaled_total([(D(60), D(50), True), (D(30), D(22), True), (D(10), None, False)]) == D("80.00")
    # Without a leaf left out the total is the plain sum; a leaf not scored yet counts as 0.
    assert rules.scaled_total([(D(60), D(50), True), (D(30), None, True), (D(10), D(5), True)]) == D("55.00")
    assert rules.scaled_total([(D(100), None, False)]) == D("0.00")
