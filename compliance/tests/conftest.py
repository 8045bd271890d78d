"""Fixtures of the compliance tests."""

import pytest

from committees.models import CommitteeRole
from tests import factories as f


@pytest.fixture
def personas(personas):
    """The shared personas, with a 支部委员会 of three in each branch: a branch whose term has
    only a secretary holds no 支委会 (docs/rules.md), and these tests judge 支委会 cells."""
    m = personas.members
    for term, organizer, publicity in (
        (personas.terms.a, m.member_a, m.other_a),
        (personas.terms.b, m.other_b, f.MemberFactory(name="乙委员")),
    ):
        f.TermMemberFactory(term=term, member=organizer, role=CommitteeRole.ORGANIZATION)
        f.TermMemberFactory(term=term, member=publicity, role=CommitteeRole.PUBLICITY)
    return personas
