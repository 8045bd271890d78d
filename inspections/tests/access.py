"""Access-matrix rows for the inspection URLs (collected by tests/test_access_matrix.py).

Targets: ``inspection`` (a spot check of the test committee naming branch A only),
``draw`` (a draw of it) and ``finding`` (a finding on branch A). Secretary A reads them; secretary
B (branch B is not named) and member A get 404; only staff and inspectors act.
"""

import datetime

from tests.matrix import BRANCH_A_READ, OK, SCOPED_LIST, expect, pk_targets

MANAGE_GET = expect(200, 200, 403, 404, 404)
MANAGE_POST = expect(OK, OK, 403, 404, 404)

MATRIX = {
    "inspections:inspection.list": ("GET", SCOPED_LIST, None),
    "inspections:inspection.create": ("GET", expect(200, 200, 403, 403, 403), None),
    "inspections:inspection.detail": ("GET", BRANCH_A_READ, "inspection"),
    "inspections:inspection.edit": ("GET", MANAGE_GET, "inspection"),
    "inspections:inspection.advance": ("POST", MANAGE_POST, "inspection"),
    "inspections:report.download": ("GET", MANAGE_GET, "inspection"),
    "inspections:draw.create": ("GET", MANAGE_GET, "inspection"),
    "inspections:draw.detail": ("GET", BRANCH_A_READ, "draw"),
    "inspections:draw.repeat": ("POST", MANAGE_POST, "draw"),
    "inspections:finding.create": ("GET", MANAGE_GET, "inspection"),
    "inspections:finding.edit": ("GET", MANAGE_GET, "finding"),
    "inspections:finding.raise": ("GET", MANAGE_GET, "finding"),
}


def make_inspection(personas, **overrides):
    from inspections import services

    data = {
        "title": "第一季度随机抽查",
        "kind": "spot_check",
        "planned_start": datetime.date(2025, 4, 1),
        "planned_end": datetime.date(2025, 4, 30),
        "inspectors": [personas.inspector],
        "whole_committee": False,
        "branches": [personas.org.branch_a],
        "notes": "",
    }
    data.update(overrides)
    return services.create_inspection(personas.org.committee, data, actor=personas.staff)


def make_draw(personas, inspection=None):
    from inspections import services
    from tests import factories as f

    inspection = inspection or make_inspection(personas)
    for day in (5, 12, 19):
        f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 2, day), kinds=["theme_day"])
    data = {
        "record_type": "meeting",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 3, 31),
        "branch_count": 1,
        "records_per_branch": 2,
        "weighted": False,
        "seed": "20250401",
    }
    return services.draw_spot_check(inspection, data, actor=personas.inspector)


def make_finding(personas, inspection=None):
    from inspections import services

    inspection = inspection or make_inspection(personas)
    return services.add_finding(
        inspection,
        {"unit": personas.org.branch_a, "meeting": None, "text": "支委会记录不完整", "severity": "general"},
        actor=personas.inspector,
    )


target_kwargs = pk_targets(inspection=make_inspection, draw=make_draw, finding=make_finding)
