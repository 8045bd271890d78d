import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import format_html
from openpyxl import load_workbook

from common.models import AuditEntry
from meetings import planning
from study import registry, services
from study.models import RecordStatus, StudyRecord
from tests import factories as f

D = datetime.date


def _record(personas, member=None):
    member = member or personas.members.member_a
    return services.record_study(
        member,
        {"title": '=HYPERLINK("x")', "date": D(2025, 5, 1), "hours": Decimal("4")},
        actor=member.user,
        today=D(2025, 12, 1),
    )


def test_a_member_submits_study_from_the_form(personas, login):
    client = login(personas.member_a)
    response = client.post(
        reverse("study:record.create"), {"title": "《党章》总纲", "date": "2025-05-01", "hours": "2.5", "note": ""}
    )
    assert response.status_code == 302
    record = StudyRecord.objects.get()
    assert (record.member, record.hours, record.status) == (personas.members.member_a, Decimal("2.5"), "submitted")


def test_the_form_keeps_input_and_names_the_field_on_bad_hours(personas, login):
    response = login(personas.member_a).post(
        reverse("study:record.create"), {"title": "《党章》总纲", "date": "2025-05-01", "hours": "0.2"}
    )
    assert response.status_code == 200
    assert "0.5 学时为单位" in response.content.decode() and "《党章》总纲" in response.content.decode()
    assert not StudyRecord.objects.exists()


