"""The holiday calendar moves down from recognition to common, rows kept.

Recognition's 公示 periods and the fixed study day (study, a lower layer than recognition) both
count on it, so it belongs to the foundation. The table is taken over as it is (state only) and
then renamed to common's name; recognition/migrations/0003 drops the model from recognition's
state without touching the database.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0002_audit_log_append_only"),
        ("recognition", "0002_holiday_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkdayCalendar",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "is_workday",
                            models.BooleanField(
                                default=False, help_text="勾选：调休上班日；不勾选：放假日。", verbose_name="上班"
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                    ],
                    options={
                        "verbose_name": "节假日安排",
                        "verbose_name_plural": "节假日安排",
                        "ordering": ["date"],
                        "db_table": "recognition_workdaycalendar",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="workdaycalendar", table=None),
    ]
