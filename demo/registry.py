"""The demo steps registry: what ``seed_demo`` runs, in order.

A step is a name, a function ``run(today)`` and whether it depends on the previous step. The
function is idempotent (a second run adds nothing) and returns what ``seed_demo`` prints: nothing,
one line, or several; a line wrapped in ``Loaded`` is printed as a success. A step that depends on
the previous one runs only when that one ran, so skipping a step (``seed_demo --no-meetings``
skips ``meetings``) skips the chain that hangs on it. The registry is plain Python: which steps run
is decided without a database (``Steps.chosen``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

Outcome = str | Iterable[str] | None


class Loaded(str):
    """A line that reports data just loaded (``seed_demo`` prints it as a success)."""


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[datetime.date], Outcome]
    after_previous: bool = True  # runs only when the step before it ran


class Steps:
    """An ordered registry of demo steps; names are unique."""

    def __init__(self) -> None:
        self._steps: list[DemoStep] = []

    def register(self, step: DemoStep) -> DemoStep:
        if any(s.name == step.name for s in self._steps):
            raise ValueError(f"demo step {step.name!r} is registered twice")
        self._steps.append(step)
        return step

    def __iter__(self) -> Iterator[DemoStep]:
        return iter(self._steps)

    def names(self) -> list[str]:
        return [s.name for s in self._steps]

    def chosen(self, *, skip: Iterable[str] = ()) -> list[DemoStep]:
        """The steps that run when ``skip`` are left out, with every step hanging on a skipped one."""
        skip = set(skip)
        unknown = skip - set(self.names())
        if unknown:
            raise ValueError(f"unknown demo steps: {sorted(unknown)}")
        chosen, ran = [], True
        for step in self._steps:
            ran = step.name not in skip and (ran or not step.after_previous)
            if ran:
                chosen.append(step)
        return chosen


def lines(outcome: Outcome) -> list[str]:
    """What a step's outcome prints, one string per line."""
    if not outcome:
        return []
    if isinstance(outcome, str):
        return [outcome]
    return [line for line in outcome if line]
