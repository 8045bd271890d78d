"""The whole seed_demo, as `make run` calls it: every step once, nothing added the second time."""

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Role, RoleGrant
from demo.steps import accounts as demo_extras

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def test_seed_demo_loads_every_app_once_and_prints_a_login_per_role(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    second = _counts()
    # The second run adds nothing but its own audit entries for the periodic summary, if any.
    changed = {k: (first[k], second[k]) for k in first if first[k] != second[k] and k != "common.AuditEntry"}
    assert changed == {}
    for role, username, _name in demo_extras.ADMIN_LOGINS:
        grant = RoleGrant.objects.get(user__username=username)
        assert grant.role == role and grant.unit is None
    assert RoleGrant.objects.filter(role=Role.SECRETARY).count() == 5
    capsys.readouterr()
    call_command("demo_logins")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 + 9  # the address, then the six business roles and the three administrators
    assert any(line.startswith("审计管理员(auditadmin)  auditadmin  ") for line in lines)
    # Each app's demo step left its records.
    for label in (
        "campaigns.Campaign",
        "study.StudyRecord",
        "rectification.Rectification",
        "lifemeetings.HeartTalk",
        "inspections.Inspection",
        "recognition.FourStrong",
        "recognition.Nomination",
        "assessments.Assessment",
        "assessments.DutyReport",
    ):
        assert second[label] > 0, label
