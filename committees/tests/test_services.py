"""Term workflow and duty services: the state change, the history row and the audit entry."""

import datetime

import pytest

from committees import services
from committees.models import Approval, CommitteeTerm, RoleDuty, TermStatus
from committees.services import CommitteeError
from common.concurrency import StaleEditError
from common.models import AuditEntry
from members.models import MemberCategory
from tests import factories as f

ELECTED = datetime.date(2025, 3, 1)


def last_entry(obj):
    return AuditEntry.objects.for_object(obj).order_by("-id").first()


def small_result(people):
    """Branch A has 3 full members: a secretary and a deputy is a valid result."""
    return [(people.secretary_a, "secretary"), (people.other_a, "deputy_secretary")]


def new_term(personas, seats=None, elected_on=ELECTED, **data):
    return services.create_term(
        personas.org.branch_a,
        {"elected_on": elected_on, **data},
        seats if seats is not None else small_result(personas.members),
        actor=personas.secretary_a,
    )


# --- create / update -------------------------------------------------------------------------


def test_create_term_makes_a_draft_with_the_next_number_and_branch_term_years(personas):
    personas.org.branch_a.term_years = 4
    personas.org.branch_a.save()
    term = new_term(personas)
    assert term.status == TermStatus.DRAFT
    assert term.number == 2
    assert term.term_years == 4
    assert [(s.member, s.role) for s in term.seats.all()] == small_result(personas.members)
    assert term.history.get().to_status == TermStatus.DRAFT
    entry = last_entry(term)
    assert entry.action == "committees.term.created"
    assert entry.actor == personas.secretary_a
    assert entry.unit == personas.org.branch_a
    assert entry.data["changes"]["支委成员"][1] == "甲书记（书记）、甲同事（副书记）"


def test_it_refuses_a_member_who_was_not_in_the_branch_on_the_election_day(personas):
    late = f.member_in(personas.org.branch_a, name="新来的", start_on=datetime.date(2025, 6, 1))
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, seats=[(personas.members.secretary_a, "secretary"), (late, "deputy_secretary")])
    assert "支委成员：新来的 在选举日期 2025-03-01 不是 第一党支部 的党员。" in exc.value.messages
    assert not CommitteeTerm.objects.filter(number=2).exists()


def test_it_refuses_a_member_of_another_branch(personas):
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, seats=[(personas.members.other_b, "secretary")])
    assert any("乙同事" in m and "不是 第一党支部 的党员" in m for m in exc.value.messages)


def test_it_refuses_the_same_member_twice(personas):
    m = personas.members
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, seats=[(m.secretary_a, "secretary"), (m.secretary_a, "deputy_secretary")])
    assert "支委成员：甲书记 重复填写，每人只能担任一个职务。" in exc.value.messages


def test_it_refuses_a_probationary_member(personas):
    probationary = f.member_in(
        personas.org.branch_a, name="预备甲", category=MemberCategory.PROBATIONARY, full_member_on=None
    )
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, seats=[(personas.members.secretary_a, "secretary"), (probationary, "deputy_secretary")])
    assert any("预备甲" in m and "预备党员没有被选举权" in m for m in exc.value.messages)


def test_it_refuses_an_election_date_in_the_future_or_before_the_branch_was_founded(personas):
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, elected_on=datetime.date.today() + datetime.timedelta(days=2))
    assert "选举日期：不能晚于今天。" in exc.value.messages
    with pytest.raises(CommitteeError) as exc:
        new_term(personas, elected_on=datetime.date(2019, 5, 1))
    assert any(m.startswith("选举日期：第一党支部 在 2019-05-01 尚未成立") for m in exc.value.messages)


def test_it_refuses_a_second_unapproved_term(personas):
    new_term(personas)
    with pytest.raises(CommitteeError) as exc:
        new_term(personas)
    assert "尚未批复（草稿）" in str(exc.value)


def test_it_refuses_a_term_for_a_party_group(personas):
    with pytest.raises(CommitteeError, match="党支部：只能为党支部登记"):
        services.create_term(
            personas.org.group_a, {"elected_on": ELECTED}, small_result(personas.members), actor=personas.staff
        )


