"""Seed the working-day calendar with the official 2025 and 2026 holiday arrangements.

Source: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号) and 国务院办公厅关于
2026年部分节假日安排的通知 (published November 2025), as known when this was written. Committee
staff MUST check these rows against the published notice and add each new year's arrangement
(recognition → 节假日安排) when the State Council publishes it, usually in November: public notices
(公示) count working days from this calendar.
"""

import datetime

from django.db import migrations

# (first day, last day, name) of each holiday period, and the adjusted workdays (调休上班).
HOLIDAYS = [
    # 2025
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    # 2026
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
ADJUSTED_WORKDAYS = [
    ("2025-01-26", "春节调休上班"),
    ("2025-02-08", "春节调休上班"),
    ("2025-04-27", "劳动节调休上班"),
    ("2025-09-28", "国庆节调休上班"),
    ("2025-10-11", "国庆节调休上班"),
    ("2026-01-04", "元旦调休上班"),
    ("2026-02-14", "春节调休上班"),
    ("2026-02-28", "春节调休上班"),
    ("2026-05-09", "劳动节调休上班"),
    ("2026-09-20", "国庆节调休上班"),
    ("2026-10-10", "国庆节调休上班"),
]


def seed(apps, schema_editor):
    WorkdayCalendar = apps.get_model("recognition", "WorkdayCalendar")
    for first, last, name in HOLIDAYS:
        day = datetime.date.fromisoformat(first)
        end = datetime.date.fromisoformat(last)
        while day <= end:
            WorkdayCalendar.objects.update_or_create(date=day, defaults={"is_workday": False, "note": name})
            day += datetime.timedelta(days=1)
    for date, note in ADJUSTED_WORKDAYS:
        WorkdayCalendar.objects.update_or_create(
            date=datetime.date.fromisoformat(date), defaults={"is_workday": True, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
