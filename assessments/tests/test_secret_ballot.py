"""述职评议 is a secret ballot (``ballots``): the pages never show a running total, a voter's
choice or a voter's address; the result shows after close, and only with enough voters."""

from django.urls import reverse

from assessments import services as duty
from assessments.models import Choice
from common.models import AuditEntry


def _duty_report(personas, year=2025, title="第一党支部书记述职"):
    """Secretary A's submitted duty report of ``year``, open for the vote."""
    report = duty.create_duty_report(
        personas.org.branch_a,
        personas.members.secretary_a,
        {"year": year, "title": title, "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。"},
        actor=personas.secretary_a,
    )
    return duty.submit_duty_report(report, actor=personas.secretary_a)


def test_the_duty_page_shows_no_running_total_and_no_voter_in_the_change_log(personas, login):
    report = _duty_report(personas)
    client = login(personas.member_a)
    client.post(reverse("assessments:duty.vote", args=[report.pk]), {"choice": "unsatisfied"}, REMOTE_ADDR="10.9.8.7")
    for user in (personas.member_a, personas.secretary_a, personas.staff):
        page = login(user).get(reverse("assessments:duty.detail", args=[report.pk]))
        html = page.content.decode()
        assert page.context["counts"] is None and "不满意</th>" not in html
        assert "10.9.8.7" not in html and "参加述职评议投票" not in html and "参加无记名投票" not in html
    assert not AuditEntry.objects.filter(ip="10.9.8.7").exists()
    staff_page = login(personas.staff).get(reverse("assessments:duty.detail", args=[report.pk]))
    assert "甲党员" not in staff_page.context["not_voted"] and "未投票" in staff_page.content.decode()
    # The reporter (the secretary under review) does not see who has not voted.
    assert (
        login(personas.secretary_a).get(reverse("assessments:duty.detail", args=[report.pk])).context["not_voted"]
        is None
    )


def test_the_duty_result_shows_after_close_with_enough_voters_only(personas, login):
    report = _duty_report(personas)
    duty.cast_duty_vote(report, Choice.SATISFIED, actor=personas.staff)
    duty.cast_duty_vote(report, Choice.UNSATISFIED, actor=personas.member_a)
    duty.close_duty_report(report, actor=personas.staff)
    page = login(personas.secretary_a).get(reverse("assessments:duty.detail", args=[report.pk]))
    assert page.context["counts"] is None and "不公布各选项票数" in page.content.decode()
    other = _duty_report(personas, year=2024, title="上年度述职")
    for user in (personas.staff, personas.inspector, personas.member_a):
        duty.cast_duty_vote(other, Choice.SATISFIED, actor=user)
    duty.close_duty_report(other, actor=personas.staff)
    page = login(personas.secretary_a).get(reverse("assessments:duty.detail", args=[other.pk]))
    assert dict(page.context["counts"])["满意"] == 3