def test_update_term_changes_fields_and_seats_and_audits_old_and_new(personas):
    term = new_term(personas)
    m = personas.members
    services.update_term(
        term,
        {"elected_on": datetime.date(2025, 3, 5), "term_years": 3, "note": "补选"},
        [(m.secretary_a, "secretary")],
        actor=personas.secretary_a,
        expected_version=term.version,
    )
    term.refresh_from_db()
    assert term.elected_on == datetime.date(2025, 3, 5)
    assert term.seats.count() == 1
    entry = last_entry(term)
    assert entry.action == "committees.term.changed"
    assert entry.data["changes"]["elected_on"] == ["2025-03-01", "2025-03-05"]
    assert entry.data["changes"]["支委成员"] == ["甲书记（书记）、甲同事（副书记）", "甲书记（书记）"]


def test_update_term_refuses_a_stale_version_and_keeps_the_stored_values(personas):
    term = new_term(personas)
    stale = term.version
    services.update_term(
        term,
        {"elected_on": ELECTED, "term_years": 3, "note": "先改"},
        small_result(personas.members),
        actor=personas.staff,
        expected_version=stale,
    )
    with pytest.raises(StaleEditError) as exc:
        services.update_term(
            CommitteeTerm.objects.get(pk=term.pk),
            {"elected_on": ELECTED, "term_years": 3, "note": "后改"},
            [(personas.members.secretary_a, "secretary")],
            actor=personas.secretary_a,
            expected_version=stale,
        )
    assert ("备注", "先改", "后改") in exc.value.conflicts
    term.refresh_from_db()
    assert term.note == "先改"
    assert term.seats.count() == 2


def test_update_term_refuses_a_submitted_term(personas):
    term = services.submit_term(new_term(personas), actor=personas.secretary_a)
    with pytest.raises(CommitteeError, match="只有草稿或已退回的届次可以修改"):
        services.update_term(
            term,
            {"elected_on": ELECTED},
            small_result(personas.members),
            actor=personas.staff,
            expected_version=term.version,
        )


# --- submit / approve / return ---------------------------------------------------------------


def test_submit_term_moves_to_submitted_with_history_and_audit(personas):
    term = services.submit_term(new_term(personas), actor=personas.secretary_a)
    term.refresh_from_db()
    assert term.status == TermStatus.SUBMITTED
    change = term.history.last()
    assert (change.from_status, change.to_status, change.actor) == ("draft", "submitted", personas.secretary_a)
    entry = last_entry(term)
    assert entry.action == "committees.term.submitted"
    assert entry.data["changes"]["status"] == ["草稿", "待批复"]


def test_submit_refuses_a_committee_in_a_branch_with_fewer_than_7_full_members(personas):
    m = personas.members
    term = new_term(
        personas, seats=[(m.secretary_a, "secretary"), (m.other_a, "organization"), (m.member_a, "publicity")]
    )
    with pytest.raises(CommitteeError) as exc:
        services.submit_term(term, actor=personas.secretary_a)
    assert any("正式党员不足 7 名（现有 3 名）" in msg for msg in exc.value.messages)
    assert any(msg.startswith("支委人数：") for msg in exc.value.messages)
    term.refresh_from_db()
    assert term.status == TermStatus.DRAFT
    assert not AuditEntry.objects.filter(action="committees.term.submitted").exists()


def test_submit_counts_full_members_on_the_election_day(personas):
    branch = personas.org.branch_a
    extra = [f.member_in(branch, name=f"补充{i}") for i in range(4)]  # 7 full members now
    f.member_in(branch, name="预备乙", category=MemberCategory.PROBATIONARY, full_member_on=None)
    m = personas.members
    seats = [(m.secretary_a, "secretary"), (m.other_a, "organization"), (extra[0], "publicity")]
    term = services.submit_term(new_term(personas, seats=seats), actor=personas.secretary_a)
    assert term.status == TermStatus.SUBMITTED
    assert services.full_member_count_on(branch, ELECTED) == 7


def test_full_member_count_leaves_out_later_arrivals_and_members_made_full_later(personas):
    branch = personas.org.branch_a
    f.member_in(branch, name="后调入", start_on=datetime.date(2025, 6, 1))
    f.member_in(branch, name="后转正", full_member_on=datetime.date(2025, 4, 1))
    gone = f.member_in(branch, name="已调出", start_on=datetime.date(2020, 1, 1))
    gone.branch_memberships.update(end_on=datetime.date(2025, 1, 1))
    assert services.full_member_count_on(branch, ELECTED) == 3
    assert services.full_member_count_on(branch, datetime.date(2025, 7, 1)) == 5


