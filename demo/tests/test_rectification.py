"""The demo ledger (``rectification.demo.seed``) on the demo organisation with its meetings."""

import datetime

from common.models import AuditEntry
from demo.steps import rectification as demo
from rectification.models import AppraisalRound, Grade, Rectification, RectificationStatusChange, RoundStatus, Status


def test_it_says_so_when_the_demo_organisation_is_missing(db):
    assert "尚未载入" in demo.seed(datetime.date(2026, 3, 1))
    assert not Rectification.objects.exists()


def test_the_demo_has_items_in_every_status_two_overdue_and_a_decided_appraisal(demo_today):
    today = demo_today
    summary = demo.seed(today)
    assert "整改台账" in summary
    mine = Rectification.objects.filter(problem__in=[i.problem for i in demo.ITEMS])
    assert mine.count() == len(demo.ITEMS)
    assert {i.status for i in mine} == set(Status.values)
    assert mine.overdue_on(today).count() == 2
    assert len({i.unit_id for i in mine}) == 5
    # One item was sent back with a reason, and the history shows it.
    back = RectificationStatusChange.objects.filter(from_status=Status.SUBMITTED, to_status=Status.IN_PROGRESS)
    assert back.count() == 1 and back.get().note
    # Items raised from a 组织生活会 point back at the meeting.
    linked = [i for i in mine if i.content_type_id]
    assert linked and all(i.origin.kinds.filter(code="life_meeting").exists() for i in linked)
    # Verified items were verified by somebody other than the submitter.
    for item in mine.filter(status=Status.VERIFIED):
        assert item.verified_by_id != item.submitted_by_id
    rnd = AppraisalRound.objects.get(year=today.year - 1)
    assert rnd.status == RoundStatus.DECIDED and rnd.ballot.status == "closed"
    # Held at the branch's 组织生活会 of that 年度 (issue 12), not at the one of the year before.
    assert rnd.meeting is not None and rnd.meeting.unit_id == rnd.unit_id
    assert rnd.meeting.kinds.filter(code="life_meeting").exists()
    assert rnd.meeting.held_for_year == rnd.year
    basic = rnd.results.get(grade=Grade.BASIC)
    item = Rectification.objects.get(source="appraisal", object_id=basic.pk)
    assert item.member_id == basic.member_id
    assert rnd.results.filter(grade=Grade.EXCELLENT).count() <= rnd.results.filter(graded=True).count() // 3
    assert AuditEntry.objects.filter(action="rectification.round.decided").count() == 1


def test_seeding_twice_adds_nothing(demo_today):
    demo.seed(demo_today)
    before = (Rectification.objects.count(), AppraisalRound.objects.count(), RectificationStatusChange.objects.count())
    assert "未重复添加" in demo.seed(demo_today)
    after = (Rectification.objects.count(), AppraisalRound.objects.count(), RectificationStatusChange.objects.count())
    assert before == after
