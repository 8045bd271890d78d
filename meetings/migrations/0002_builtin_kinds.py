from django.db import migrations

BUILTIN = [
    # code, name, unit kind, order
    ("committee_meeting", "支委会", "branch", 10),
    ("group_meeting", "党小组会", "party_group", 20),
    ("general_meeting", "支部党员大会", "branch", 30),
    ("party_lesson", "党课", "branch", 40),
    ("theme_day", "主题党日", "branch", 50),
    ("life_meeting", "组织生活会", "branch", 60),
    ("reading_exchange", "读书心得交流", "branch", 70),
    ("study_day", "固定学习日", "branch", 80),
]


def add_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for code, name, unit_kind, order in BUILTIN:
        MeetingKind.objects.update_or_create(
            code=code, defaults={"name": name, "builtin": True, "unit_kind": unit_kind, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
