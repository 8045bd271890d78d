"""Rules as data: creating, tightening from a date, retiring; services and pages."""

import datetime

import pytest
from django.urls import reverse

from common.models import AuditEntry
from compliance import services
from compliance.models import Rule
from meetings.models import MeetingKind
from organizations.models import Unit
from tests import factories as f

D = datetime.date
TODAY = D(2025, 6, 20)


def version_data(**overrides):
    data = {
        "name": "党课每月至少1次",
        "period": "month",
        "min_count": 1,
        "condition": "",
        "params": {},
        "source": "机关党委2025年第3号通知",
        "effective_from": D(2025, 7, 1),
        "note": "",
    }
    return data | overrides


# --- services --------------------------------------------------------------------------------


def test_tightening_adds_a_version_and_past_periods_keep_the_old_one(org, personas):
    rule = services.add_rule_version("party_lesson", version_data(), actor=personas.staff, today=TODAY)
    versions = list(Rule.objects.filter(code="party_lesson").order_by("effective_from"))
    assert [(v.period, v.effective_from) for v in versions] == [("quarter", D(2019, 1, 1)), ("month", D(2025, 7, 1))]
    assert rule.kind.code == "party_lesson" and rule.created_by == personas.staff
    entry = AuditEntry.objects.get(action="compliance.rule.changed")
    assert entry.data["changes"]["period"] == ["quarter", "month"]
    assert entry.actor == personas.staff

    f.MeetingFactory(unit=org.branch_a, date=D(2025, 2, 3), kinds=["party_lesson"])
    cells = services.compliance_table(2025, as_of=D(2026, 1, 5), units=Unit.objects.filter(pk=org.branch_a.pk))
    periods = [(c.period, c.status) for c in cells if c.rule_code == "party_lesson"]
    assert periods[:3] == [("2025-Q1", "met"), ("2025-Q2", "missed"), ("2025-07", "missed")]
    assert len(periods) == 2 + 6


def test_it_refuses_a_version_effective_in_the_past(org, personas):
    with pytest.raises(services.RuleError, match="生效日期不能早于今天") as exc:
        services.add_rule_version("party_lesson", version_data(effective_from=D(2025, 1, 1)), actor=None, today=TODAY)
    assert exc.value.field == "effective_from"
    assert Rule.objects.filter(code="party_lesson").count() == 1


def test_it_refuses_a_version_identical_to_the_current_one(org, personas):
    same = version_data(name="每季度至少上1次党课", period="quarter", source="讲话三（一）")
    with pytest.raises(services.RuleError, match="完全相同"):
        services.add_rule_version("party_lesson", same, actor=personas.staff, today=TODAY)


def test_it_refuses_a_version_of_an_unknown_rule(db):
    with pytest.raises(services.RuleError, match="不存在"):
        services.add_rule_version("no_such_rule", version_data(), actor=None, today=TODAY)


def test_create_rule_takes_the_unit_level_from_the_kind_and_is_audited(org, personas):
    kind = MeetingKind.objects.get(code="study_day")
    rule = services.create_rule(version_data(code="study_day", kind=kind), actor=personas.staff, today=TODAY)
    assert (rule.unit_level, rule.kind, rule.effective_from) == ("branch", kind, D(2025, 7, 1))
    assert AuditEntry.objects.filter(action="compliance.rule.created", object_id=str(rule.pk)).exists()
    group_kind = MeetingKind.objects.get(code="group_meeting")
    other = services.create_rule(version_data(code="group_extra", kind=group_kind), actor=personas.staff, today=TODAY)
    assert other.unit_level == "party_group"


def test_create_rule_refuses_a_code_in_use_and_a_missing_problem_bound(org, personas):
    kind = MeetingKind.objects.get(code="study_day")
    with pytest.raises(services.RuleError, match="规则代码“theme_day”已被使用"):
        services.create_rule(version_data(code="theme_day", kind=kind), actor=None, today=TODAY)
    with pytest.raises(services.RuleError, match="问题数的下限或上限"):
        services.create_rule(
            version_data(code="x_rule", kind=kind, condition="problems_recorded"), actor=None, today=TODAY
        )


