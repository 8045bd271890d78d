"""Fixtures of the compliance tests."""

import pytest

from tests import factories as f


@pytest.fixture
def personas(personas):
    """The shared personas, with a 支部委员会 of three in each branch (these tests judge 支委会)."""
    return f.seat_committees(personas)