def test_submit_refuses_an_election_not_after_the_current_term(personas):
    term = new_term(personas, elected_on=personas.terms.a.elected_on)
    with pytest.raises(CommitteeError, match="选举日期：应晚于现任"):
        services.submit_term(term, actor=personas.secretary_a)


def test_return_term_needs_a_reason(personas):
    term = services.submit_term(new_term(personas), actor=personas.secretary_a)
    with pytest.raises(CommitteeError, match="退回理由：请填写退回理由"):
        services.return_term(term, reason="  ", actor=personas.staff)
    term.refresh_from_db()
    assert term.status == TermStatus.SUBMITTED


def test_return_term_records_reason_in_history_and_audit(personas):
    term = services.submit_term(new_term(personas), actor=personas.secretary_a)
    services.return_term(term, reason="选举日期与会议记录不符", actor=personas.staff)
    term.refresh_from_db()
    assert term.status == TermStatus.RETURNED
    assert term.return_reason == "选举日期与会议记录不符"
    assert term.history.last().reason == "选举日期与会议记录不符"
    entry = last_entry(term)
    assert entry.action == "committees.term.returned"
    assert entry.data["reason"] == "选举日期与会议记录不符"
    assert entry.actor == personas.staff


def test_approve_refuses_without_doc_number_or_with_date_before_election(personas):
    term = services.submit_term(new_term(personas), actor=personas.secretary_a)
    with pytest.raises(CommitteeError) as exc:
        services.approve_term(term, doc_number="", approved_on=datetime.date(2025, 2, 1), actor=personas.staff)
    assert "批复文号：请填写批复文号。" in exc.value.messages
    assert "批复日期：不能早于选举日期 2025-03-01。" in exc.value.messages
    assert not Approval.objects.filter(term=term).exists()


def test_approve_refuses_a_draft(personas):
    term = new_term(personas)
    with pytest.raises(CommitteeError, match="只有待批复的届次可以批复"):
        services.approve_term(term, doc_number="机党发〔2025〕3号", approved_on=ELECTED, actor=personas.staff)


def test_workflow_submit_return_resubmit_approve_ends_the_previous_term(personas):
    previous = personas.terms.a
    term = new_term(personas)
    services.submit_term(term, actor=personas.secretary_a)
    services.return_term(term, reason="请补充副书记", actor=personas.staff)
    services.update_term(
        term,
        {"elected_on": ELECTED, "term_years": 3},
        small_result(personas.members),
        actor=personas.secretary_a,
        expected_version=term.version,
    )
    services.submit_term(term, actor=personas.secretary_a)
    term.refresh_from_db()
    assert term.return_reason == ""
    services.approve_term(
        term, doc_number="机党发〔2025〕12号", approved_on=datetime.date(2025, 3, 20), actor=personas.staff
    )

    term.refresh_from_db()
    previous.refresh_from_db()
    assert term.status == TermStatus.CURRENT
    assert term.approval.doc_number == "机党发〔2025〕12号"
    assert term.approval.approved_by == personas.staff
    assert previous.status == TermStatus.ENDED
    assert previous.ended_on == ELECTED
    assert [(h.from_status, h.to_status) for h in term.history.all()] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "current"),
    ]
    assert list(previous.history.values_list("from_status", "to_status")) == [("current", "ended")]
    assert last_entry(term).action == "committees.term.approved"
    assert last_entry(term).data["doc_number"] == "机党发〔2025〕12号"
    ended = last_entry(previous)
    assert ended.action == "committees.term.ended"
    assert ended.data["changes"]["ended_on"] == [None, "2025-03-01"]
    assert CommitteeTerm.objects.filter(unit=personas.org.branch_a, status=TermStatus.CURRENT).get() == term


# --- archive / restore -----------------------------------------------------------------------


def test_archive_and_restore_a_draft(personas):
    term = new_term(personas)
    services.archive_term(term, actor=personas.secretary_a)
    term.refresh_from_db()
    assert term.is_archived
    assert last_entry(term).action == "committees.term.archived"
    services.restore_term(term, actor=personas.staff)
    term.refresh_from_db()
    assert not term.is_archived
    assert last_entry(term).action == "committees.term.restored"


