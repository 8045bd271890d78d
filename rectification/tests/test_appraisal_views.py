"""民主评议 pages: create, own self-assessment and ballot, the anonymous tally, the decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ballots.models import Ballot
from rectification import services
from rectification.models import AppraisalRound, Rectification


@pytest.fixture
def rnd(personas, branch_roll):
    rnd = services.create_round(personas.org.branch_a, {"year": 2025}, actor=personas.secretary_a)
    services.open_voting(rnd, actor=personas.secretary_a)
    return rnd


def test_the_secretary_creates_a_round_and_a_duplicate_is_named(personas, branch_roll, login):
    client = login(personas.secretary_a)
    url = reverse("rectification:round.create", kwargs={"unit_id": personas.org.branch_a.pk})
    response = client.post(url, {"year": 2025})
    rnd = AppraisalRound.objects.get()
    assert response.url == reverse("rectification:round.detail", args=[rnd.pk])
    assert rnd.results.count() == 6
    page = client.post(url, {"year": 2025})
    assert "年度：第一党支部 已有 2025 年度的民主评议。" in page.content.decode()


def test_the_round_form_offers_only_the_branchs_meetings(personas, branch_roll, login):
    from tests import factories as f

    own = f.MeetingFactory(unit=personas.org.branch_a, kinds=["life_meeting"])
    f.MeetingFactory(unit=personas.org.branch_b, kinds=["life_meeting"])
    page = login(personas.secretary_a).get(
        reverse("rectification:round.create", kwargs={"unit_id": personas.org.branch_a.pk})
    )
    assert list(page.context["form"].fields["meeting"].queryset) == [own]


@pytest.mark.parametrize("kind", ["life_meeting", "general_meeting"])
def test_a_round_is_linked_to_the_meeting_where_it_was_held(personas, branch_roll, login, kind):
    # Issue 12: choosing the 组织生活会 or the 党员大会 answered "选择一个有效的选项" — the
    # options were a sliced queryset, and a sliced queryset cannot look a choice up.
    from tests import factories as f

    meeting = f.MeetingFactory(unit=personas.org.branch_a, kinds=[kind], date=datetime.date(2025, 12, 20))
    client = login(personas.secretary_a)
    url = reverse("rectification:round.create", kwargs={"unit_id": personas.org.branch_a.pk})
    assert meeting in client.get(url).context["form"].fields["meeting"].queryset
    response = client.post(url, {"year": 2025, "meeting": meeting.pk})
    rnd = AppraisalRound.objects.get()
    assert response.status_code == 302 and rnd.meeting == meeting
    # The round page names the meeting; the meeting page links back to the round.
    detail = client.get(reverse("rectification:round.detail", args=[rnd.pk])).content.decode()
    assert reverse("meetings:meeting.detail", args=[meeting.pk]) in detail
    back = client.get(reverse("meetings:meeting.detail", args=[meeting.pk])).content.decode()
    assert reverse("rectification:round.detail", args=[rnd.pk]) in back


def test_the_round_form_offers_the_branchs_life_and_general_meetings(personas, branch_roll, login):
    # Only the kinds where 民主评议 is held (组织生活会, 党员大会), never archived; the year is
    # checked by the service, so a meeting of another year is named, not "not available".
    from tests import factories as f

    branch = personas.org.branch_a
    later = f.MeetingFactory(unit=branch, kinds=["general_meeting"], date=datetime.date(2026, 4, 1))
    life = f.MeetingFactory(unit=branch, kinds=["life_meeting"], date=datetime.date(2026, 1, 20))
    general = f.MeetingFactory(unit=branch, kinds=["general_meeting", "party_lesson"], date=datetime.date(2025, 6, 1))
    f.MeetingFactory(unit=branch, kinds=["committee_meeting"], date=datetime.date(2025, 6, 2))
    f.MeetingFactory(unit=branch, kinds=["life_meeting"], date=datetime.date(2025, 5, 1), archived_at=timezone.now())
    client = login(personas.secretary_a)
    url = reverse("rectification:round.create", kwargs={"unit_id": branch.pk})
    field = client.get(url).context["form"].fields["meeting"]
    assert list(field.queryset) == [later, life, general]
    assert field.label_from_instance(general) == f"2025-06-01 支部党员大会 · {general.topic}"
    page = client.post(url, {"year": 2025, "meeting": later.pk})
    assert (
        "评议会议：会议日期不在 2025 年度内（次年1、2月召开的年度组织生活会或党员大会也可）。" in page.content.decode()
    )
    earlier = f.MeetingFactory(unit=branch, kinds=["life_meeting"], date=datetime.date(2025, 1, 20))
    page = client.post(url, {"year": 2025, "meeting": earlier.pk})
    assert "评议会议：该组织生活会是 2024 年度的，不是 2025 年度的。" in page.content.decode()
    # The 年度 stored on the record decides (the secretary may set it): held in March, for 2025.
    late = f.MeetingFactory(unit=branch, kinds=["life_meeting"], date=datetime.date(2026, 3, 5), held_for_year=2026)
    page = client.post(url, {"year": 2025, "meeting": late.pk})
    assert "评议会议：该组织生活会是 2026 年度的，不是 2025 年度的。" in page.content.decode()
    # The 2025年度组织生活会 held on 2026-01-20 is 2025's.
    response = client.post(url, {"year": 2025, "meeting": life.pk})
    assert response.status_code == 302 and AppraisalRound.objects.get().meeting == life


def test_a_member_writes_their_own_self_assessment(rnd, personas, login):
    client = login(personas.member_a)
    url = reverse("rectification:round.self", args=[rnd.pk])
    page = client.post(url, {"self_assessment": ""})
    assert "个人自评：不能为空。" in page.content.decode()
    client.post(url, {"self_assessment": "按时参加组织生活。"})
    assert rnd.results.get(member=personas.members.member_a).self_assessment == "按时参加组织生活。"


def test_a_member_votes_once_and_cannot_read_their_ballot_back(rnd, personas, login):
    # Rewritten: the page used to show the member's stored grades again (initial "excellent")
    # for a change; nothing links a ballot to its voter any more, so it cannot.
    other = personas.members.other_a
    client = login(personas.member_a)
    url = reverse("rectification:round.vote", args=[rnd.pk])
    page = client.get(url)
    fields = set(page.context["form"].fields)
    assert f"vote_{personas.members.member_a.pk}" not in fields  # not themselves
    assert f"vote_{other.pk}" in fields
    client.post(url, {f"vote_{other.pk}": "excellent"})
    assert list(Ballot.objects.filter(round=rnd.ballot).values_list("choice", flat=True)) == ["excellent"]
    again = client.get(url)
    assert again.context["voted"] and not again.context["open"]
    assert "excellent" not in str(again.context["form"].initial)
    client.post(url, {f"vote_{other.pk}": "basic"})
    assert list(Ballot.objects.filter(round=rnd.ballot).values_list("choice", flat=True)) == ["excellent"]
    # The round page shows the member their own part, never the tally.
    detail = client.get(reverse("rectification:round.detail", args=[rnd.pk]))
    assert not detail.context["readable"] and "tally" not in detail.context


def test_the_tally_shows_totals_after_closing_and_never_who_voted_how(rnd, personas, login):
    # Rewritten: the page used to show the running totals while voting and list who voted; now
    # it shows the turnout while open (and the organiser who has not voted), the totals after.
    m = personas.members
    services.cast_ballot(rnd, m.member_a, {m.other_a.pk: "excellent"}, actor=personas.member_a)
    services.cast_ballot(rnd, m.secretary_a, {m.other_a.pk: "basic"}, actor=personas.secretary_a)
    third = rnd.results.get(member__name="甲委员").member
    services.cast_ballot(rnd, third, {m.other_a.pk: "basic"}, actor=None)
    page = login(personas.inspector).get(reverse("rectification:round.detail", args=[rnd.pk]))
    row = next(r for r in page.context["tally"] if r["result"].member_id == m.other_a.pk)
    assert row["counts"] is None and page.context["ballot"].voters == 3
    assert page.context["not_voted"] is None  # the inspector does not organise
    organiser = login(personas.secretary_a).get(reverse("rectification:round.detail", args=[rnd.pk]))
    assert "甲党员" not in organiser.context["not_voted"] and "甲同事" in organiser.context["not_voted"]
    services.close_voting(rnd, actor=personas.secretary_a)
    page = login(personas.inspector).get(reverse("rectification:round.detail", args=[rnd.pk]))
    row = next(r for r in page.context["tally"] if r["result"].member_id == m.other_a.pk)
    assert row["counts"] == [1, 0, 2, 0] and row["total"] == 3
    assert "voters" not in page.context and "votes" not in page.context


def test_the_decision_page_names_each_problem_and_opens_an_item(rnd, personas, login):
    graded = [r for r in rnd.results.select_related("member") if r.graded]
    for voter in graded:
        services.cast_ballot(
            rnd, voter.member, {r.member_id: "qualified" for r in graded if r is not voter}, actor=None
        )
    client = login(personas.secretary_a)
    response = client.get(reverse("rectification:round.decide", args=[rnd.pk]))
    assert response.status_code == 302  # voting still open: close it first
    client.post(reverse("rectification:round.close", args=[rnd.pk]))
    url = reverse("rectification:round.decide", args=[rnd.pk])
    data = {f"grade_{r.member_id}": "excellent" for r in graded}
    page = client.post(url, data)
    assert "优秀不超过参评人数的三分之一" in page.content.decode()
    data = {f"grade_{r.member_id}": "qualified" for r in graded}
    data[f"grade_{personas.members.other_a.pk}"] = "basic"
    response = client.post(url, data)
    assert response.status_code == 302
    item = Rectification.objects.get(source="appraisal")
    assert item.member == personas.members.other_a
    detail = client.get(reverse("rectification:round.detail", args=[rnd.pk]))
    row = next(r for r in detail.context["tally"] if r["result"].member_id == personas.members.other_a.pk)
    assert row["item"] == item


def test_a_round_of_branch_a_is_404_for_branch_b(rnd, personas, login):
    client = login(personas.secretary_b)
    for name in ("round.detail", "round.decide", "round.vote", "round.self"):
        assert client.get(reverse(f"rectification:{name}", args=[rnd.pk])).status_code == 404


def test_archive_and_restore_a_round(rnd, personas, login):
    client = login(personas.secretary_a)
    client.post(reverse("rectification:round.archive", args=[rnd.pk]))
    assert AppraisalRound.objects.get(pk=rnd.pk).is_archived
    client.post(reverse("rectification:round.restore", args=[rnd.pk]))
    assert not AppraisalRound.objects.get(pk=rnd.pk).is_archived
