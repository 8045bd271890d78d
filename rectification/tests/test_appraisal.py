"""民主评议 services: the roll, self-assessment, ballots, the branch decision and its items."""

import datetime

import pytest

from ballots.models import Ballot, Elector
from common.models import AuditEntry
from rectification import services
from rectification.models import Rectification, RoundStatus


@pytest.fixture
def rnd(personas, branch_roll):
    return services.create_round(personas.org.branch_a, {"year": 2025, "meeting": None}, actor=personas.secretary_a)


def results(rnd):
    return {r.member.name: r for r in rnd.results.select_related("member")}


def vote_all(rnd, voters, grade_for):
    """Each voter grades every graded member but themselves with ``grade_for(name)``."""
    graded = [r for r in rnd.results.select_related("member") if r.graded]
    for voter in voters:
        ballot = {r.member_id: grade_for(r.member.name) for r in graded if r.member_id != voter.pk}
        services.cast_ballot(rnd, voter, ballot, actor=None)


def test_the_roll_is_the_branch_on_the_day_and_probationary_members_are_not_graded(rnd, personas):
    roll = results(rnd)
    assert set(roll) == {"甲书记", "甲党员", "甲同事", "甲委员", "甲老党员", "甲预备"}
    assert not roll["甲预备"].graded and roll["甲党员"].graded
    (entry,) = AuditEntry.objects.for_object(rnd).filter(action="rectification.round.created")
    assert entry.data["not_graded"] == ["甲预备"] and entry.data["roll_date"] == "2025-12-31"


def test_a_second_round_for_the_same_year_is_refused(rnd, personas):
    with pytest.raises(services.RectificationError) as exc:
        services.create_round(personas.org.branch_a, {"year": 2025}, actor=personas.staff)
    assert exc.value.errors["year"] == "年度：第一党支部 已有 2025 年度的民主评议。"


def test_a_meeting_of_another_branch_is_refused(personas):
    meeting = f_meeting(personas.org.branch_b)
    with pytest.raises(services.RectificationError) as exc:
        services.create_round(personas.org.branch_a, {"year": 2025, "meeting": meeting}, actor=personas.staff)
    assert exc.value.errors["meeting"] == "评议会议：须为本支部的会议。"


def test_a_meeting_that_is_not_a_life_or_general_meeting_is_refused(personas):
    from tests import factories as f

    meeting = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 6, 2), kinds=["committee_meeting"])
    with pytest.raises(services.RectificationError) as exc:
        services.create_round(personas.org.branch_a, {"year": 2025, "meeting": meeting}, actor=personas.staff)
    assert exc.value.errors["meeting"] == "评议会议：须为组织生活会或支部党员大会。"


def test_a_life_meeting_fits_the_round_of_the_year_it_is_held_for(personas):
    # The 年度 stored on the record decides: held in March 2026 but for 2025 (the secretary set it).
    from tests import factories as f

    meeting = f.MeetingFactory(
        unit=personas.org.branch_a, date=datetime.date(2026, 3, 5), kinds=["life_meeting"], held_for_year=2025
    )
    rnd = services.create_round(personas.org.branch_a, {"year": 2025, "meeting": meeting}, actor=personas.staff)
    assert rnd.meeting == meeting


def f_meeting(unit, day=datetime.date(2025, 12, 20)):
    from tests import factories as f

    return f.MeetingFactory(unit=unit, date=day, kinds=["life_meeting"])


def test_the_member_saves_their_self_assessment_until_the_decision(rnd, personas):
    mine = results(rnd)["甲党员"]
    services.save_self_assessment(mine, "认真学习，按时缴纳党费。", actor=personas.member_a)
    mine.refresh_from_db()
    assert mine.self_assessment == "认真学习，按时缴纳党费。" and mine.self_assessed_at
    assert AuditEntry.objects.filter(action="rectification.result.self_assessed", object_id=str(mine.pk)).exists()
    with pytest.raises(services.RectificationError) as exc:
        services.save_self_assessment(mine, " ", actor=personas.member_a)
    assert exc.value.errors["self_assessment"] == "个人自评：不能为空。"


def test_ballots_need_voting_open_one_ballot_per_voter_and_a_voter_on_the_roll(rnd, personas):
    # Rewritten: a second ballot used to replace the first (which needed the link voter → grades);
    # now it is refused, and the box keeps the first ballot's mark only.
    member = personas.members.member_a
    other = personas.members.other_a
    with pytest.raises(services.RectificationError) as exc:
        services.cast_ballot(rnd, member, {other.pk: "qualified"}, actor=personas.member_a)
    assert "不在投票阶段" in str(exc.value)
    services.open_voting(rnd, actor=personas.secretary_a)
    services.cast_ballot(rnd, member, {other.pk: "qualified"}, actor=personas.member_a)
    with pytest.raises(services.RectificationError, match="只能投一次"):
        services.cast_ballot(rnd, member, {other.pk: "excellent"}, actor=personas.member_a)
    assert list(Ballot.objects.filter(round=rnd.ballot).values_list("choice", flat=True)) == ["qualified"]
    assert Elector.objects.get(round=rnd.ballot, member=member).voted
    (entry,) = AuditEntry.objects.for_object(rnd.ballot).filter(action="ballots.vote.cast")
    assert entry.data == {} and entry.ip is None and entry.actor == personas.member_a
    with pytest.raises(services.RectificationError) as exc:
        services.cast_ballot(rnd, personas.members.secretary_b, {other.pk: "qualified"}, actor=personas.secretary_b)
    assert "不在本次民主评议的党员名单中" in str(exc.value)


