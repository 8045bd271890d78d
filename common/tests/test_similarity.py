"""common.similarity: pure, no database."""

import random

import pytest

from common.similarity import (
    SIGNATURE_BINS,
    find_similar,
    lsh_parameters,
    near_duplicate_pairs,
    normalize,
    shared_passages,
    similarity,
)

MINUTES = (
    "3月10日，支部书记王伟主持召开支部党员大会。会议集中学习了《中国共产党章程》第二章有关条款，"
    "全体党员逐条对照检查，结合岗位实际谈了体会。会议还研究了本季度发展党员工作，"
    "决定由组织委员负责联系入党积极分子。会议应到12人，实到11人。"
)
OTHER = "今天组织青年志愿者到社区开展垃圾分类宣传，发放宣传册两百余份，解答居民咨询，活动历时三小时。"
BANK = [
    "支部书记主持会议并传达上级精神",
    "全体党员认真学习党章有关条款",
    "与会同志结合工作实际交流了体会",
    "组织委员通报了发展党员工作情况",
    "纪检委员领学了廉洁自律准则",
    "会议研究了下一阶段的工作安排",
    "青年党员代表作了交流发言",
    "大家一致表示要把学习成果转化为工作动力",
]


def test_normalize_folds_full_width_and_drops_punctuation_and_spaces():
    assert normalize("ＡＢＣ　１２３，学习《党章》。 Hello!") == "abc123学习党章hello"


def test_identical_texts_score_one():
    assert similarity(MINUTES, MINUTES) == 1.0


def test_texts_differing_only_in_punctuation_and_width_score_one():
    variant = MINUTES.replace("，", ",").replace("。", ". ").replace("12", "１２")
    assert similarity(MINUTES, variant) == 1.0


def test_unrelated_texts_score_low():
    assert similarity(MINUTES, OTHER) < 0.05


def test_an_empty_text_scores_zero():
    assert similarity("", MINUTES) == 0.0
    assert similarity("，。", "，。") == 0.0


def test_a_lightly_edited_copy_scores_high_but_below_one():
    copy = MINUTES.replace("王伟", "李强").replace("11人", "10人")
    assert 0.8 <= similarity(MINUTES, copy) < 1.0


def test_find_similar_returns_matches_above_threshold_best_first():
    copy = MINUTES.replace("王伟", "李强")
    found = find_similar(MINUTES, [("a", OTHER), ("b", copy), ("c", MINUTES)], threshold=0.8)
    assert [key for key, _score in found] == ["c", "b"]
    assert found[0][1] == 1.0


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
def test_lsh_parameters_keep_recall_at_the_threshold(threshold):
    rows, bands = lsh_parameters(threshold)
    assert rows * bands <= SIGNATURE_BINS
    assert 1 - (1 - threshold**rows) ** bands >= 0.99


def _synthetic(rng, n):
    return "".join(rng.choice(BANK) + rng.choice("，。；") for _ in range(n)) + str(rng.randint(1000, 9999))


def test_near_duplicate_pairs_find_the_planted_copies_and_nothing_else():
    rng = random.Random(7)
    items = []
    planted = set()
    for key in range(400):
        if key % 20 == 19:
            original = key - rng.randint(1, 15)
            text = items[original][2]
            chars = list(text)
            chars[rng.randrange(len(chars))] = "改"
            items.append((key, key % 3, "".join(chars) + "。"))
            planted.add((original, key))
        else:
            # Unrelated minutes: their own sentences, plus a record number and names of their own.
            items.append((key, key % 3, f"第{key}号记录" + _synthetic(rng, 8) + OTHER[key % 20 :] + f"记录人{key}"))
    pairs = near_duplicate_pairs(items, threshold=0.8)
    found = {(a, b) for a, b, _score in pairs}
    assert planted <= found
    for a, b, score in pairs:
        assert score >= 0.8
        assert score == pytest.approx(similarity(items[a][2], items[b][2]))


def test_near_duplicate_pairs_put_the_earlier_item_first_and_can_skip_pairs_inside_a_group():
    copy = MINUTES.replace("王伟", "李强")
    items = [(1, "一支部", MINUTES), (2, "一支部", copy), (3, "二支部", MINUTES + "散会。")]
    pairs = near_duplicate_pairs(items, threshold=0.8)
    assert {(a, b) for a, b, _s in pairs} == {(1, 2), (1, 3), (2, 3)}
    across = near_duplicate_pairs(items, threshold=0.8, across_groups_only=True)
    assert {(a, b) for a, b, _s in across} == {(1, 3), (2, 3)}


def test_near_duplicate_pairs_are_the_same_on_every_run():
    items = [(i, 0, MINUTES.replace("王伟", name)) for i, name in enumerate(["甲", "乙", "丙", "丁"])]
    assert near_duplicate_pairs(items, threshold=0.8) == near_duplicate_pairs(list(items), threshold=0.8)


def test_shared_passages_map_back_to_the_original_texts():
    a = "会议学习了《中国共产党章程》，全体党员一致表示要坚定理想信念。另外讨论了经费问题。"
    b = "本次会议学习了《中国共产党章程》全体党员一致表示要坚定理想信念!其他事项略。"
    spans = shared_passages(a, b)
    assert len(spans) == 1
    a_start, a_end, b_start, b_end = spans[0]
    assert a[a_start:a_end] == "会议学习了《中国共产党章程》，全体党员一致表示要坚定理想信念"
    assert b[b_start:b_end] == "会议学习了《中国共产党章程》全体党员一致表示要坚定理想信念"


def test_shared_passages_handle_full_width_forms_and_spaces_inside_a_passage():
    a = "ＡＢＣ，全角标点１２３４５６７８９结束"
    b = "前言abc 全角标点，123456789"
    ((a_start, a_end, b_start, b_end),) = shared_passages(a, b)
    assert a[a_start:a_end] == "ＡＢＣ，全角标点１２３４５６７８９"
    assert b[b_start:b_end] == "abc 全角标点，123456789"


def test_shared_passages_do_not_overlap_and_respect_min_chars():
    a = "甲乙丙丁戊己庚辛壬癸子丑寅卯。一二三四五六七八九十百千万。"
    b = "一二三四五六七八九十百千万，以及甲乙丙丁戊己庚辛壬癸子丑寅卯"
    spans = shared_passages(a, b, min_chars=12)
    assert len(spans) == 2
    covered = [i for s, e, _bs, _be in spans for i in range(s, e)]
    assert len(covered) == len(set(covered))
    assert shared_passages(a, b, min_chars=20) == []
    assert shared_passages("短", "短") == []
