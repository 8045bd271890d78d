"""The download views: who gets a file, who a 404, wrong methods, headers and audit entries."""

import pytest
from django.urls import reverse

from common.models import AuditEntry
from reports.docx import DOCX_CONTENT_TYPE
from reports.tests.helpers import all_text, open_docx


def book_url(unit, year=2025):
    return reverse("reports:minutes_book") + f"?unit={unit.pk}&year={year}"


@pytest.mark.parametrize("persona", ["staff", "inspector", "secretary_a"])
def test_it_sends_the_minutes_book_to_those_who_see_the_units_meetings(persona, personas, meetings_a, login):
    response = login(getattr(personas, persona)).get(book_url(personas.org.branch_a))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert "no-store" in response["Cache-Control"]
    # 第一党支部-2025-会议记录本.docx, with an ASCII fallback.
    assert (
        "filename*=UTF-8''%E7%AC%AC%E4%B8%80%E5%85%9A%E6%94%AF%E9%83%A8-2025-"
        "%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95%E6%9C%AC.docx" in response["Content-Disposition"]
    )
    assert response["Content-Disposition"].startswith('attachment; filename="minutes-book-')
    assert "学习二十届三中全会精神" in all_text(open_docx(response.content))


def test_exporting_the_book_writes_an_audit_entry(personas, meetings_a, login):
    login(personas.secretary_a).get(book_url(personas.org.branch_a))
    entry = AuditEntry.objects.get(action="reports.minutes_book.exported")
    assert entry.actor == personas.secretary_a and entry.unit == personas.org.branch_a
    assert entry.data == {"year": 2025, "meetings": 2}
    assert entry.object_repr == "第一党支部"


def test_a_group_leader_exports_their_groups_book_only(personas, login):
    from accounts.models import Role
    from tests import factories as f

    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=personas.org.group_a, role=Role.GROUP_LEADER)
    client = login(leader)
    assert client.get(book_url(personas.org.group_a)).status_code == 200
    assert client.get(book_url(personas.org.branch_a)).status_code == 404


@pytest.mark.parametrize("persona", ["member_a", "secretary_b"])
def test_it_answers_404_for_another_branch_or_a_plain_member(persona, personas, meetings_a, login):
    response = login(getattr(personas, persona)).get(book_url(personas.org.branch_a))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="reports.minutes_book.exported").exists()


def test_the_committee_itself_has_no_minutes_book(personas, login):
    assert login(personas.staff).get(book_url(personas.org.committee)).status_code == 404


def test_without_a_unit_it_shows_the_choice_of_units_in_scope(personas, login):
    response = login(personas.secretary_b).get(reverse("reports:minutes_book"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第二党支部" in page and "第二党小组" in page and "第一党支部" not in page


def test_a_plain_member_gets_no_choice_page(personas, login):
    assert login(personas.member_a).get(reverse("reports:minutes_book")).status_code == 404


@pytest.mark.parametrize("year", ["abc", "1999", "2999"])
def test_it_refuses_a_bad_year_naming_the_field(year, personas, login):
    response = login(personas.staff).get(
        reverse("reports:minutes_book") + f"?unit={personas.org.branch_a.pk}&year={year}"
    )
    assert response.status_code == 400
    assert "年度" in response.content.decode()
    assert not AuditEntry.objects.filter(action="reports.minutes_book.exported").exists()


def test_a_unit_id_that_is_not_a_number_answers_404(personas, login):
    assert login(personas.staff).get(reverse("reports:minutes_book") + "?unit=x&year=2025").status_code == 404


@pytest.mark.parametrize("name", ["reports:minutes_book", "reports:notice"])
def test_it_refuses_post_with_405(name, personas, meetings_a, login):
    kwargs = {"pk": meetings_a.combined.pk} if name == "reports:notice" else {}
    assert login(personas.staff).post(reverse(name, kwargs=kwargs)).status_code == 405


def test_it_sends_the_notice_and_logs_it(personas, meetings_a, login):
    response = login(personas.secretary_a).get(reverse("reports:notice", kwargs={"pk": meetings_a.combined.pk}))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    # 第一党支部-2025-03-10-会议通知.docx
    assert "-2025-03-10-%E4%BC%9A%E8%AE%AE%E9%80%9A%E7%9F%A5.docx" in response["Content-Disposition"]
    assert "关于召开支部党员大会、党课、主题党日的通知" in all_text(open_docx(response.content))
    entry = AuditEntry.objects.get(action="reports.notice.exported")
    assert entry.actor == personas.secretary_a and entry.unit == personas.org.branch_a
    assert entry.object_id == str(meetings_a.combined.pk)
    assert entry.data == {"date": "2025-03-10", "topic": "学习二十届三中全会精神"}


def test_a_member_gets_the_notice_of_a_meeting_they_attended_only(personas, meetings_a, login):
    client = login(personas.member_a)
    assert client.get(reverse("reports:notice", kwargs={"pk": meetings_a.combined.pk})).status_code == 200
    assert client.get(reverse("reports:notice", kwargs={"pk": meetings_a.other.pk})).status_code == 404


def test_the_notice_of_another_branch_or_an_archived_meeting_answers_404(personas, meetings_a, login):
    client = login(personas.secretary_b)
    assert client.get(reverse("reports:notice", kwargs={"pk": meetings_a.combined.pk})).status_code == 404
    staff = login(personas.staff)
    assert staff.get(reverse("reports:notice", kwargs={"pk": meetings_a.archived.pk})).status_code == 404
    assert not AuditEntry.objects.filter(action="reports.notice.exported").exists()


def test_the_book_takes_a_fixed_number_of_queries(personas, meetings_a, login, django_assert_max_num_queries):
    from tests import factories as f

    client = login(personas.staff)
    # The ceiling leaves room for the audit append (savepoints and the advisory lock on PostgreSQL).
    with django_assert_max_num_queries(25) as few:
        client.get(book_url(personas.org.branch_a))
    for _i in range(10):
        m = f.MeetingFactory(unit=personas.org.branch_a, kinds=["theme_day"], host=personas.members.secretary_a)
        f.AttendanceFactory(meeting=m, member=personas.members.member_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(book_url(personas.org.branch_a))


def test_the_policy_answers_per_action(personas, meetings_a):
    from reports.permissions import can

    assert can(personas.secretary_a, "minutes_book", personas.org.branch_a)
    assert not can(personas.member_a, "minutes_book", personas.org.branch_a)
    assert can(personas.member_a, "notice", meetings_a.combined)
    assert not can(personas.secretary_b, "notice", meetings_a.combined)
    with pytest.raises(ValueError):
        can(personas.staff, "delete", meetings_a.combined)