def test_it_refuses_to_archive_the_current_term(personas):
    with pytest.raises(CommitteeError, match="现任"):
        services.archive_term(personas.terms.a, actor=personas.staff)
    personas.terms.a.refresh_from_db()
    assert not personas.terms.a.is_archived


def test_restore_refuses_a_second_open_term(personas):
    first = new_term(personas)
    services.archive_term(first, actor=personas.staff)
    new_term(personas)
    with pytest.raises(CommitteeError, match="不能同时恢复"):
        services.restore_term(first, actor=personas.staff)


# --- duties ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_default_duties_exist_for_every_role_with_4_to_8_lines():
    duties = {d.role: d for d in RoleDuty.objects.all()}
    assert set(duties) == {"secretary", "deputy_secretary", "organization", "publicity", "discipline", "member"}
    for duty in duties.values():
        assert 4 <= len(duty.items) <= 8
    assert any("第一责任人" in line for line in duties["secretary"].items)
    assert any("党费" in line for line in duties["organization"].items)
    for role in ("organization", "publicity", "discipline"):
        assert any("一岗双责" in line for line in duties[role].items)
        assert any("五带头" in line for line in duties[role].items)


def test_update_duty_saves_lines_and_audits(personas):
    duty = RoleDuty.objects.get(role="publicity")
    services.update_duty(duty, "  第一条\n\n第二条  ", actor=personas.staff, expected_version=duty.version)
    duty.refresh_from_db()
    assert duty.items == ["第一条", "第二条"]
    entry = last_entry(duty)
    assert entry.action == "committees.duty.changed"
    assert entry.data["changes"]["text"][1] == "第一条\n第二条"


def test_update_duty_refuses_empty_text_and_stale_versions(personas):
    duty = RoleDuty.objects.get(role="publicity")
    with pytest.raises(CommitteeError, match="职责：请至少填写一条职责"):
        services.update_duty(duty, "\n \n", actor=personas.staff, expected_version=duty.version)
    stale = duty.version
    services.update_duty(duty, "甲", actor=personas.staff, expected_version=stale)
    with pytest.raises(StaleEditError):
        services.update_duty(RoleDuty.objects.get(pk=duty.pk), "乙", actor=personas.staff, expected_version=stale)
    duty.refresh_from_db()
    assert duty.text == "甲"


# --- readers for dashboards ------------------------------------------------------------------


def test_renewal_reminders_lists_due_and_expired_current_terms_in_one_query(personas, django_assert_num_queries):
    org = personas.org
    # term_a and term_b: elected 2024-03-01 for 3 years -> expire 2027-03-01.
    for term in (personas.terms.a, personas.terms.b):
        term.elected_on, term.term_years = datetime.date(2024, 3, 1), 3
        term.save()
    branch_c = f.UnitFactory(parent=org.committee, name="第三党支部")
    f.CommitteeTermFactory(unit=branch_c, status=TermStatus.CURRENT, elected_on=datetime.date(2020, 1, 10))
    units = org.committee.__class__.objects.subtree(org.committee)
    with django_assert_num_queries(1):
        result = services.renewal_reminders(units, datetime.date(2026, 12, 1))
    assert [(t.unit.name, s) for t, s in result] == [
        ("第三党支部", "expired"),
        ("第一党支部", "due"),
        ("第二党支部", "due"),
    ]
    assert services.renewal_reminders(units, datetime.date(2026, 12, 1) - datetime.timedelta(days=1)) != []
    assert [t.unit.name for t, s in services.renewal_reminders(units, datetime.date(2026, 11, 30))] == ["第三党支部"]


def test_branches_without_current_term(personas):
    org = personas.org
    empty = f.UnitFactory(parent=org.committee, name="第三党支部")
    f.UnitFactory(parent=org.committee, name="已撤销支部", dissolved_on=datetime.date(2023, 1, 1))
    units = org.committee.__class__.objects.subtree(org.committee)
    assert list(services.branches_without_current_term(units)) == [empty]


def test_duties_for_member_lists_roles_in_current_terms(personas):
    duties = services.duties_for_member(personas.members.secretary_a)
    assert [label for label, _items in duties] == ["书记"]
    assert any("第一责任人" in line for line in duties[0][1])
    assert services.duties_for_member(personas.members.member_a) == []
