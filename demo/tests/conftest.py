import io

import pytest
from django.core.management import call_command
from django.utils import timezone


@pytest.fixture
def demo_today(db):
    """The demo organisation and its meetings loaded (``seed_demo --no-apps``); returns today,
    the date an app's demo step is then seeded for."""
    call_command("seed_demo", "--no-apps", stdout=io.StringIO())
    return timezone.localdate()
