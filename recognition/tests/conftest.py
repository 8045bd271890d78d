import pytest


@pytest.fixture
def year():
    return 2025
