import datetime

from django.db import migrations

# The defaults of domain.md, each with its source. Committee staff tighten or add rules in the UI.
DEFAULT_RULES = [
    # code, name, kind, unit level, period, min count, condition, params, source
    ("committee_meeting", "支委会每月至少召开1次", "committee_meeting", "branch", "month", 1, "", {},
     "讲话三（一）；《中国共产党支部工作条例（试行）》"),
    ("group_meeting", "党小组会每月至少召开1次", "group_meeting", "party_group", "month", 1, "", {},
     "讲话三（一）"),
    ("general_meeting", "支部党员大会每季度至少召开1次", "general_meeting", "branch", "quarter", 1, "", {},
     "讲话三（一）；《中国共产党支部工作条例（试行）》"),
    ("party_lesson", "每季度至少上1次党课", "party_lesson", "branch", "quarter", 1, "", {},
     "讲话三（一）"),
    ("secretary_lecture", "支部书记每年至少讲1次党课", "party_lesson", "branch", "year", 1, "secretary_lectures", {},
     "讲话三（一）（本地做法，全国性文件未作规定）"),
    ("theme_day", "主题党日每月至少开展1次", "theme_day", "branch", "month", 1, "", {},
     "讲话三（二）；《中国共产党支部工作条例（试行）》"),
    ("life_meeting", "组织生活会每年至少召开1次，解决1至2个实际问题", "life_meeting", "branch", "year", 1,
     "problems_recorded", {"min": 1, "max": 2}, "讲话三（三）；《中国共产党支部工作条例（试行）》"),
    ("reading_exchange", "读书心得交流每季度至少开展1次", "reading_exchange", "branch", "quarter", 1, "", {},
     "讲话四（一）：“学党章、强基础、作表率”主题实践活动"),
]
EFFECTIVE_FROM = datetime.date(2019, 1, 1)


def add_rules(apps, schema_editor):
    Rule = apps.get_model("compliance", "Rule")
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for code, name, kind, level, period, count, condition, params, source in DEFAULT_RULES:
        Rule.objects.get_or_create(
            code=code,
            effective_from=EFFECTIVE_FROM,
            defaults={
                "name": name,
                "kind": MeetingKind.objects.get(code=kind),
                "unit_level": level,
                "period": period,
                "min_count": count,
                "condition": condition,
                "params": params,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_initial"), ("meetings", "0002_builtin_kinds")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
