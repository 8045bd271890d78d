"""The demo steps registry: order, the chain of dependent steps, and that no app imports the demo."""

import ast
import inspect
from pathlib import Path

import pytest
from django.conf import settings

from demo.registry import DemoStep, Loaded, Steps, lines
from demo.steps import APPS, MEETINGS, STEPS


def _noop(today):
    return None


def test_seed_demo_runs_the_organisation_then_meetings_logins_and_every_area_in_order():
    assert STEPS.names() == ["organisation", MEETINGS, "accounts", *APPS]
    assert [s.name for s in STEPS.chosen()] == STEPS.names()


def test_no_meetings_stops_after_the_organisation_and_no_apps_after_the_logins():
    assert [s.name for s in STEPS.chosen(skip={MEETINGS})] == ["organisation"]
    assert [s.name for s in STEPS.chosen(skip={APPS[0]})] == ["organisation", MEETINGS, "accounts"]


def test_a_step_that_does_not_hang_on_the_previous_one_runs_after_a_skip():
    steps = Steps()
    for name, after in (("a", False), ("b", True), ("c", True), ("d", False), ("e", True)):
        steps.register(DemoStep(name, _noop, after_previous=after))
    assert [s.name for s in steps.chosen(skip={"b"})] == ["a", "d", "e"]


def test_a_step_name_is_registered_once_and_an_unknown_skip_is_refused():
    steps = Steps()
    steps.register(DemoStep("a", _noop))
    with pytest.raises(ValueError, match="twice"):
        steps.register(DemoStep("a", _noop))
    with pytest.raises(ValueError, match="unknown"):
        steps.chosen(skip={"z"})


def test_a_step_prints_nothing_one_line_or_several():
    assert lines(None) == [] and lines("") == []
    assert lines("一行") == ["一行"]
    assert lines([Loaded("载入"), "", "未改动"]) == ["载入", "未改动"]
    assert isinstance(lines(Loaded("载入"))[0], Loaded)


def test_every_step_takes_the_day_of_seeding():
    # The steps are called as run(today); a wrong signature would fail only at seed time.
    for step in STEPS:
        params = list(inspect.signature(step.run).parameters)
        assert params[:1] == ["today"], step.name


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_app_imports_the_demo_and_no_app_keeps_demo_code():
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in [a for a in settings.INSTALLED_APPS if "." not in a and a != "demo"]:
        folder = root / app
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            rel = path.relative_to(root)
            if "tests" in rel.parts or "migrations" in rel.parts:
                continue
            if "demo" in _imports(path) or path.stem == "demo" or path.stem.startswith("demo_"):
                offenders.append(str(rel))
    assert offenders == []
