"""The kept monthly meeting counts follow every change made through the services, and
``recount_meetings`` rebuilds or checks them."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings import counts, services
from meetings.models import MeetingCount

D = datetime.date


def kept(unit, year):
    """{kind code: (m01, …, m12)} kept for ``unit`` and ``year``."""
    return {
        row.kind.code: row.months for row in MeetingCount.objects.filter(unit=unit, year=year).select_related("kind")
    }


def month_vector(**months):
    out = [0] * 12
    for name, n in months.items():
        out[int(name[1:]) - 1] = n
    return tuple(out)


def test_recording_counts_the_meeting_toward_each_of_its_kinds(personas, branch, roster, kinds, meeting_data, record):
    record(codes=("theme_day", "general_meeting"))
    record(codes=("theme_day",), data={"date": D(2025, 3, 20)})
    assert kept(branch, 2025) == {"theme_day": month_vector(m3=2), "general_meeting": month_vector(m3=1)}
    assert counts.differences() == []


def test_an_edit_moves_the_count_to_the_new_month_year_and_kinds(
    personas, branch, roster, kinds, meeting_data, record, edit
):
    meeting = record(codes=("theme_day", "general_meeting"))
    meeting.refresh_from_db()
    edit(meeting, codes=("committee_meeting",), data={"date": D(2025, 1, 8)})
    assert kept(branch, 2025) == {"committee_meeting": month_vector(m1=1)}
    meeting.refresh_from_db()
    edit(meeting, codes=("committee_meeting",), data={"date": D(2024, 12, 30)})
    assert kept(branch, 2025) == {}
    assert kept(branch, 2024) == {"committee_meeting": month_vector(m12=1)}
    assert counts.differences() == []


def test_archiving_uncounts_and_restoring_counts_again(personas, branch, roster, kinds, meeting_data, record):
    meeting = record()
    services.archive_meeting(meeting, actor=personas.secretary_a, reason="重复录入")
    assert kept(branch, 2025) == {}
    services.restore_meeting(meeting, actor=personas.secretary_a)
    assert kept(branch, 2025) == {"theme_day": month_vector(m3=1)}
    assert counts.differences() == []


def test_a_refused_record_changes_no_count(personas, branch, roster, kinds, meeting_data, record):
    record()
    with pytest.raises(services.MeetingError):
        record(data={"topic": ""})
    assert kept(branch, 2025) == {"theme_day": month_vector(m3=1)}


def test_recount_check_names_the_unit_and_a_rebuild_repairs(
    personas, branch, roster, kinds, meeting_data, record, capsys
):
    record()
    call_command("recount_meetings", "--check")
    assert "一致" in capsys.readouterr().out

    MeetingCount.objects.filter(unit=branch).update(m03=5)
    with pytest.raises(CommandError) as refused:
        call_command("recount_meetings", "--check")
    assert refused.value.returncode == 1
    err = capsys.readouterr().err
    assert branch.name in err and "主题党日" in err and "5" in err

    call_command("recount_meetings")
    assert kept(branch, 2025) == {"theme_day": month_vector(m3=1)}
    call_command("recount_meetings", "--check", "--year", "2025")