def test_retiring_stops_the_rule_from_that_day_and_keeps_its_versions(org, personas):
    services.retire_rule("party_lesson", D(2025, 7, 1), actor=personas.staff, today=TODAY)
    assert Rule.objects.get(code="party_lesson").retired_on == D(2025, 7, 1)
    entry = AuditEntry.objects.get(action="compliance.rule.retired")
    assert entry.data["changes"]["retired_on"] == [None, "2025-07-01"]
    cells = services.compliance_table(2025, as_of=D(2026, 1, 5), units=Unit.objects.filter(pk=org.branch_a.pk))
    statuses = {c.period: c.status for c in cells if c.rule_code == "party_lesson"}
    assert statuses == {
        "2025-Q1": "missed",
        "2025-Q2": "missed",
        "2025-Q3": "not_applicable",
        "2025-Q4": "not_applicable",
    }
    with pytest.raises(services.RuleError, match="已于2025-07-01停止执行"):
        services.retire_rule("party_lesson", D(2025, 8, 1), actor=personas.staff, today=TODAY)


# --- pages -----------------------------------------------------------------------------------


def test_everyone_reads_the_rules_with_their_source_and_history(personas, login):
    Rule.objects.create(
        code="party_lesson",
        name="党课每月至少1次",
        kind=MeetingKind.objects.get(code="party_lesson"),
        period="month",
        source="新通知",
        effective_from=D(2099, 1, 1),
    )
    page = login(personas.member_a).get(reverse("compliance:rule.list")).content.decode()
    assert "支委会每月至少召开1次" in page
    assert "《中国共产党支部工作条例（试行）》" in page
    assert "新版本 2099-01-01 起施行" in page
    assert "版本记录（2 个版本）" in page
    assert "调整（新版本）" not in page


@pytest.mark.parametrize("extra", [1, 12])
def test_the_rule_list_runs_in_constant_queries(personas, login, extra, django_assert_max_num_queries):
    kind = MeetingKind.objects.get(code="study_day")
    for i in range(extra):
        Rule.objects.create(code=f"r{i}", name=f"规则{i}", kind=kind, period="month", source="s", effective_from=TODAY)
    client = login(personas.staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("compliance:rule.list")).status_code == 200


