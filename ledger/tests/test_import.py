"""A valid workbook imports completely; importing it again adds nothing."""

import datetime

import pytest

from committees.models import CommitteeTerm, TermStatus
from common.models import AuditEntry
from ledger.services import import_ledger
from ledger.tests import helpers as h
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import Unit
from tests import factories as f


@pytest.fixture
def imported(personas):
    return import_ledger(h.upload(h.valid_workbook()), actor=personas.staff)


def test_it_imports_units_into_the_tree_with_paths(personas, imported):
    committee = personas.org.committee
    third = Unit.objects.get(name="第三党支部")
    group = Unit.objects.get(name="第三党小组")
    assert third.parent == committee and third.path.startswith(committee.path)
    assert group.parent == third and group.path.startswith(third.path) and group.depth == 3
    assert third.founded_on == datetime.date(2020, 1, 1)
    assert third.term_years == 3
    assert set(Unit.objects.subtree(committee).values_list("name", flat=True)) >= {
        "第三党支部",
        "第三党小组",
        "第四党支部",
    }


def test_it_imports_members_with_memberships_and_pinyin_initials(imported):
    zhao = Member.objects.with_id_number(h.pid("赵一")).get()
    assert zhao.name_initials == "zy"
    assert zhao.gender == "male" and zhao.education == "bachelor" and zhao.category == "full"
    assert zhao.full_member_on == datetime.date(2006, 7, 1)
    branch = BranchMembership.objects.get(member=zhao)
    # 进入本支部日期 blank: the later of the branch's founding (2020-01-01) and joining (2005-07-01).
    assert branch.unit.name == "第三党支部" and branch.start_on == datetime.date(2020, 1, 1) and branch.end_on is None
    group = GroupMembership.objects.get(member=zhao)
    # The group was founded later than the branch membership starts.
    assert group.unit.name == "第三党小组" and group.start_on == datetime.date(2020, 6, 1)
    wang = Member.objects.with_id_number(h.pid("王八")).get()
    assert wang.category == "probationary" and wang.full_member_on is None
    assert BranchMembership.objects.get(member=wang).start_on == datetime.date(2024, 7, 1)
    assert not GroupMembership.objects.filter(member=wang).exists()


def test_it_imports_approved_terms_latest_current_earlier_ended(imported):
    first = CommitteeTerm.objects.get(unit__name="第三党支部", number=1)
    second = CommitteeTerm.objects.get(unit__name="第三党支部", number=2)
    fourth = CommitteeTerm.objects.get(unit__name="第四党支部", number=1)
    assert first.status == TermStatus.ENDED and first.ended_on == datetime.date(2024, 3, 1)
    assert second.status == TermStatus.CURRENT and second.ended_on is None
    assert fourth.status == TermStatus.CURRENT and fourth.term_years == 3
    assert second.approval.doc_number == "机党字〔2024〕2号"
    assert second.approval.approved_on == datetime.date(2024, 3, 20)
    assert [(s.member.name, s.role) for s in second.seats.all()] == [
        ("赵一", "secretary"),
        ("李四", "deputy_secretary"),
        ("周五", "discipline"),
    ]
    assert second.history.get().to_status == TermStatus.CURRENT


def test_it_writes_a_summary_and_an_entry_per_object(personas, imported):
    summary = AuditEntry.objects.get(action="ledger.workbook.imported")
    assert summary.actor == personas.staff
    assert summary.data["sheets"]["党员"] == {"rows": 10, "added": 10, "present": 0}
    assert summary.data["sheets"]["组织"]["added"] == 3
    assert summary.unit == personas.org.committee
    assert AuditEntry.objects.filter(action="organizations.unit.imported").count() == 3
    assert AuditEntry.objects.filter(action="members.member.imported").count() == 10
    assert AuditEntry.objects.filter(action="committees.term.imported").count() == 3
    zhao = Member.objects.with_id_number(h.pid("赵一")).get()
    entry = AuditEntry.objects.for_object(zhao).get()
    assert entry.action == "members.member.imported" and entry.unit.name == "第三党支部"
    third = Unit.objects.get(name="第三党支部")
    assert AuditEntry.objects.for_object(third).get().unit == third


def test_it_reports_counts_in_the_result(imported):
    assert [(s.name, s.rows, s.added, s.present) for s in imported.sheets] == [
        ("组织", 3, 3, 0),
        ("党员", 10, 10, 0),
        ("支委", 7, 3, 0),
    ]
    assert imported.added == 16