def test_the_secretary_confirms_from_the_review_queue(personas, login):
    record = _record(personas)
    client = login(personas.secretary_a)
    assert "确认" in client.get(reverse("study:record.list")).content.decode()
    client.post(reverse("study:record.confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED


def test_a_secretary_cannot_confirm_their_own_record(personas, login):
    record = _record(personas, member=personas.members.secretary_a)
    response = login(personas.secretary_a).post(reverse("study:record.confirm", args=[record.pk]))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_the_ledger_export_carries_exporter_time_and_text_cells_and_is_audited(personas, login, meeting_with):
    record = _record(personas)
    services.confirm_study(record, actor=personas.secretary_a)
    meeting_with(["theme_day"], present=[personas.members.member_a])
    response = login(personas.secretary_a).get(
        reverse("study:ledger.export", args=[personas.org.branch_a.pk]) + "?year=2025"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert "导出人：甲书记" in ws["A2"].value and "导出时间" in ws["A2"].value
    names = {ws.cell(row=r, column=1).value: r for r in range(5, ws.max_row + 1)}
    row = names["甲党员"]
    assert ws.cell(row=row, column=6).value == 5.5 and ws.cell(row=row, column=7).value == "未达标"
    detail = wb.worksheets[1]
    titles = [detail.cell(row=r, column=4).value for r in range(2, detail.max_row + 1)]
    assert '=HYPERLINK("x")' in titles
    assert all(detail.cell(row=r, column=4).data_type == "s" for r in range(2, detail.max_row + 1))
    entry = AuditEntry.objects.get(action="study.ledger.exported")
    assert entry.actor == personas.secretary_a and entry.data["year"] == 2025


def _grow(personas, n, prefix):
    from meetings.models import Attendance

    meeting = f.MeetingFactory(unit=personas.org.branch_a, kinds=["theme_day"], date=D(2025, 4, 1))
    for i in range(n):
        member = f.member_in(personas.org.branch_a, name=f"{prefix}党员{i}")
        Attendance.objects.create(meeting=meeting, member=member, status="present")
        rec = services.record_study(
            member, {"title": f"材料{i}", "date": D(2025, 5, 1), "hours": Decimal("1")}, actor=None, today=D(2025, 6, 1)
        )
        services.confirm_study(rec, actor=personas.secretary_a)


@pytest.mark.parametrize("name", ["study:ledger.branch", "study:ledger.export"])
def test_the_branch_ledger_query_count_does_not_grow_with_members(personas, login, name, django_assert_max_num_queries):
    client = login(personas.secretary_a)
    url = reverse(name, args=[personas.org.branch_a.pk]) + "?year=2025"
    client.get(url)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n, prefix in ((3, "甲"), (30, "乙")):
        _grow(personas, n, prefix)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[1]):
        client.get(url)


def test_the_dashboard_and_review_list_query_counts_do_not_grow(personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.staff)
    for url in (reverse("study:dashboard") + "?year=2025", reverse("study:record.list")):
        client.get(url)
        counts = []
        for n, prefix in ((3, f"{len(url)}a"), (30, f"{len(url)}b")):
            _grow(personas, n, prefix)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts.append(len(queries))
        assert counts[0] == counts[1], (url, counts)


def test_the_member_page_lists_the_meetings_that_gave_hours(personas, login, meeting_with):
    meeting_with(["theme_day"], present=[personas.members.member_a], topic="学习党章第一章")
    response = login(personas.member_a).get(
        reverse("study:ledger.member", args=[personas.members.member_a.pk]) + "?year=2025"
    )
    text = response.content.decode()
    assert "学习党章第一章" in text and "1.5" in text


def test_the_study_day_calendar_marks_the_rule_days_and_held_meetings(personas, login, meeting_with):
    services.save_study_day_rule(
        personas.org.branch_a, {"mode": "nth_weekday", "nth": 1, "weekday": 4}, actor=personas.staff
    )
    meeting_with(["study_day"], topic="固定学习日：学习条例", date=D(2025, 3, 12))
    response = login(personas.member_a).get(
        reverse("study:studyday.calendar", args=[personas.org.branch_a.pk]) + "?month=2025-03"
    )
    text = response.content.decode()
    assert "每月第一个星期五" in text and "3月7日" in text
    months = response.context["months"]
    assert months[2].met and months[2].held == (D(2025, 3, 12),) and not months[3].met


def test_the_study_day_feed_lists_all_day_events_and_a_revoked_secret_answers_404(personas, client):
    services.save_study_day_rule(personas.org.branch_a, {"mode": "day_of_month", "day": 15}, actor=personas.staff)
    token = planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff).token
    response = client.get(reverse("study:studyday.ical", args=[token]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "DTSTART;VALUE=DATE:" in body and "固定学习日" in body
    planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff)
    assert client.get(reverse("study:studyday.ical", args=[token])).status_code == 404


def test_the_dashboard_shows_the_panels_registered_by_other_apps(personas, login, monkeypatch):
    monkeypatch.setattr(registry, "_dashboard_panels", [])
    registry.register_dashboard_panel(lambda request: None)  # nothing for this reader
    registry.register_dashboard_panel(
        lambda request: format_html('<section class="card">给{}的卡片</section>', request.user.username)
    )
    page = login(personas.staff).get(reverse("study:dashboard")).content.decode()
    assert f'<section class="card">给{personas.staff.username}的卡片</section>' in page


def test_the_home_page_shows_clean_governance_counts_to_staff_only(personas, login, meeting_with):
    meeting_with(["warning_education"], date=D(2025, 3, 10))
    assert "廉政教育" in login(personas.staff).get(reverse("portal:home")).content.decode()
    assert "study_integrity" not in login(personas.member_a).get(reverse("portal:home")).context


def test_year_settings_form_saves_for_staff(personas, login):
    from meetings.models import MeetingKind

    kind = MeetingKind.objects.get(code="theme_day")
    response = login(personas.staff).post(
        reverse("study:year.edit", args=[2025]),
        {"member_target": "30", "leader_target": "50", "default_meeting_hours": "1.5", "counted_kinds": [kind.pk]},
    )
    assert response.status_code == 302
    assert services.year_settings(2025).counted_kinds == frozenset({"theme_day"})


WRONG_METHOD = [
    ("study:my", "post", {}),
    ("study:record.list", "post", {}),
    ("study:record.create", "put", {}),
    ("study:record.edit", "put", {"pk": 1}),
    ("study:record.confirm", "get", {"pk": 1}),
    ("study:record.return", "get", {"pk": 1}),
    ("study:record.archive", "get", {"pk": 1}),
    ("study:dashboard", "post", {}),
    ("study:ledger.branch", "post", {"pk": 1}),
    ("study:ledger.export", "post", {"pk": 1}),
    ("study:ledger.member", "post", {"pk": 1}),
    ("study:year.list", "post", {}),
    ("study:year.edit", "put", {"year": 2025}),
    ("study:studyday.calendar", "post", {"pk": 1}),
    ("study:studyday.edit", "put", {"pk": 1}),
    ("study:studyday.ical", "post", {"token": "x"}),
]


@pytest.mark.parametrize(("name", "method", "kwargs"), WRONG_METHOD, ids=[w[0] for w in WRONG_METHOD])
def test_a_wrong_method_answers_405(personas, login, name, method, kwargs):
    client = login(personas.staff)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405