def test_a_probationary_member_votes_but_cannot_be_voted_on(rnd, personas, branch_roll):
    _extra, probationary = branch_roll
    services.open_voting(rnd, actor=personas.staff)
    assert services.cast_ballot(rnd, probationary, {personas.members.other_a.pk: "qualified"}, actor=None) == 1
    with pytest.raises(services.RectificationError) as exc:
        services.cast_ballot(rnd, personas.members.other_a, {probationary.pk: "qualified"}, actor=None)
    assert "不在本次评议范围" in str(exc.value)


def graded_grades(rnd, **by_name):
    return {
        r.member_id: by_name.get(r.member.name, "qualified") for r in rnd.results.select_related("member") if r.graded
    }


def test_the_decision_grades_members_and_opens_one_item_per_basic_or_unqualified(rnd, personas):
    services.open_voting(rnd, actor=personas.staff)
    voters = [r.member for r in rnd.results.select_related("member")][:4]
    vote_all(rnd, voters, lambda name: "basic" if name == "甲同事" else "qualified")
    services.close_voting(rnd, actor=personas.staff)
    grades = graded_grades(rnd, 甲同事="basic", 甲委员="unqualified", 甲书记="excellent")
    services.decide_round(rnd, grades, actor=personas.secretary_a)
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DECIDED and rnd.decided_by == personas.secretary_a
    roll = results(rnd)
    assert roll["甲同事"].grade == "basic" and roll["甲预备"].grade == ""
    items = Rectification.objects.filter(source="appraisal").order_by("member__name")
    assert [(i.member.name, i.responsible.name) for i in items] == [("甲同事", "甲同事"), ("甲委员", "甲委员")]
    assert "基本合格" in items.get(member__name="甲同事").problem
    assert items.get(member__name="甲同事").origin == roll["甲同事"]
    (entry,) = AuditEntry.objects.for_object(rnd).filter(action="rectification.round.decided")
    assert entry.data["changes"]["甲同事"] == [None, "基本合格"]
    assert len(entry.data["items_opened"]) == 2

    # Deciding again (one grade corrected) opens nothing twice.
    services.decide_round(rnd, {**grades, personas.members.member_a.pk: "basic"}, actor=personas.secretary_a)
    assert Rectification.objects.filter(source="appraisal").count() == 3
    services.decide_round(rnd, {**grades, personas.members.member_a.pk: "basic"}, actor=personas.secretary_a)
    assert Rectification.objects.filter(source="appraisal").count() == 3


def test_the_decision_refuses_too_many_excellent(rnd, personas):
    services.open_voting(rnd, actor=personas.staff)
    vote_all(rnd, [r.member for r in rnd.results.select_related("member")], lambda name: "qualified")
    services.close_voting(rnd, actor=personas.staff)
    grades = graded_grades(rnd, 甲书记="excellent", 甲党员="excellent")
    with pytest.raises(services.RectificationError) as exc:
        services.decide_round(rnd, grades, actor=personas.staff)
    assert "优秀不超过参评人数的三分之一（5 人参评，至多 1 人）" in exc.value.errors["__all__"]
    # Voting is closed (it used to stay "voting" until decided), and nothing was decided.
    assert RoundStatus(rnd.status) == RoundStatus.CLOSED and not Rectification.objects.exists()


def test_the_decision_refuses_a_grade_for_the_probationary_member(rnd, personas, branch_roll):
    _extra, probationary = branch_roll
    services.open_voting(rnd, actor=personas.staff)
    vote_all(rnd, [r.member for r in rnd.results.select_related("member")], lambda name: "qualified")
    services.close_voting(rnd, actor=personas.staff)
    with pytest.raises(services.RectificationError) as exc:
        services.decide_round(rnd, {**graded_grades(rnd), probationary.pk: "qualified"}, actor=personas.staff)
    assert exc.value.errors == {f"grade_{probationary.pk}": "甲预备：预备党员参加评议，但不评定等次。"}


def test_the_decision_refuses_without_quorum(rnd, personas):
    services.open_voting(rnd, actor=personas.staff)
    full = [r.member for r in rnd.results.select_related("member") if r.graded]
    vote_all(rnd, full[:2], lambda name: "qualified")
    services.close_voting(rnd, actor=personas.staff)
    with pytest.raises(services.RectificationError) as exc:
        services.decide_round(rnd, graded_grades(rnd), actor=personas.staff)
    assert exc.value.errors["__all__"] == "评议会议：投票的正式党员 2 人，未超过正式党员 5 人的半数，不能评定。"


def test_the_decision_waits_until_voting_is_closed(rnd, personas):
    services.open_voting(rnd, actor=personas.staff)
    vote_all(rnd, [r.member for r in rnd.results.select_related("member")], lambda name: "qualified")
    with pytest.raises(services.RectificationError) as exc:
        services.decide_round(rnd, graded_grades(rnd), actor=personas.staff)
    assert exc.value.errors["__all__"] == "请先结束投票，再评定等次。"
    services.close_voting(rnd, actor=personas.staff)
    with pytest.raises(services.RectificationError):
        services.close_voting(rnd, actor=personas.staff)
    services.decide_round(rnd, graded_grades(rnd), actor=personas.staff)


def test_the_tally_shows_only_after_closing_and_with_enough_voters(rnd, personas, settings):
    services.open_voting(rnd, actor=personas.staff)
    vote_all(rnd, [r.member for r in rnd.results.select_related("member")], lambda name: "qualified")
    facts = services.round_facts(rnd)
    assert facts["tally"] == {} and facts["ballot"].voters == 6 and not facts["ballot"].published
    services.close_voting(rnd, actor=personas.staff)
    facts = services.round_facts(rnd)
    other = personas.members.other_a.pk
    assert facts["tally"][other] == {"excellent": 0, "qualified": 5, "basic": 0, "unqualified": 0}
