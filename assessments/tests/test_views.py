"""Pages: wrong methods, flows, exports that reopen, SVG escaping, constant queries."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from assessments import exports, services
from assessments.models import Assessment, Indicator, Method, Score
from common.models import AuditEntry
from tests import factories as f

from . import access
from .conftest import YEAR, score_all_manual

WRONG = {"GET": "post", "POST": "get"}
BOTH = {"assessments:set.bands", "assessments:indicator.create", "assessments:indicator.edit", "assessments:score.edit"}
BOTH |= {"assessments:duty.create", "assessments:duty.edit"}


@pytest.mark.parametrize("name", [n for n in access.MATRIX if "@" not in n])
def test_a_wrong_method_answers_405(name, personas, login):
    method, _expected, target = access.MATRIX[name]
    kwargs = access.target_kwargs(target, personas) if target else {}
    client = login(personas.staff)
    url = reverse(name, kwargs=kwargs)
    response = client.delete(url) if name in BOTH else getattr(client, WRONG[method])(url)
    assert response.status_code == 405


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_ranking_shows_ranks_and_an_escaped_chart(personas, login, year_set):
    response = login(personas.staff).get(reverse("assessments:assessment.ranking", args=[YEAR]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "第一党支部" in body and "排名仅供党委内部使用" in body


def test_the_chart_escapes_names():
    svg = exports.ranking_svg(
        [exports.ChartRow('<script>alert("x")</script>', D("88.5"), "fairly_good", "较好", 1)], title="<b>排名</b>"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_the_ranking_runs_a_fixed_number_of_queries(personas, login, django_assert_max_num_queries):
    s = services.create_indicator_set(YEAR, actor=personas.staff)
    client = login(personas.staff)
    url = reverse("assessments:assessment.ranking", args=[YEAR])
    client.get(url)  # the first look computes and stores the scores
    with django_assert_max_num_queries(60):
        assert client.get(url).status_code == 200
    for n in range(28):
        f.UnitFactory(name=f"测试第{n + 3}党支部", parent=personas.org.committee)
    client.get(url)
    assert Assessment.objects.filter(indicator_set=s).count() == 30
    with django_assert_max_num_queries(60):
        assert client.get(url).status_code == 200


def test_the_xlsx_export_reopens_with_every_branch_and_is_logged(personas, login, year_set):
    response = login(personas.staff).get(reverse("assessments:assessment.export", args=[YEAR]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert "导出人：党群办" in ws["A2"].value
    assert {ws.cell(row=r, column=2).value for r in (5, 6)} == {"第一党支部", "第二党支部"}
    assert wb.worksheets[1].max_row > 1  # the lost points
    assert AuditEntry.objects.filter(action="assessments.assessment.exported").count() == 1


def test_the_xlsx_keeps_a_formula_like_name_as_text(personas, login, year_set):
    personas.org.branch_b.name = '=HYPERLINK("http://x")'
    personas.org.branch_b.save()
    response = login(personas.staff).get(reverse("assessments:assessment.export", args=[YEAR]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [ws.cell(row=r, column=2) for r in (5, 6)]
    assert all(c.data_type == "s" for c in cells)


def test_the_branch_report_reopens_with_the_lost_points(personas, login, year_set):
    a = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a)
    response = login(personas.inspector).get(reverse("assessments:assessment.report", args=[a.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "第一党支部2025年度党建工作考核情况" in text and "失分说明" in text and "支委会" in text


def test_a_manual_score_through_the_page(personas, login, year_set):
    score = Score.objects.filter(assessment__unit=personas.org.branch_a, indicator__method=Method.MANUAL).first()
    client = login(personas.inspector)
    url = reverse("assessments:score.edit", args=[score.pk])
    response = client.post(url, {"version": score.version, "points": "99", "evidence_text": ""})
    assert response.status_code == 200
    assert "得分：须在0至" in response.content.decode()
    response = client.post(
        url, {"version": score.version, "points": "2", "evidence_text": "查阅学习记录", "comment": "心得偏少"}
    )
    assert response.status_code == 302
    detail = client.get(reverse("assessments:assessment.detail", args=[score.assessment_id])).content.decode()
    assert "心得偏少" in detail and "人工评分" in detail


def test_a_stale_manual_score_keeps_the_input(personas, login, year_set):
    score = Score.objects.filter(assessment__unit=personas.org.branch_a, indicator__method=Method.MANUAL).first()
    services.enter_manual_score(
        score, {"points": score.indicator.weight, "evidence_text": "甲"}, actor=personas.staff, expected_version=1
    )
    response = login(personas.inspector).post(
        reverse("assessments:score.edit", args=[score.pk]),
        {"version": 1, "points": "1", "evidence_text": "乙的依据", "comment": "乙"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "乙的依据" in body and "已被他人修改" in body


def test_publish_through_the_page_then_edits_are_refused_with_a_message(personas, login, year_set):
    client = login(personas.staff)
    response = client.post(reverse("assessments:set.publish", args=[YEAR]))
    assert any("还有人工评分指标未评分" in m for m in _messages(response))
    score_all_manual(year_set, personas.inspector)
    client.post(reverse("assessments:set.publish", args=[YEAR]))
    year_set.refresh_from_db()
    assert year_set.is_published
    leaf = Indicator.objects.filter(indicator_set=year_set, method=Method.MANUAL).first()
    response = client.post(reverse("assessments:indicator.edit", args=[leaf.pk]), {"name": "改名"})
    assert response.status_code == 302 and any("已发布" in m for m in _messages(response))
    leaf.refresh_from_db()
    assert leaf.name != "改名"
    # After publication the secretary sees the own branch's result, never the ranking.
    sec = login(personas.secretary_a)
    a = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a)
    assert sec.get(reverse("assessments:assessment.detail", args=[a.pk])).status_code == 200
    b = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_b)
    assert sec.get(reverse("assessments:assessment.detail", args=[b.pk])).status_code == 404
    assert sec.get(reverse("assessments:assessment.ranking", args=[YEAR])).status_code == 403


def test_viewing_an_unpublished_result_recomputes_it_from_the_records(personas, login, year_set):
    a = Assessment.objects.get(indicator_set=year_set, unit=personas.org.branch_a)
    total = a.total
    for month in range(1, 13):
        f.MeetingFactory(
            unit=personas.org.branch_a, date=datetime.date(2025, month, 5), kinds=["committee_meeting", "theme_day"]
        )
    # The page judges as of today, after the 2025 年度's deadline: hold its 组织生活会 too.
    life = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 12, 9), kinds=["life_meeting"])
    life.problems.create(text="学习流于形式")
    response = login(personas.staff).get(reverse("assessments:assessment.detail", args=[a.pk]))
    a.refresh_from_db()
    assert a.total > total
    assert "依据记录重新计算" in response.content.decode()


def test_creating_a_set_and_an_indicator_through_the_pages(personas, login):
    client = login(personas.staff)
    response = client.post(reverse("assessments:set.create"), {"year": "2026", "from_default": "on"})
    assert response.status_code == 302
    group = Indicator.objects.filter(indicator_set__year=2026, method="").first()
    response = client.post(
        reverse("assessments:indicator.create", args=[2026]),
        {"parent": group.pk, "name": "党费收缴", "method": "manual", "weight": "", "sort_order": 9},
    )
    assert response.status_code == 200 and "分值：计分指标须填写" in response.content.decode()
    response = client.post(
        reverse("assessments:indicator.create", args=[2026]),
        {"parent": group.pk, "name": "党费收缴", "method": "manual", "weight": "5", "sort_order": 9},
    )
    assert response.status_code == 302
    page = client.get(reverse("assessments:set.detail", args=[2026])).content.decode()
    assert "党费收缴" in page and "当前合计105分" in page


def test_voting_through_the_page_shows_only_totals(personas, login):
    report = access._report(personas, YEAR, submit=True)
    client = login(personas.member_a)
    client.post(reverse("assessments:duty.vote", args=[report.pk]), {"choice": "basically"})
    response = client.post(reverse("assessments:duty.vote", args=[report.pk]), {"choice": "satisfied"})
    assert any("只能投一次" in m for m in _messages(response))
    page = client.get(reverse("assessments:duty.detail", args=[report.pk])).content.decode()
    # Rewritten: "已有1人参加评议" and a live tally {"basically": 1} used to show while open.
    assert "投票人数 1 人" in page and "您已参加评议" in page
    assert "投票结束前不显示票数" in page and "基本满意</th>" not in page
    assert services.tally(report) is None
    from ballots.models import Ballot

    assert list(Ballot.objects.filter(round=report.ballot).values_list("choice", flat=True)) == ["basically"]


def test_the_secretary_writes_and_submits_a_duty_report(personas, login):
    client = login(personas.secretary_a)
    last_year = str(timezone.localdate().year - 1)  # the view offers this year and the one before
    response = client.post(reverse("assessments:duty.create"), {"year": last_year, "title": "", "text": "短"})
    assert "标题：请填写" in response.content.decode()
    response = client.post(
        reverse("assessments:duty.create"),
        {
            "year": last_year,
            "title": "述职",
            "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。",
        },
    )
    assert response.status_code == 302
    report = personas.members.secretary_a.duty_reports.get()
    client.post(reverse("assessments:duty.submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "open"
