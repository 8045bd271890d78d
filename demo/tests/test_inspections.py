"""The demo spot check, on a small organisation named like the demo's (the full demo takes ~20 s to
build): a stored fixed-seed draw, findings on drawn records, items; idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from common.models import AuditEntry
from demo.steps import inspections as demo
from demo.steps.organisation import COMMITTEE_NAME
from inspections import rules, services
from inspections.models import Finding, Inspection, SpotCheckDraw

TODAY = datetime.date(2026, 5, 20)
User = get_user_model()


def small_demo_org():
    """The demo's committee and two branches with last year's Q4 meetings, built with factories."""
    from accounts.models import Role
    from tests import factories as f

    committee = f.CommitteeUnitFactory(name=COMMITTEE_NAME)
    branches = [f.UnitFactory(name=name, parent=committee) for name in ("机关第一党支部", "机关第二党支部")]
    for branch in branches:
        f.secretary_in(branch, name=f"{branch.name[2:4]}书记", term={"number": 1})
        for month in (10, 11, 12):
            for day in (8, 22):
                f.MeetingFactory(unit=branch, date=datetime.date(2025, month, day), kinds=["theme_day"])
    f.RoleGrantFactory(user=f.UserFactory(username="inspector"), unit=committee, role=Role.INSPECTOR)
    f.RoleGrantFactory(user=f.UserFactory(username="staff"), unit=committee, role=Role.COMMITTEE_STAFF)
    return committee


def test_last_quarter_is_the_calendar_quarter_before_today():
    assert demo.last_quarter(datetime.date(2026, 5, 20)) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert demo.last_quarter(datetime.date(2026, 1, 1)) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))


def test_the_demo_adds_a_reproducible_spot_check_with_findings_and_items(db, client):
    small_demo_org()
    summary = demo.seed(TODAY)
    inspection = Inspection.objects.get()
    assert inspection.title == "2026年第1季度组织生活随机抽查"
    assert inspection.status == "in_progress" and inspection.kind == "spot_check"
    assert datetime.date(2026, 1, 1) <= inspection.planned_start <= inspection.planned_end <= datetime.date(2026, 3, 31)
    draw = SpotCheckDraw.objects.get()
    assert draw.seed == str(demo.SEED)
    assert (draw.period_start, draw.period_end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert len(draw.sample) == 2 and all(len(r["records"]) == 3 for r in draw.sample)
    assert services.compute_sample(draw.seed_value, draw.candidates, n_units=2, per_unit=3) == rules.Sample.from_json(
        draw.sample
    )
    findings = list(Finding.objects.order_by("id"))
    assert len(findings) == 3
    assert {f.unit_id for f in findings} == {r["unit"] for r in draw.sample}
    assert all(f.meeting_id in {pk for r in draw.sample for pk in r["records"]} for f in findings)
    items = services.items_by_finding(f.pk for f in findings)
    assert [len(items[f.pk]) for f in findings] == [1, 1, 0]
    assert all(i.source == "inspection" and i.responsible is not None for f in findings for i in items[f.pk])
    assert str(demo.SEED) in summary and "2 条已转为整改事项" in summary
    services.repeat_draw(draw, actor=None)
    assert draw.repeat_identical is True

    # The inspector persona opens the draw; a second run adds nothing.
    client.force_login(User.objects.get(username="inspector"), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("inspections:draw.detail", args=[draw.pk])).content.decode()
    assert str(demo.SEED) in page
    assert "已存在" in demo.seed(TODAY)
    assert Finding.objects.count() == 3


def test_running_the_demo_twice_adds_nothing(db):
    small_demo_org()
    demo.seed(TODAY)
    entries = AuditEntry.objects.count()
    summary = demo.seed(TODAY)
    assert "已存在" in summary
    assert Inspection.objects.count() == 1 and Finding.objects.count() == 3
    assert AuditEntry.objects.count() == entries


def test_the_demo_skips_items_when_rectification_is_unavailable(db, monkeypatch):
    small_demo_org()
    monkeypatch.setattr(services, "open_item_function", lambda: None)
    summary = demo.seed(TODAY)
    assert "未转整改事项" in summary
    assert Finding.objects.count() == 3
    assert not services.rectification_model().objects.exists()


def test_without_the_demo_organisation_it_adds_nothing(db):
    assert "未找到演示组织" in demo.seed(TODAY)
    assert not Inspection.objects.exists()
