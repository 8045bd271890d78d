#!/usr/bin/env python
"""Benchmark of near-duplicate detection over meeting minutes (issue 4, part 5). Not a test.

    .venv/bin/python bench/similarity.py --count 100000

generates ``count`` synthetic minutes in Chinese from a phrase bank (a seeded ``random.Random``,
so every run sees the same texts), plants near-duplicates (a copy of an earlier minutes with a
few characters changed, a sentence added or dropped, punctuation and full-/half-width forms
altered, in the same or another branch), then times
``common.similarity.near_duplicate_pairs`` over all of them and prints:

* the wall time and CPU time of the detection (generation not included);
* pairs found, and how many of them are planted;
* recall on the planted pairs: of all planted pairs, and of those whose exact similarity
  reaches the threshold (the ones the detector promises to find);
* the peak resident memory of the process (``ru_maxrss``), and the memory before detection.

The detector runs in this single process (pure Python, no numpy). Runs offline in ~2 minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.similarity import near_duplicate_pairs, similarity  # noqa: E402

SUBJECTS = [
    "支部书记",
    "组织委员",
    "宣传委员",
    "纪检委员",
    "全体党员",
    "与会同志",
    "党小组长",
    "青年党员",
    "预备党员",
    "支委会成员",
    "机关党委同志",
    "老党员代表",
]
ACTIONS = [
    "认真学习了",
    "集中传达了",
    "深入研讨了",
    "逐条对照了",
    "结合工作实际交流了",
    "围绕主题讨论了",
    "重温了",
    "领学了",
    "专题学习了",
    "谈了学习",
]
OBJECTS = [
    "党章有关条款",
    "支部工作条例",
    "廉洁自律准则",
    "纪律处分条例",
    "党史学习教育的要求",
    "上级党委的部署",
    "意识形态工作责任制",
    "发展党员工作细则",
    "三会一课制度",
    "主题党日活动方案",
    "作风建设的具体措施",
    "为民服务的典型事迹",
    "警示教育案例",
    "年度党建工作要点",
    "调查研究的工作方法",
    "基层减负的相关规定",
]
TAILS = [
    "，大家一致表示要学以致用",
    "，并结合岗位职责提出了改进意见",
    "，明确了下一步工作任务",
    "，要求各党小组抓好落实",
    "，会议气氛热烈",
    "，与会党员踊跃发言",
    "，形成了书面学习心得",
    "，查找了工作中存在的不足",
    "，对照检查了自身差距",
    "",
]
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子轩欣怡思远志国建文斌辉"


def _sentence(rng: random.Random) -> str:
    return rng.choice(SUBJECTS) + rng.choice(ACTIONS) + rng.choice(OBJECTS) + rng.choice(TAILS) + "。"


def _person(rng: random.Random) -> str:
    return rng.choice(NAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def minutes(rng: random.Random, day: int) -> str:
    """One minutes: host line, 6–12 sentences from the bank, a closing line with a count."""
    host = _person(rng)
    body = "".join(_sentence(rng) for _ in range(rng.randint(6, 12)))
    month, date = 1 + day % 12, 1 + day % 28
    return (
        f"{month}月{date}日，{host}主持召开会议。{body}"
        f"会议应到{rng.randint(8, 40)}人，实到{rng.randint(6, 38)}人，{_person(rng)}记录。"
    )


FULL_WIDTH = str.maketrans({"，": ",", "。": ".", "0": "０", "1": "１", "2": "２"})


def near_copy(rng: random.Random, text: str) -> str:
    """A copy with small edits: a few characters replaced, a sentence added or dropped, the
    punctuation partly changed to half-width and spaces inserted (what copy-paste leaves)."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(chars))
        chars[position] = rng.choice(GIVEN)
    copied = "".join(chars)
    sentences = copied.split("。")
    roll = rng.random()
    if roll < 0.3 and len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences) - 2)]
    elif roll < 0.6 and len(sentences) > 1:
        sentences.insert(rng.randrange(1, len(sentences)), _sentence(rng).rstrip("。"))
    copied = "。".join(sentences)
    if rng.random() < 0.5:
        copied = copied.translate(FULL_WIDTH)
    if rng.random() < 0.3:
        copied = copied.replace("。", "。 ", 3)
    return copied


def build(count: int, planted_share: float, branches: int, seed: int):
    rng = random.Random(seed)
    items: list[tuple[int, int, str]] = []
    planted: list[tuple[int, int]] = []
    for key in range(count):
        branch = rng.randrange(branches)
        if key > 10 and rng.random() < planted_share:
            original = rng.randrange(max(0, key - 5000), key)
            other_branch = branch if rng.random() < 0.4 else rng.randrange(branches)
            items.append((key, other_branch, near_copy(rng, items[original][2])))
            planted.append((original, key))
        else:
            items.append((key, branch, minutes(rng, key)))
    return items, planted


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--planted", type=float, default=0.05, help="share of minutes that are near-copies")
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    items, planted = build(args.count, args.planted, args.branches, args.seed)
    generated = time.perf_counter() - started
    chars = sum(len(t) for _k, _g, t in items)
    before = rss_mb()

    started, cpu_started = time.perf_counter(), time.process_time()
    pairs = near_duplicate_pairs(items, threshold=args.threshold)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = rss_mb()

    found = {(a, b) for a, b, _s in pairs}
    found |= {(b, a) for a, b in found}
    texts = {k: t for k, _g, t in items}
    planted_hits = sum(1 for pair in planted if pair in found)
    above = [pair for pair in planted if similarity(texts[pair[0]], texts[pair[1]]) >= args.threshold]
    above_hits = sum(1 for pair in above if pair in found)
    figures = {
        "count": args.count,
        "characters": chars,
        "mean_chars": round(chars / max(1, args.count)),
        "threshold": args.threshold,
        "generate_seconds": round(generated, 1),
        "detect_seconds": round(elapsed, 1),
        "detect_cpu_seconds": round(cpu, 1),
        "pairs_found": len(pairs),
        "planted_pairs": len(planted),
        "planted_found": planted_hits,
        "recall_all_planted": round(planted_hits / max(1, len(planted)), 4),
        "planted_at_or_above_threshold": len(above),
        "recall_at_or_above_threshold": round(above_hits / max(1, len(above)), 4),
        "rss_before_detect_mb": round(before),
        "peak_rss_mb": round(peak),
    }
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