def test_staff_tighten_a_rule_from_the_page(personas, login):
    client = login(personas.staff)
    url = reverse("compliance:rule.version", kwargs={"code": "party_lesson"})
    assert "每季度至少上1次党课" in client.get(url).content.decode()
    form = {
        "name": "党课每月至少1次",
        "period": "month",
        "min_count": "1",
        "condition": "",
        "source": "新通知",
        "effective_from": "2099-01-01",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    assert Rule.objects.filter(code="party_lesson").count() == 2


def test_the_version_page_names_the_field_in_chinese_when_the_date_is_past(personas, login):
    client = login(personas.staff)
    url = reverse("compliance:rule.version", kwargs={"code": "party_lesson"})
    form = {"name": "x", "period": "month", "min_count": "1", "source": "s", "effective_from": "2001-01-01"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "生效日期不能早于今天" in response.content.decode()
    assert Rule.objects.filter(code="party_lesson").count() == 1


def test_staff_create_a_rule_from_the_page(personas, login):
    client = login(personas.staff)
    kind = MeetingKind.objects.get(code="study_day")
    form = {
        "code": "study_day",
        "name": "固定学习日每月1次",
        "kind": str(kind.pk),
        "period": "month",
        "min_count": "1",
        "condition": "problems_recorded",
        "source": "讲话二（三）",
        "effective_from": "2099-01-01",
    }
    response = client.post(reverse("compliance:rule.create"), form)
    assert response.status_code == 200
    assert "问题数的下限或上限" in response.content.decode()
    form |= {"condition": "", "problems_min": ""}
    assert client.post(reverse("compliance:rule.create"), form).status_code == 302
    assert Rule.objects.get(code="study_day").unit_level == "branch"


def test_retire_from_the_page_reports_a_refusal(personas, login):
    client = login(personas.staff)
    url = reverse("compliance:rule.retire", kwargs={"code": "theme_day"})
    response = client.post(url, {"retired_on": "2001-01-01"}, follow=True)
    assert "停止日期不能早于今天" in response.content.decode()
    assert Rule.objects.get(code="theme_day").retired_on is None
    client.post(url, {"retired_on": "2099-01-01"})
    assert Rule.objects.get(code="theme_day").retired_on == D(2099, 1, 1)


def test_rule_pages_answer_404_for_an_unknown_code_and_403_for_non_staff(personas, login):
    assert login(personas.staff).get(reverse("compliance:rule.version", kwargs={"code": "nope"})).status_code == 404
    client = login(personas.secretary_a)
    assert client.post(reverse("compliance:rule.retire", kwargs={"code": "theme_day"}), {}).status_code == 403
    assert Rule.objects.get(code="theme_day").retired_on is None


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("compliance:rule.list", {}, "post"),
        ("compliance:rule.create", {}, "put"),
        ("compliance:rule.version", {"code": "theme_day"}, "delete"),
        ("compliance:rule.retire", {"code": "theme_day"}, "get"),
        ("compliance:rule.require_study_day", {}, "get"),
    ],
)
def test_rule_pages_refuse_the_wrong_method(personas, login, name, kwargs, method):
    client = login(personas.staff)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405


# ---------------------------------------------------------------------------------------------
# The study-day rule, offered on the study dashboard


def test_staff_add_the_study_day_compliance_rule_from_next_month(personas):
    rule = services.require_study_day(actor=personas.staff, today=D(2025, 6, 12))
    assert (rule.code, rule.kind.code, rule.period, rule.min_count, rule.effective_from) == (
        "study_day",
        "study_day",
        "month",
        1,
        D(2025, 7, 1),
    )
    assert AuditEntry.objects.filter(action="compliance.rule.created").exists()
    with pytest.raises(services.RuleError):
        services.require_study_day(actor=personas.staff, today=D(2025, 6, 12))
    assert Rule.objects.filter(code="study_day").count() == 1


def test_staff_add_the_study_day_rule_from_the_study_dashboard_button(personas, login):
    client = login(personas.staff)
    assert "新增制度规则" in client.get(reverse("study:dashboard")).content.decode()
    client.post(reverse("compliance:rule.require_study_day"))
    assert "已有“固定学习日”" in client.get(reverse("study:dashboard")).content.decode()


def test_the_study_day_card_is_for_the_rule_managers_only(personas, login):
    page = login(personas.secretary_a).get(reverse("study:dashboard"))
    assert page.status_code == 200 and "固定学习日的制度要求" not in page.content.decode()


# --- the 年度 deadline -----------------------------------------------------------------------


def test_staff_set_a_years_deadline_with_an_audit_entry_and_it_is_refused_outside_the_window(personas, login):
    client = login(personas.staff)
    page = client.get(reverse("compliance:rule.list")).content.decode()
    assert "年度组织生活会截止日期" in page and "默认" in page
    response = client.post(
        reverse("compliance:deadline.set", kwargs={"year": 2025}), {"deadline": "2026-01-31", "note": "组通〔2025〕1号"}
    )
    assert response.status_code == 302
    assert services.annual_deadline(2025) == D(2026, 1, 31)
    entry = AuditEntry.objects.get(action="compliance.deadline.set")
    assert entry.data["changes"]["deadline"] == ["2026-02-28", "2026-01-31"]
    with pytest.raises(services.RuleError, match="截止日期应在"):
        services.set_annual_deadline(2025, D(2025, 6, 30), actor=personas.staff)
    assert services.annual_deadline(2024) == D(2025, 2, 28)  # the default
