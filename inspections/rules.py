"""Pure rules of the inspections app (no ORM): the reproducible random draw and the status moves.

The draw (随机抽查抽样)
-----------------------
Given a seed, the candidate branches and, per branch, the candidate records, ``draw`` returns the
same sample every time, on any machine:

* Branches are taken in ascending id order. Each gets a key ``log(u) / w`` where ``u`` is the next
  number from ``random.Random(seed)`` (mapped into (0, 1]) and ``w`` the branch's weight (1 when
  the draw is not weighted); the ``n`` largest keys win. This is the Efraimidis–Spirakis method of
  weighted sampling without replacement: a branch of weight 3 is about three times as likely as a
  branch of weight 1 to be drawn first.
* Each drawn branch then draws its ``m`` records with a generator of its own, seeded from the
  seed and the branch id (first 8 bytes of SHA-256 of ``"<seed>:<branch id>"``), over its records
  sorted by (date, id). A record added to one branch therefore changes only that branch's part.

Only ``random.Random.random`` (Mersenne Twister, stable across Python versions) is used; the
library's ``sample``/``choices`` are not, since their algorithms may change between versions.
"""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MAX_SEED = 2**64 - 1

# Allowed status moves of an inspection (the only way to move is the service).
PLANNED, IN_PROGRESS, REPORTED = "planned", "in_progress", "reported"
NEXT_STATUS = {PLANNED: IN_PROGRESS, IN_PROGRESS: REPORTED}


def next_status(status: str) -> str | None:
    return NEXT_STATUS.get(status)


def new_seed() -> int:
    """A fresh random 64-bit seed (from the operating system's generator)."""
    return secrets.randbits(64)


def parse_seed(text) -> int:
    """The seed a user typed (digits, 0 … 2⁶⁴−1); ``ValueError`` otherwise."""
    text = str(text).strip().replace(" ", "").replace(",", "")
    if not text.isdigit() or not text.isascii():
        raise ValueError("seed must be digits")
    value = int(text)
    if value > MAX_SEED:
        raise ValueError("seed out of range")
    return value


def branch_seed(seed: int, unit_id: int) -> int:
    digest = hashlib.sha256(f"{seed}:{unit_id}".encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big")


def _top(rng: random.Random, ids: Sequence[int], k: int, weights: Sequence[float] | None = None) -> list[int]:
    """The ``k`` ids with the largest keys ``log(u)/w``, returned in their input order."""
    scored = []
    for index, ident in enumerate(ids):
        u = 1.0 - rng.random()  # in (0, 1], so the log is defined
        w = weights[index] if weights is not None else 1.0
        scored.append((math.log(u) / w, index, ident))
    chosen = sorted(scored, key=lambda t: (-t[0], t[1]))[: max(k, 0)]
    return [ident for _key, _index, ident in sorted(chosen, key=lambda t: t[1])]


@dataclass(frozen=True)
class Sample:
    """The drawn branches (ascending id) and, for each, the drawn record ids (by date, id)."""

    rows: tuple[tuple[int, tuple[int, ...]], ...]

    def as_json(self) -> list[dict]:
        return [{"unit": unit, "records": list(records)} for unit, records in self.rows]

    @classmethod
    def from_json(cls, data) -> Sample:
        return cls(tuple((int(r["unit"]), tuple(int(x) for x in r["records"])) for r in data or ()))

    @property
    def unit_ids(self) -> list[int]:
        return [unit for unit, _records in self.rows]


def sorted_records(records: Sequence) -> list[tuple[str, int]]:
    """Records as ``(date iso, id)`` pairs sorted by date then id (JSON lists accepted)."""
    return sorted((str(d), int(i)) for d, i in records)


def draw(
    seed: int,
    units: Sequence[int],
    records: Mapping[int, Sequence],
    *,
    n_units: int,
    per_unit: int,
    weights: Mapping[int, float] | None = None,
) -> Sample:
    """Draw ``n_units`` branches of ``units`` and up to ``per_unit`` records of each.

    ``records`` maps a branch id to its candidate records as ``(date, id)`` pairs; ``weights`` (if
    given) maps every branch id to a weight > 0. Asking for more than there are takes them all.
    """
    if not 0 <= seed <= MAX_SEED:
        raise ValueError("seed out of range")
    if n_units < 1 or per_unit < 1:
        raise ValueError("counts must be positive")
    ids = sorted({int(u) for u in units})
    unit_weights = None
    if weights is not None:
        unit_weights = [float(weights[u]) for u in ids]
        if any(not (w > 0) or math.isinf(w) for w in unit_weights):
            raise ValueError("weights must be positive and finite")
    rng = random.Random(seed)
    chosen = _top(rng, ids, n_units, unit_weights)
    rows = []
    for unit in chosen:
        candidates = [i for _d, i in sorted_records(records.get(unit, ()))]
        picked = _top(random.Random(branch_seed(seed, unit)), candidates, per_unit)
        rows.append((unit, tuple(picked)))
    return Sample(tuple(rows))


@dataclass
class CandidateDiff:
    """How the candidates of a repeated draw differ from those the draw was made on."""

    units_added: list[int] = field(default_factory=list)
    units_removed: list[int] = field(default_factory=list)
    weights_changed: list[int] = field(default_factory=list)
    records_added: dict[int, list[int]] = field(default_factory=dict)
    records_removed: dict[int, list[int]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.units_added or self.units_removed or self.weights_changed or self.records_added or self.records_removed
        )


def candidate_diff(before: Mapping, after: Mapping) -> CandidateDiff:
    """Compare two candidate sets ``{"units": [...], "weights": {id: w} | None, "records": {id: [[d, id]]}}``."""
    diff = CandidateDiff()
    units_before = {int(u) for u in before.get("units", ())}
    units_after = {int(u) for u in after.get("units", ())}
    diff.units_added = sorted(units_after - units_before)
    diff.units_removed = sorted(units_before - units_after)
    w_before = {int(k): float(v) for k, v in (before.get("weights") or {}).items()}
    w_after = {int(k): float(v) for k, v in (after.get("weights") or {}).items()}
    diff.weights_changed = sorted(u for u in units_before & units_after if w_before.get(u) != w_after.get(u))
    # A record whose date changed shows as removed (old date) and added (new date).
    r_before = {int(k): set(sorted_records(v)) for k, v in (before.get("records") or {}).items()}
    r_after = {int(k): set(sorted_records(v)) for k, v in (after.get("records") or {}).items()}
    for unit in sorted(units_before & units_after):
        added = [i for _d, i in sorted(r_after.get(unit, set()) - r_before.get(unit, set()))]
        removed = [i for _d, i in sorted(r_before.get(unit, set()) - r_after.get(unit, set()))]
        if added:
            diff.records_added[unit] = added
        if removed:
            diff.records_removed[unit] = removed
    return diff


def risk_weight(score: float) -> float:
    """A branch's draw weight from its risk score (0–100): 1 + score, so no branch is ever excluded."""
    return 1.0 + max(0.0, min(100.0, float(score)))
