"""The anonymous ballot: secret by construction. Each test names the requirement it holds."""

import uuid

import pytest
from django.db import models

from ballots import permissions, rules, services
from ballots.models import Ballot, Elector, Item, Round, RoundStatus
from common.models import AuditEntry
from tests import factories as f


@pytest.fixture
def rnd(personas):
    """A round on two items (member_a and other_a) with an electorate of four."""
    m = personas.members
    third = f.member_in(personas.org.branch_a, name="甲三", user=f.UserFactory(username="third_a"))
    return services.create_round(
        unit=personas.org.branch_a,
        title="测试投票",
        options=["yes", "no"],
        items=[{"key": str(p.pk), "label": p.name, "member_id": p.pk} for p in (m.member_a, m.other_a)],
        electors=[
            {"name": p.name, "member_id": p.pk, "user_id": p.user_id} for p in (m.member_a, m.other_a, m.secretary_a)
        ]
        + [{"name": third.name, "member_id": third.pk, "user_id": third.user_id}],
        actor=personas.staff,
    )


def vote(rnd, member, choice="yes"):
    items = services.items_for(rnd, services.elector_of(rnd, member=member))
    return services.cast_vote(rnd, {i.key: choice for i in items}, actor=member.user, member=member)


# --- The tables: the box has no voter and no time; the electorate has no choice. -------------


def test_the_ballot_table_has_no_voter_no_time_and_a_random_key():
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "round", "item", "choice"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].default is uuid.uuid4
    assert not any(isinstance(f, models.DateField | models.GenericIPAddressField) for f in fields.values())
    elector_fields = {f.name: f for f in Elector._meta.get_fields()}
    assert "choice" not in elector_fields
    assert not any(isinstance(f, models.DateField) for f in elector_fields.values())


def test_a_vote_writes_the_voted_flag_and_the_marks_together_and_deals_the_box_afresh(rnd, personas):
    m = personas.members
    services.open_round(rnd, actor=personas.staff)
    assert vote(rnd, m.secretary_a) == 2
    first_keys = set(Ballot.objects.values_list("id", flat=True))
    vote(rnd, m.member_a, "no")  # member_a votes on other_a only
    assert Ballot.objects.filter(round=rnd).count() == 3
    # Every mark got a new random key: nothing remembers which marks came first.
    assert not first_keys & set(Ballot.objects.values_list("id", flat=True))
    assert set(Elector.objects.filter(round=rnd, voted=True).values_list("name", flat=True)) == {"甲书记", "甲党员"}


# --- Who may vote, when, and how often. ---------------------------------------------------------


def test_a_second_vote_is_refused_and_counted_once(rnd, personas):
    m = personas.members
    services.open_round(rnd, actor=personas.staff)
    vote(rnd, m.secretary_a)
    with pytest.raises(services.BallotError, match="只能投一次"):
        vote(rnd, m.secretary_a, "no")
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["yes", "yes"]
    assert not permissions.can(personas.secretary_a, "vote", rnd)


def test_somebody_outside_the_electorate_cannot_vote(rnd, personas):
    services.open_round(rnd, actor=personas.staff)
    with pytest.raises(services.BallotError, match="不在本次投票的投票人名单中"):
        services.cast_vote(rnd, {str(personas.members.other_a.pk): "yes"}, actor=personas.secretary_b)
    assert not permissions.can(personas.secretary_b, "vote", rnd)
    assert not Ballot.objects.exists()


def test_nobody_votes_on_themselves(rnd, personas):
    m = personas.members
    services.open_round(rnd, actor=personas.staff)
    with pytest.raises(services.BallotError, match="不在本次投票范围内"):
        services.cast_vote(rnd, {str(m.member_a.pk): "yes"}, actor=personas.member_a)


def test_a_round_not_open_refuses_votes(rnd, personas):
    m = personas.members
    with pytest.raises(services.BallotError, match="不在进行中"):
        vote(rnd, m.secretary_a)  # draft
    services.open_round(rnd, actor=personas.staff)
    services.close_round(rnd, actor=personas.staff)
    with pytest.raises(services.BallotError, match="不在进行中"):
        vote(rnd, m.secretary_a)  # closed
    assert not permissions.can(personas.secretary_a, "vote", rnd)
    assert not Ballot.objects.exists() and not Elector.objects.filter(voted=True).exists()


