import datetime

from organizations.models import Unit
from tests import factories as f


def test_subtree_is_one_query_and_excludes_siblings(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Unit.objects.subtree(org.branch_a).values_list("name", flat=True))
    assert names == {"第一党支部", "第一党小组"}


def test_path_follows_the_parent_chain(org):
    assert org.group_a.path.startswith(org.branch_a.path)
    assert org.branch_a.path.startswith(org.committee.path)
    assert org.group_a.depth == 3


def test_existing_on_leaves_out_units_not_yet_founded_or_dissolved(org):
    f.UnitFactory(name="新支部", parent=org.committee, founded_on=datetime.date(2025, 6, 1))
    f.UnitFactory(
        name="旧支部",
        parent=org.committee,
        founded_on=datetime.date(2020, 1, 1),
        dissolved_on=datetime.date(2024, 1, 1),
    )
    names = set(Unit.objects.existing_on(datetime.date(2025, 1, 1)).values_list("name", flat=True))
    assert "新支部" not in names and "旧支部" not in names and "第一党支部" in names