def test_importing_the_same_file_twice_adds_nothing(personas, imported):
    before = h.counts()
    again = import_ledger(h.upload(h.valid_workbook()), actor=personas.staff)
    after = h.counts()
    assert again.added == 0
    assert [(s.name, s.present) for s in again.sheets] == [("组织", 3), ("党员", 10), ("支委", 3)]
    # Only the summary entry of the second import is new.
    assert after == {**before, "audit": before["audit"] + 1}


def test_it_accepts_excel_date_cells_and_text_dates_alike(personas):
    import_ledger(h.upload(h.valid_workbook(date=h.as_datetime)), actor=personas.staff)
    zhao = Member.objects.with_id_number(h.pid("赵一")).get()
    assert zhao.birth_date == datetime.date(1980, 1, 15) and zhao.joined_on == datetime.date(2005, 7, 1)
    # The same data written as text is recognised as already present.
    again = import_ledger(h.upload(h.valid_workbook()), actor=personas.staff)
    assert again.added == 0 and again.present == 16


def test_it_skips_absent_sheets_and_uses_units_already_in_the_database(personas):
    data = h.xlsx(
        {
            "党员": [
                h.MEMBER_HEADERS[:12],
                ["新人甲", "男", "汉族", "1990-01-01", h.id_for("1990-01-01", 11), "", "正式党员", "2015-07-01"]
                + ["2016-07-01", "第一党支部", "第一党小组", "2021-05-01"],
            ]
        }
    )
    result = import_ledger(h.upload(data), actor=personas.staff)
    assert [s.name for s in result.sheets] == ["党员"]
    member = Member.objects.get(name="新人甲")
    assert member.ethnicity == "汉族" and member.phone == ""
    assert BranchMembership.objects.get(member=member).unit == personas.org.branch_a
    assert GroupMembership.objects.get(member=member).start_on == datetime.date(2021, 5, 1)


def test_a_newer_imported_term_ends_the_current_one_in_the_database(personas):
    branch = personas.org.branch_a
    old = personas.terms.a  # 第1届, current
    old.elected_on = datetime.date(2024, 3, 1)
    old.save()
    sec = personas.members.secretary_a
    data = h.xlsx(
        {
            "支委": [
                h.TERM_HEADERS,
                ["第一党支部", 2, "2025-01-10", 3, "机党字〔2025〕1号", "2025-01-20", sec.name, sec.id_number, "书记"],
            ]
        }
    )
    import_ledger(h.upload(data), actor=personas.staff)
    old.refresh_from_db()
    assert old.status == TermStatus.ENDED and old.ended_on == datetime.date(2025, 1, 10)
    new = CommitteeTerm.objects.get(unit=branch, number=2)
    assert new.status == TermStatus.CURRENT
    assert AuditEntry.objects.for_object(old).get().action == "committees.term.ended"


def test_a_term_without_approval_is_imported_as_submitted(personas):
    sec = personas.members.secretary_b
    data = h.xlsx(
        {"支委": [h.TERM_HEADERS, ["第二党支部", 2, "2025-02-01", None, None, None, sec.name, sec.id_number, "书记"]]}
    )
    import_ledger(h.upload(data), actor=personas.staff)
    term = CommitteeTerm.objects.get(unit=personas.org.branch_b, number=2)
    assert term.status == TermStatus.SUBMITTED
    personas.terms.b.refresh_from_db()
    assert personas.terms.b.status == TermStatus.CURRENT


def test_an_existing_member_with_the_same_data_is_left_alone(personas):
    existing = f.member_in(
        personas.org.branch_a, name="旧人", birth_date=datetime.date(1979, 5, 5), id_number=h.id_for("1979-05-05", 1)
    )
    row = [
        "旧人",
        "男",
        existing.ethnicity,
        "1979-05-05",
        existing.id_number,
        "",
        "正式党员",
        "2005-07-01",
        "2006-07-01",
        "第一党支部",
        None,
        None,
        existing.phone,
        "办公室",
        None,
    ]
    result = import_ledger(h.upload(h.xlsx({"党员": [h.MEMBER_HEADERS, row]})), actor=personas.staff)
    assert result.added == 0 and result.present == 1
    assert Member.objects.with_id_number(existing.id_number).count() == 1
