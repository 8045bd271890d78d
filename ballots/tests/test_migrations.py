"""The data migrations: votes kept by voter (AppraisalVote, DutyBallot + DutyTally) become
anonymous marks and electors; totals are kept, the link between a voter and a choice is not."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("rectification", "0001_initial"), ("assessments", "0001_initial")]
NEW = [("rectification", "0004_drop_appraisalvote"), ("assessments", "0004_drop_dutyballot_dutytally")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_votes_become_anonymous_ballots_with_the_same_totals(personas):
    m = personas.members
    branch = personas.org.branch_a
    apps = _migrate(OLD)
    try:
        AppraisalRound = apps.get_model("rectification", "AppraisalRound")
        AppraisalResult = apps.get_model("rectification", "AppraisalResult")
        AppraisalVote = apps.get_model("rectification", "AppraisalVote")
        DutyReport = apps.get_model("assessments", "DutyReport")
        DutyBallot = apps.get_model("assessments", "DutyBallot")
        DutyTally = apps.get_model("assessments", "DutyTally")
        rnd = AppraisalRound.objects.create(unit_id=branch.pk, year=2025, status="decided")
        for member in (m.secretary_a, m.member_a, m.other_a):
            AppraisalResult.objects.create(round=rnd, member_id=member.pk, graded=True)
        for voter, appraisee, grade in [
            (m.secretary_a, m.member_a, "excellent"),
            (m.secretary_a, m.other_a, "basic"),
            (m.member_a, m.other_a, "qualified"),
            (m.member_a, m.secretary_a, "qualified"),
        ]:
            AppraisalVote.objects.create(round=rnd, voter_id=voter.pk, appraisee_id=appraisee.pk, grade=grade)
        report = DutyReport.objects.create(
            unit_id=branch.pk, year=2025, reporter_id=m.secretary_a.pk, title="述职", text="述职内容", status="open"
        )
        for user in (personas.staff, personas.member_a):
            DutyBallot.objects.create(report=report, voter_id=user.pk, cast_on=datetime.date(2026, 1, 5))
        DutyTally.objects.create(report=report, choice="satisfied", count=2)
        DutyTally.objects.create(report=report, choice="unsatisfied", count=0)
    finally:
        _migrate(NEW)

    from assessments.models import DutyReport as Report
    from ballots.models import Ballot, Elector
    from rectification.models import AppraisalRound as Round

    migrated = Round.objects.get(pk=rnd.pk)
    assert migrated.ballot.status == "closed"
    marks = sorted(Ballot.objects.filter(round=migrated.ballot).values_list("item__key", "choice"))
    assert marks == sorted(
        [
            (str(m.member_a.pk), "excellent"),
            (str(m.other_a.pk), "basic"),
            (str(m.other_a.pk), "qualified"),
            (str(m.secretary_a.pk), "qualified"),
        ]
    )
    electors = dict(Elector.objects.filter(round=migrated.ballot).values_list("name", "voted"))
    assert electors == {"甲书记": True, "甲党员": True, "甲同事": False}

    duty = Report.objects.get(pk=report.pk)
    assert duty.ballot.status == "open"
    assert list(Ballot.objects.filter(round=duty.ballot).values_list("choice", flat=True)) == ["satisfied"] * 2
    voted = set(Elector.objects.filter(round=duty.ballot, voted=True).values_list("user__username", flat=True))
    assert voted == {"staff", "member_a"}
    # The open report's electorate is completed: the inspector may still vote, the reporter may not.
    waiting = set(Elector.objects.filter(round=duty.ballot, voted=False).values_list("user__username", flat=True))
    assert "inspector" in waiting and "secretary_a" not in waiting | voted
