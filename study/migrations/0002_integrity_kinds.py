"""Clean-governance education (廉政教育) as meeting kinds: warning-education visits and
clean-governance study, held by branches, counted per year on the study dashboard."""

from django.db import migrations

KINDS = [
    # code, name, order
    ("warning_education", "警示教育基地参观", 90),
    ("integrity_study", "廉政学习", 100),
]


def add_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for code, name, order in KINDS:
        MeetingKind.objects.update_or_create(
            code=code, defaults={"name": name, "builtin": True, "unit_kind": "branch", "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("study", "0001_initial"), ("meetings", "0003_calendar_feed_token")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
