import datetime

import pytest

from assessments import services
from tests import factories as f

YEAR = 2025
TODAY = datetime.date(2026, 1, 15)


@pytest.fixture
def personas(personas):
    """The shared personas, with a 支部委员会 of three in each branch (the indicators judge 支委会)."""
    return f.seat_committees(personas)


@pytest.fixture
def year_set(personas):
    """The default 2025 indicator set, computed once for branches A and B."""
    s = services.create_indicator_set(YEAR, actor=personas.staff)
    services.recompute_year(s, actor=personas.staff, today=TODAY)
    return s


def score_all_manual(indicator_set, actor, points=None):
    from assessments.models import Method, Score

    for score in Score.objects.filter(
        assessment__indicator_set=indicator_set, indicator__method=Method.MANUAL
    ).select_related("indicator"):
        services.enter_manual_score(
            score,
            {
                "points": points if points is not None else score.indicator.weight,
                "evidence_text": "查阅台账",
                "comment": "扣分原因",
            },
            actor=actor,
            expected_version=score.version,
        )
