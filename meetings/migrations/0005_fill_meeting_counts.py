"""Count the meetings already recorded (``MeetingCount`` is kept from now on by the services)."""

import datetime

from django.db import migrations
from django.db.models import Count, Q

MONTHS = [f"m{m:02d}" for m in range(1, 13)]


def last_day(year, month):
    return datetime.date(year, 12, 31) if month == 12 else datetime.date(year, month + 1, 1) - datetime.timedelta(1)


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingCount = apps.get_model("meetings", "MeetingCount")
    through = Meeting.kinds.through
    years = sorted({d.year for d in Meeting.objects.order_by().values_list("date", flat=True).distinct()})
    for year in years:
        rows = (
            through.objects.filter(
                meeting__date__gte=datetime.date(year, 1, 1),
                meeting__date__lte=datetime.date(year, 12, 31),
                meeting__archived_at__isnull=True,
            )
            .order_by()
            .values_list("meeting__unit_id", "meetingkind_id")
            .annotate(
                **{
                    f: Count("pk", filter=Q(meeting__date__gte=datetime.date(year, m, 1), meeting__date__lte=last_day(year, m)))
                    for m, f in enumerate(MONTHS, start=1)
                }
            )
        )
        MeetingCount.objects.bulk_create(
            [MeetingCount(unit_id=u, kind_id=k, year=year, **dict(zip(MONTHS, months))) for u, k, *months in rows],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_meeting_counts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
