"""The demo seed on the demo organisation (seed_demo with its meetings)."""

import datetime

import pytest
from django.core.management import call_command

from demo.steps import recognition as demo
from recognition.models import FiveLeadsNote, FourStrong, Nomination, NoticeStatus


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-apps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return datetime.date.today()


def test_it_says_so_when_the_demo_organisation_is_missing(db):
    assert "尚未载入" in demo.seed(datetime.date(2026, 3, 1))


def test_the_demo_names_a_branch_two_model_posts_and_reviews_a_site(seeded):
    today = seeded
    summary = demo.seed(today)
    year = today.year - 1
    assert "四强支部1个" in summary
    named = FourStrong.objects.get(year=year)
    assert named.status == NoticeStatus.NAMED and named.named_on > named.notice_end
    if year in (2025, 2026):
        assert named.notice_start.month == 9 and named.notice_end.month == 10, "the notice runs across 国庆"
    posts = Nomination.objects.filter(year=year, kind="model_post", status=NoticeStatus.NAMED)
    assert posts.count() == 2
    assert Nomination.objects.get(year=year, kind="demo_site").status == NoticeStatus.REVIEWING
    assert FiveLeadsNote.objects.filter(year=year).count() >= 2
    # Seeding twice adds nothing.
    assert "未重复添加" in demo.seed(today)
    assert Nomination.objects.filter(year=year).count() == 3