# --- What shows: turnout always, totals after close with enough voters. -------------------------


def test_no_totals_before_the_round_is_closed(rnd, personas):
    m = personas.members
    services.open_round(rnd, actor=personas.staff)
    third = Elector.objects.get(round=rnd, name="甲三").member
    for member in (m.secretary_a, m.member_a, third):
        vote(rnd, member)
    outcome = services.results(rnd)
    assert (outcome.voters, outcome.electors, outcome.published, outcome.items) == (3, 4, False, [])
    services.close_round(rnd, actor=personas.staff)
    outcome = services.results(rnd)
    assert outcome.published
    assert outcome.item(str(m.other_a.pk)).counts == {"yes": 3, "no": 0}
    # member_a's item has only two marks (member_a did not vote on himself): withheld.
    assert outcome.item(str(m.member_a.pk)).counts is None and outcome.item(str(m.member_a.pk)).marks == 2


def test_no_breakdown_below_the_minimum_of_voters(rnd, personas):
    m = personas.members
    services.open_round(rnd, actor=personas.staff)
    vote(rnd, m.secretary_a)
    vote(rnd, m.member_a)
    services.close_round(rnd, actor=personas.staff)
    outcome = services.results(rnd)
    assert rnd.min_voters == 3 and outcome.voters == 2
    assert not outcome.published and outcome.items == []


def test_the_minimum_comes_from_the_setting_and_is_fixed_with_the_round(personas, settings):
    settings.ZHIBU = {**settings.ZHIBU, "BALLOT_MIN_VOTERS": 5}
    made = services.create_round(
        unit=personas.org.branch_a, title="t", options=["yes"], items=[], electors=[], actor=None
    )
    settings.ZHIBU = {**settings.ZHIBU, "BALLOT_MIN_VOTERS": 1}
    assert Round.objects.get(pk=made.pk).min_voters == 5


def test_the_rules_withhold_small_counts():
    items = [("a", "A"), ("b", "B")]
    marks = {("a", "yes"): 3, ("b", "yes"): 1, ("b", "no"): 1}
    out = rules.results(
        closed=True, electors=5, voters=3, min_voters=3, options=["yes", "no"], items=items, marks=marks
    )
    assert out.item("a").counts == {"yes": 3, "no": 0} and out.item("b").counts is None
    out = rules.results(closed=False, electors=5, voters=3, min_voters=3, options=["yes"], items=items, marks=marks)
    assert not out.published and out.items == []


def test_the_organiser_sees_who_has_not_voted_only_while_open(rnd, personas):
    services.open_round(rnd, actor=personas.staff)
    vote(rnd, personas.members.secretary_a)
    assert services.not_voted(rnd) == sorted(["甲党员", "甲同事", "甲三"])
    assert permissions.can(personas.staff, "not_voted", rnd, organiser=True)
    assert not permissions.can(personas.inspector, "not_voted", rnd, organiser=False)
    services.close_round(rnd, actor=personas.staff)
    assert not permissions.can(personas.staff, "not_voted", rnd, organiser=True)


# --- The audit log: that a person voted, never what, never from where. --------------------------


def test_the_vote_audit_entry_has_no_choice_and_no_ip(rnd, personas):
    from common.context import current_ip

    services.open_round(rnd, actor=personas.staff)
    token = current_ip.set("10.1.2.3")
    try:
        vote(rnd, personas.members.secretary_a, "no")
    finally:
        current_ip.reset(token)
    (entry,) = AuditEntry.objects.filter(action="ballots.vote.cast")
    assert entry.actor == personas.secretary_a and entry.object_id == str(rnd.pk)
    assert entry.ip is None and entry.data == {}
    assert "no" not in str(entry.data) and "yes" not in str(entry.data)


def test_a_round_has_no_time_finer_than_its_own(rnd):
    # The round keeps when it opened and closed; no row under it keeps a time.
    for model in (Item, Elector, Ballot):
        assert not [f for f in model._meta.get_fields() if isinstance(f, models.DateTimeField)]
    assert RoundStatus.values == ["draft", "open", "closed"]
