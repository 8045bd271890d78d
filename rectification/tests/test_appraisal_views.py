"""民主评议 pages: create, own self-assessment and ballot, the anonymous tally, the decision."""

import pytest
from django.urls import reverse

from rectification import services
from rectification.models import AppraisalRound, AppraisalVote, Rectification


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


def test_a_member_writes_their_own_self_assessment(rnd, personas, login):
    client = login(personas.member_a)
    url = reverse("rectification:round.self", args=[rnd.pk])
    page = client.post(url, {"self_assessment": ""})
    assert "个人自评：不能为空。" in page.content.decode()
    client.post(url, {"self_assessment": "按时参加组织生活。"})
    assert rnd.results.get(member=personas.members.member_a).self_assessment == "按时参加组织生活。"


def test_a_member_votes_and_sees_only_their_own_ballot(rnd, personas, login):
    other = personas.members.other_a
    client = login(personas.member_a)
    url = reverse("rectification:round.vote", args=[rnd.pk])
    page = client.get(url)
    fields = set(page.context["form"].fields)
    assert f"vote_{personas.members.member_a.pk}" not in fields  # not themselves
    assert f"vote_{other.pk}" in fields
    client.post(url, {f"vote_{other.pk}": "excellent"})
    assert AppraisalVote.objects.get(voter=personas.members.member_a).grade == "excellent"
    assert client.get(url).context["form"][f"vote_{other.pk}"].initial == "excellent"
    # The round page shows the member their own part, never the tally.
    detail = client.get(reverse("rectification:round.detail", args=[rnd.pk]))
    assert not detail.context["readable"] and "tally" not in detail.context


def test_the_tally_shows_totals_and_who_voted_but_not_how(rnd, personas, login):
    m = personas.members
    services.cast_ballot(rnd, m.member_a, {m.other_a.pk: "excellent"}, actor=personas.member_a)
    services.cast_ballot(rnd, m.secretary_a, {m.other_a.pk: "basic"}, actor=personas.secretary_a)
    page = login(personas.inspector).get(reverse("rectification:round.detail", args=[rnd.pk]))
    row = next(r for r in page.context["tally"] if r["result"].member_id == m.other_a.pk)
    assert row["counts"] == [1, 0, 1, 0] and row["total"] == 2
    assert sorted(page.context["voters"]) == ["甲书记", "甲党员"]
    html = page.content.decode()
    assert "甲党员" in html
    # Nothing ties a voter to a grade: the page never lists ballots.
    assert "ballot" not in page.context and "votes" not in page.context


def test_the_decision_page_names_each_problem_and_opens_an_item(rnd, personas, login):
    graded = [r for r in rnd.results.select_related("member") if r.graded]
    for voter in graded:
        services.cast_ballot(
            rnd, voter.member, {r.member_id: "qualified" for r in graded if r is not voter}, actor=None
        )
    client = login(personas.secretary_a)
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
