"""The holiday calendar now lives in common (common/migrations/0003 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0002_holiday_calendar"),
        ("common", "0003_workday_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WorkdayCalendar")],
            database_operations=[],
        ),
    ]
