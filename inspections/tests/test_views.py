"""Pages by persona: flows, read-only secretaries, 405s, the report download, pinned query counts."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, Inspection, SpotCheckDraw
from inspections.tests.access import make_draw, make_finding, make_inspection
from tests import factories as f

URLS = {
    # name: (allowed methods, needs a target)
    "inspections:inspection.list": ({"GET"}, None),
    "inspections:inspection.create": ({"GET", "POST"}, None),
    "inspections:inspection.detail": ({"GET"}, "inspection"),
    "inspections:inspection.edit": ({"GET", "POST"}, "inspection"),
    "inspections:inspection.advance": ({"POST"}, "inspection"),
    "inspections:report.download": ({"GET"}, "inspection"),
    "inspections:draw.create": ({"GET", "POST"}, "inspection"),
    "inspections:draw.detail": ({"GET"}, "draw"),
    "inspections:draw.repeat": ({"POST"}, "draw"),
    "inspections:finding.create": ({"GET", "POST"}, "inspection"),
    "inspections:finding.edit": ({"GET", "POST"}, "finding"),
    "inspections:finding.raise": ({"GET", "POST"}, "finding"),
}


def _url(name, target, personas):
    if target is None:
        return reverse(name)
    maker = {"inspection": make_inspection, "draw": make_draw, "finding": make_finding}[target]
    return reverse(name, args=[maker(personas).pk])


@pytest.mark.parametrize("name", sorted(URLS))
def test_a_wrong_method_answers_405(name, personas, login):
    allowed, target = URLS[name]
    client = login(personas.staff)
    url = _url(name, target, personas)
    wrong = "put" if "POST" in allowed else "post"
    assert getattr(client, wrong)(url).status_code == 405


def test_the_url_table_matches_the_apps_urls():
    from tests.test_access_matrix import all_url_names

    assert {n for n in all_url_names() if n.startswith("inspections:")} == set(URLS)


# --- list ------------------------------------------------------------------------------------


def make_many(personas, n):
    for i in range(n):
        inspection = make_inspection(personas, title=f"督查{i}", whole_committee=i % 2 == 0)
        make_finding(personas, inspection)


@pytest.mark.parametrize("persona", ["staff", "secretary_a"])
def test_the_list_costs_the_same_queries_for_3_and_30_inspections(
    persona, personas, login, django_assert_max_num_queries
):
    client = login(getattr(personas, persona))
    make_many(personas, 3)
    client.get(reverse("inspections:inspection.list"))  # warm the session and content types
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("inspections:inspection.list")).status_code == 200
    make_many(personas, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:inspection.list"))
    assert response.content.decode().count("督查2") >= 1


def test_the_list_shows_a_secretary_only_inspections_concerning_the_branch(personas, login):
    make_inspection(personas, title="只查甲支部")
    make_inspection(personas, title="只查乙支部", branches=[personas.org.branch_b])
    make_inspection(personas, title="全体支部", whole_committee=True)
    page = login(personas.secretary_a).get(reverse("inspections:inspection.list")).content.decode()
    assert "只查甲支部" in page and "全体支部" in page
    assert "只查乙支部" not in page


def test_the_list_filters_by_status(personas, login):
    make_inspection(personas, title="计划中的督查")
    started = make_inspection(personas, title="实施中的督查")
    services.advance_inspection(started, actor=personas.staff)
    page = login(personas.staff).get(reverse("inspections:inspection.list"), {"status": "in_progress"}).content.decode()
    assert "实施中的督查" in page and "计划中的督查" not in page


# --- plan ------------------------------------------------------------------------------------


def plan_post(personas, **overrides):
    data = {
        "title": "上半年实地指导",
        "kind": "onsite",
        "planned_start": "2025-05-06",
        "planned_end": "2025-05-20",
        "inspectors": [personas.inspector.pk],
        "branches": [personas.org.branch_b.pk],
        "notes": "",
    }
    data.update(overrides)
    return data


def test_an_inspector_plans_an_inspection(personas, login):
    response = login(personas.inspector).post(reverse("inspections:inspection.create"), plan_post(personas))
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "inspections:inspection.detail", args=[inspection.pk]
    )
    assert list(inspection.branches.all()) == [personas.org.branch_b]


def test_the_plan_form_keeps_input_and_names_the_missing_field(personas, login):
    response = login(personas.staff).post(reverse("inspections:inspection.create"), plan_post(personas, title=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "督查名称：请填写。" in page
    assert 'value="2025-05-06"' in page
    assert not Inspection.objects.exists()


def test_a_stale_plan_edit_shows_the_conflict_and_keeps_input(personas, login):
    inspection = make_inspection(personas)
    Inspection.objects.filter(pk=inspection.pk).update(title="别人改过的名称", version=2)
    data = plan_post(personas, title="我的名称", version=1, branches=[personas.org.branch_a.pk])
    response = login(personas.staff).post(reverse("inspections:inspection.edit", args=[inspection.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "督查名称：别人改过的名称 → 我的名称" in page
    assert 'value="我的名称"' in page
    assert Inspection.objects.get(pk=inspection.pk).title == "别人改过的名称"


def test_advancing_moves_the_status_and_a_reported_inspection_cannot_be_edited(personas, login):
    inspection = make_inspection(personas)
    client = login(personas.inspector)
    url = reverse("inspections:inspection.advance", args=[inspection.pk])
    client.post(url)
    client.post(url)
    assert Inspection.objects.get(pk=inspection.pk).status == "reported"
    response = client.get(reverse("inspections:inspection.edit", args=[inspection.pk]))
    assert response.status_code == 302
    detail = client.get(reverse("inspections:inspection.detail", args=[inspection.pk])).content.decode()
    assert reverse("inspections:draw.create", args=[inspection.pk]) not in detail


# --- draws -----------------------------------------------------------------------------------


def test_the_draw_form_offers_a_random_seed_and_shows_weighting_unavailable(personas, login, monkeypatch):
    monkeypatch.setattr(services, "risk_function", lambda: None)
    inspection = make_inspection(personas)
    page = login(personas.inspector).get(reverse("inspections:draw.create", args=[inspection.pk])).content.decode()
    assert "暂不可用：风险评分" in page
    assert 'name="weighted"' in page and "disabled" in page
    assert 'name="seed"' in page


def test_drawing_with_a_typed_seed_stores_it_and_shows_it(personas, login):
    inspection = make_inspection(personas)
    f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 2, 5), topic="二月主题党日")
    client = login(personas.inspector)
    response = client.post(
        reverse("inspections:draw.create", args=[inspection.pk]),
        {
            "record_type": "meeting",
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "branch_count": "1",
            "records_per_branch": "3",
            "seed": "18446744073709551615",
        },
    )
    draw = SpotCheckDraw.objects.get()
    assert response.url == reverse("inspections:draw.detail", args=[draw.pk])
    assert draw.seed == "18446744073709551615"
    page = client.get(response.url).content.decode()
    assert "18446744073709551615" in page
    assert "二月主题党日" in page
    assert reverse("meetings:meeting.detail", args=[draw.sample[0]["records"][0]]) in page


def test_a_bad_seed_is_refused_with_the_field_named(personas, login):
    inspection = make_inspection(personas)
    response = login(personas.inspector).post(
        reverse("inspections:draw.create", args=[inspection.pk]),
        {
            "record_type": "meeting",
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "branch_count": "1",
            "records_per_branch": "1",
            "seed": "12ab",
        },
    )
    assert response.status_code == 200
    assert "随机种子：请填写" in response.content.decode()
    assert not SpotCheckDraw.objects.exists()


def test_repeating_a_draw_reports_identical_on_unchanged_data(personas, login):
    draw = make_draw(personas)
    client = login(personas.staff)
    response = client.post(reverse("inspections:draw.repeat", args=[draw.pk]), follow=True)
    page = response.content.decode()
    assert "样本与原抽样完全一致" in page
    assert "样本完全一致" in page


def test_repeating_after_a_change_says_why_it_differs(personas, login):
    draw = make_draw(personas)
    for day in range(1, 20):
        f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 3, day))
    page = login(personas.staff).post(reverse("inspections:draw.repeat", args=[draw.pk]), follow=True).content.decode()
    assert "第一党支部新增或改期的记录 19 条" in page


def test_a_secretary_sees_only_the_branchs_sample_rows_and_no_repeat_button(personas, login):
    for unit in (personas.org.branch_a, personas.org.branch_b):
        f.MeetingFactory(unit=unit, date=datetime.date(2025, 2, 5), topic=f"{unit.name}的会议")
    inspection = make_inspection(personas, whole_committee=True)
    draw = services.draw_spot_check(
        inspection,
        {
            "record_type": "meeting",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2025, 3, 31),
            "branch_count": 2,
            "records_per_branch": 1,
            "seed": "5",
        },
        actor=personas.staff,
    )
    page = login(personas.secretary_a).get(reverse("inspections:draw.detail", args=[draw.pk])).content.decode()
    assert "第一党支部的会议" in page and "第二党支部的会议" not in page
    assert reverse("inspections:draw.repeat", args=[draw.pk]) not in page


# --- findings --------------------------------------------------------------------------------


def test_a_finding_form_opened_from_the_sample_is_prefilled(personas, login):
    draw = make_draw(personas)
    meeting_id = draw.sample[0]["records"][0]
    url = reverse("inspections:finding.create", args=[draw.inspection.pk])
    page = (
        login(personas.inspector).get(url, {"unit": personas.org.branch_a.pk, "meeting": meeting_id}).content.decode()
    )
    assert f'<option value="{meeting_id}" selected>' in page


def test_an_inspector_records_a_finding(personas, login):
    inspection = make_inspection(personas)
    response = login(personas.inspector).post(
        reverse("inspections:finding.create", args=[inspection.pk]),
        {"unit": personas.org.branch_a.pk, "text": "党课记录缺讲稿", "severity": "serious"},
    )
    assert response.status_code == 302
    assert Finding.objects.get().text == "党课记录缺讲稿"


def test_a_finding_with_no_text_is_refused_naming_the_field(personas, login):
    inspection = make_inspection(personas)
    response = login(personas.inspector).post(
        reverse("inspections:finding.create", args=[inspection.pk]),
        {"unit": personas.org.branch_a.pk, "text": "", "severity": "general"},
    )
    assert "问题描述：请填写。" in response.content.decode()


def test_a_secretary_reads_only_the_branchs_findings(personas, login):
    inspection = make_inspection(personas, whole_committee=True)
    services.add_finding(inspection, {"unit": personas.org.branch_a, "text": "甲支部的问题"}, actor=personas.staff)
    services.add_finding(inspection, {"unit": personas.org.branch_b, "text": "乙支部的问题"}, actor=personas.staff)
    url = reverse("inspections:inspection.detail", args=[inspection.pk])
    page_a = login(personas.secretary_a).get(url).content.decode()
    assert "甲支部的问题" in page_a and "乙支部的问题" not in page_a
    assert reverse("inspections:finding.create", args=[inspection.pk]) not in page_a
    page_b = login(personas.secretary_b).get(url).content.decode()
    assert "乙支部的问题" in page_b and "甲支部的问题" not in page_b


def test_a_secretary_of_another_branch_cannot_open_a_finding(personas, login):
    inspection = make_inspection(personas, whole_committee=True)
    finding = make_finding(personas, inspection)
    client = login(personas.secretary_b)
    assert client.get(reverse("inspections:finding.edit", args=[finding.pk])).status_code == 404
    assert login(personas.secretary_a).get(reverse("inspections:finding.edit", args=[finding.pk])).status_code == 403


def test_raising_an_item_from_the_page_links_it_to_the_finding(personas, login):
    finding = make_finding(personas)
    client = login(personas.inspector)
    url = reverse("inspections:finding.raise", args=[finding.pk])
    data = {
        "problem": "支委会记录不完整",
        "measure": "补全",
        "responsible": personas.members.secretary_a.pk,
        "deadline": "2025-07-01",
        "category": "work",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # resent: nothing new
    assert len(services.items_by_finding([finding.pk])[finding.pk]) == 1
    detail = client.get(reverse("inspections:inspection.detail", args=[finding.inspection_id])).content.decode()
    assert "待整改" in detail


# --- report ----------------------------------------------------------------------------------


def test_the_report_downloads_with_an_rfc5987_name(personas, login):
    inspection = make_inspection(personas)
    response = login(personas.inspector).get(reverse("inspections:report.download", args=[inspection.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = response["Content-Disposition"]
    assert f'filename="inspection-{inspection.pk}.docx"' in disposition
    assert "filename*=UTF-8''" + quote("第一季度随机抽查-督查报告.docx") in disposition
    assert "no-store" in response["Cache-Control"]
    assert response.content[:2] == b"PK"
