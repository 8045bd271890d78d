"""民主评议 is a secret ballot (``ballots``): the round page never shows a running total or who
voted how, and the change log no longer names the voters."""

from django.urls import reverse

from rectification import services as appraisal


def test_the_appraisal_page_shows_no_running_total_and_never_who_voted_how(personas, login):
    rnd = appraisal.create_round(personas.org.branch_a, {"year": 2025}, actor=personas.secretary_a)
    appraisal.open_voting(rnd, actor=personas.secretary_a)
    m = personas.members
    appraisal.cast_ballot(rnd, m.member_a, {m.other_a.pk: "unqualified"}, actor=personas.member_a)
    page = login(personas.secretary_a).get(reverse("rectification:round.detail", args=[rnd.pk]))
    assert page.context["tally"] == [] or all(r["counts"] is None for r in page.context["tally"])
    assert "voters" not in page.context and "甲党员" not in page.context["not_voted"]
    history = login(personas.secretary_a).get(reverse("rectification:round.detail", args=[rnd.pk]) + "?tab=history")
    html = history.content.decode()
    assert "<td>民主评议投票</td>" not in html and "参加无记名投票" not in html and "甲党员 投票" not in html
