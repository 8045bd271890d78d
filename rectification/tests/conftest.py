import datetime

import pytest

from rectification import services
from tests import factories as f


@pytest.fixture
def item(personas):
    """An open inspection item of branch A; the responsible person is member_a."""
    return services.open_item(
        unit=personas.org.branch_a,
        source="inspection",
        problem="学习记录不完整",
        measure="补齐学习记录",
        responsible=personas.members.member_a,
        deadline=datetime.date(2026, 6, 30),
        actor=personas.staff,
    )


@pytest.fixture
def branch_roll(personas):
    """Branch A's roll: secretary_a, member_a, other_a plus two full members and one probationary."""
    org = personas.org
    extra = [f.member_in(org.branch_a, name=n) for n in ("甲委员", "甲老党员")]
    probationary = f.member_in(
        org.branch_a, name="甲预备", category="probationary", full_member_on=None, joined_on=datetime.date(2024, 7, 1)
    )
    return extra, probationary
