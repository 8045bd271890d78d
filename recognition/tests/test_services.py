"""Services: the 四强 workflow, naming refusals, lapse, nominations, notes, certificates, scorecards
gathered from the records. Each asserts the state change and the audit entry."""

import datetime
import io

import pytest
from docx import Document

from common.models import AuditEntry
from meetings.models import MeetingKind
from recognition import services
from recognition.models import FiveLeadsNote, FourStrong, Nomination, NoticeStatus
from recognition.scorecard import scorecards, seats_in_year
from recognition.services import RecognitionError
from recognition.tests import builders as b
from tests import factories as f

D = datetime.date


def actions(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("id").values_list("action", flat=True))


@pytest.fixture
def app(personas, year):
    b.criteria(year)
    return services.create_four_strong(personas.org.branch_a, year, actor=personas.secretary_a)


def _through_review(app, personas):
    evidence = {r.criterion_id: "已落实，见会议记录。" for r in app.assessments.all()}
    services.save_self_assessment(app, evidence, actor=personas.secretary_a, version=app.version)
    services.submit_four_strong(app, actor=personas.secretary_a)
    results = {r.criterion_id: (True, "") for r in app.assessments.all()}
    return services.review_four_strong(app, results, actor=personas.staff)


def test_four_strong_goes_from_self_assessment_to_naming(app, personas):
    assert app.status == NoticeStatus.DRAFT and app.assessments.count() == 4
    _through_review(app, personas)
    assert app.status == NoticeStatus.PASSED
    services.start_notice(app, D(2025, 9, 30), 5, actor=personas.staff)
    assert app.notice_end == D(2025, 10, 13), "the notice runs across 国庆 and counts the 调休 Saturday"
    with pytest.raises(RecognitionError) as exc:
        services.name_recognition(app, D(2025, 10, 13), actor=personas.staff)
    assert "公示期满后" in str(exc.value)
    services.name_recognition(app, D(2025, 10, 14), actor=personas.staff)
    app.refresh_from_db()
    assert app.status == NoticeStatus.NAMED and app.named_on == D(2025, 10, 14)
    assert actions(app) == [
        "recognition.fourstrong.created",
        "recognition.fourstrong.self_assessed",
        "recognition.fourstrong.submitted",
        "recognition.fourstrong.reviewed",
        "recognition.fourstrong.noticed",
        "recognition.fourstrong.named",
    ]


def test_it_refuses_to_submit_without_evidence_for_every_criterion(app, personas):
    with pytest.raises(RecognitionError) as exc:
        services.submit_four_strong(app, actor=personas.secretary_a)
    assert str(exc.value).startswith("自评情况及佐证：")
    assert FourStrong.objects.get(pk=app.pk).status == NoticeStatus.DRAFT


def test_a_failed_criterion_needs_a_comment_and_fails_the_branch(app, personas):
    services.save_self_assessment(
        app, {r.criterion_id: "有" for r in app.assessments.all()}, actor=personas.secretary_a, version=app.version
    )
    services.submit_four_strong(app, actor=personas.secretary_a)
    rows = list(app.assessments.all())
    results = {r.criterion_id: (True, "") for r in rows}
    results[rows[0].criterion_id] = (False, "")
    with pytest.raises(RecognitionError) as exc:
        services.review_four_strong(app, results, actor=personas.staff)
    assert str(exc.value).startswith("审核意见：")
    results[rows[0].criterion_id] = (False, "支委会未按月召开。")
    services.review_four_strong(app, results, actor=personas.staff)
    assert app.status == NoticeStatus.FAILED
    with pytest.raises(RecognitionError):
        services.start_notice(app, D(2025, 11, 3), actor=personas.staff)


def test_an_objection_blocks_naming_and_leads_to_rejection(app, personas):
    _through_review(app, personas)
    services.start_notice(app, D(2025, 11, 3), actor=personas.staff)
    services.record_objection(app, "群众反映支部活动记录不实。", actor=personas.staff)
    with pytest.raises(RecognitionError) as exc:
        services.name_recognition(app, D(2026, 1, 5), actor=personas.staff)
    assert "异议" in str(exc.value)
    services.reject(app, "经核实异议属实。", actor=personas.staff)
    assert app.status == NoticeStatus.FAILED
    assert actions(app)[-2:] == ["recognition.fourstrong.objected", "recognition.fourstrong.rejected"]


def test_a_returned_self_assessment_goes_back_to_draft_with_the_reason(app, personas):
    services.save_self_assessment(
        app, {r.criterion_id: "有" for r in app.assessments.all()}, actor=personas.secretary_a, version=app.version
    )
    services.submit_four_strong(app, actor=personas.secretary_a)
    with pytest.raises(RecognitionError) as exc:
        services.return_four_strong(app, " ", actor=personas.staff)
    assert str(exc.value).startswith("处理意见：")
    services.return_four_strong(app, "佐证不足。", actor=personas.staff)
    assert app.status == NoticeStatus.DRAFT and app.decision_note == "佐证不足。"


def test_a_stale_self_assessment_is_refused(app, personas):
    from common.concurrency import StaleEditError

    services.save_self_assessment(app, {}, actor=personas.secretary_a, version=app.version)
    with pytest.raises(StaleEditError):
        services.save_self_assessment(app, {}, actor=personas.secretary_a, version=1)


def test_it_refuses_a_second_application_for_the_same_year(app, personas, year):
    with pytest.raises(RecognitionError) as exc:
        services.create_four_strong(personas.org.branch_a, year, actor=personas.staff)
    assert str(exc.value).startswith("年度：")


def test_next_years_application_is_a_rereview_and_an_unreviewed_naming_lapses(personas):
    named = b.four_strong(personas, year=2024, status=NoticeStatus.NAMED)
    other = b.four_strong(personas, year=2024, status=NoticeStatus.NAMED, unit=personas.org.branch_b)
    b.criteria(2025)
    rereview = services.create_four_strong(personas.org.branch_b, 2025, actor=personas.staff)
    assert rereview.review_of == other
    # Still within the re-review year: nothing lapses.
    assert services.lapse_unreviewed(D(2025, 12, 31)) == []
    # Branch B is named again for 2025; branch A was never re-reviewed.
    FourStrong.objects.filter(pk=rereview.pk).update(status=NoticeStatus.NAMED)
    lapsed = services.lapse_unreviewed(D(2026, 1, 2), actor=personas.staff)
    assert lapsed == [named]
    named.refresh_from_db()
    other.refresh_from_db()
    assert named.status == NoticeStatus.LAPSED and other.status == NoticeStatus.NAMED
    assert actions(named) == ["recognition.fourstrong.lapsed"]


def test_default_criteria_load_once_and_freeze_after_a_submission(personas, year):
    rows = services.add_default_criteria(year, actor=personas.staff)
    assert len(rows) == 12
    with pytest.raises(RecognitionError):
        services.add_default_criteria(year, actor=personas.staff)
    app = services.create_four_strong(personas.org.branch_a, year, actor=personas.staff)
    services.save_self_assessment(
        app, {r.criterion_id: "有" for r in app.assessments.all()}, actor=personas.staff, version=app.version
    )
    services.submit_four_strong(app, actor=personas.staff)
    with pytest.raises(RecognitionError) as exc:
        services.edit_criterion(
            rows[0], {"dimension": "political", "text": "改", "order": 1}, actor=personas.staff, version=1
        )
    assert "不能再修改" in str(exc.value)


# --- nominations -----------------------------------------------------------------------------


def test_a_model_post_is_nominated_scored_noticed_and_named(personas, year):
    member = personas.members.other_a
    n = services.nominate(
        personas.org.branch_a,
        {"kind": "model_post", "year": year, "member": member, "title": "窗口示范岗", "reason": "服务好"},
        actor=personas.secretary_a,
    )
    assert n.status == NoticeStatus.NOMINATED
    with pytest.raises(RecognitionError):
        services.review_nomination(n, {"points": 90}, actor=personas.staff)
    services.open_review(n, actor=personas.staff)
    with pytest.raises(RecognitionError) as exc:
        services.review_nomination(n, {"points": 120}, actor=personas.staff)
    assert str(exc.value).startswith("分数：")
    services.review_nomination(n, {"points": 70}, actor=personas.staff)
    services.review_nomination(n, {"points": 95}, actor=personas.staff)  # changed, still one review
    services.review_nomination(n, {"points": 85}, actor=personas.inspector)
    assert services.nomination_tally(n).average == 90
    services.decide_nomination(n, actor=personas.staff)
    assert n.status == NoticeStatus.PASSED
    services.start_notice(n, D(2025, 12, 1), 5, actor=personas.staff)
    assert n.notice_end == D(2025, 12, 5)
    services.name_recognition(n, D(2025, 12, 8), actor=personas.staff)
    assert Nomination.objects.get(pk=n.pk).status == NoticeStatus.NAMED
    assert "recognition.nomination.decided" in actions(n) and actions(n)[-1] == "recognition.nomination.named"


def test_a_vote_passes_with_more_than_half_agreeing(personas, year):
    n = b.nomination(personas, status="reviewing", method="vote")
    with pytest.raises(RecognitionError) as exc:
        services.decide_nomination(n, actor=personas.staff)
    assert str(exc.value).startswith("评审意见：")
    services.review_nomination(n, {"agree": True}, actor=personas.staff)
    services.review_nomination(n, {"agree": False}, actor=personas.inspector)
    services.decide_nomination(n, actor=personas.staff)
    assert n.status == NoticeStatus.FAILED, "one of two is not more than half"


def test_it_refuses_a_model_post_without_a_member_or_from_another_branch(personas, year):
    data = {"kind": "model_post", "year": year, "member": None, "title": "岗", "reason": "好"}
    with pytest.raises(RecognitionError) as exc:
        services.nominate(personas.org.branch_a, data, actor=personas.staff)
    assert exc.value.field == "member" and str(exc.value).startswith("党员：")
    with pytest.raises(RecognitionError) as exc:
        services.nominate(personas.org.branch_a, {**data, "member": personas.members.other_b}, actor=personas.staff)
    assert "不是本支部党员" in str(exc.value)


def test_the_certificate_reopens_with_the_honour_and_the_exporter(personas):
    n = b.nomination(personas, status="named", member=personas.members.other_a)
    content = services.export_certificate(n, actor=personas.staff)
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "荣誉证书" in text and "甲同事" in text and "党员示范岗" in text and str(n.year) in text
    assert "测试机关党委" in text and "2025年10月15日" in text
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "导出人：党群办" in footer
    assert actions(n) == ["recognition.nomination.exported"]
    with pytest.raises(RecognitionError):
        services.export_certificate(b.nomination(personas, status="reviewing"), actor=personas.staff)


# --- 五带头 ----------------------------------------------------------------------------------


def test_notes_are_audited_and_archived(personas, year):
    member = personas.members.secretary_a
    with pytest.raises(RecognitionError) as exc:
        services.add_note(member, year, {"duty": "study", "text": " "}, actor=personas.staff)
    assert str(exc.value).startswith("说明：")
    note = services.add_note(
        member, year, {"duty": "discipline", "text": "如实报告", "needs_attention": True}, actor=personas.staff
    )
    services.archive_note(note, actor=personas.staff)
    assert FiveLeadsNote.objects.get(pk=note.pk).is_archived
    entry = AuditEntry.objects.for_object(note).order_by("id").first()
    assert entry.action == "recognition.note.created" and entry.unit == personas.org.branch_a


def test_the_scorecard_gathers_evidence_from_the_records(personas, year):
    from rectification.models import Rectification
    from study.models import StudyRecord

    m = personas.members.secretary_a
    branch = personas.org.branch_a
    f.TermMemberFactory(term=personas.terms.a, member=personas.members.other_a)
    for i in range(2):
        StudyRecord.objects.create(
            member=m, unit=branch, title=f"党章{i}", date=D(year, 3, 1 + i), hours=2, status="confirmed"
        )
    StudyRecord.objects.create(member=m, unit=branch, title="未确认", date=D(year, 3, 9), hours=2)
    lesson = f.MeetingFactory(unit=branch, date=D(year, 4, 1), lecturer=m, kinds=["party_lesson"])
    f.AttendanceFactory(meeting=lesson, member=m)
    volunteer = MeetingKind.objects.create(code="volunteer_service", name="志愿服务")
    service = f.MeetingFactory(unit=branch, date=D(year, 5, 1), kinds=[volunteer])
    f.AttendanceFactory(meeting=service, member=m)
    theme = f.MeetingFactory(unit=branch, date=D(year, 6, 1), topic="学雷锋志愿服务", kinds=["theme_day"])
    f.AttendanceFactory(meeting=theme, member=personas.members.other_a)
    f.AttendanceFactory(meeting=theme, member=m, status="absent", absence_reason="official")
    f.MeetingFactory(unit=branch, date=D(year - 1, 6, 1), lecturer=personas.members.other_a)  # another year
    Rectification.objects.create(
        unit=branch, source="other", category="discipline", problem="迟报事项", member=personas.members.other_a
    )
    cards = {c.member.pk: c for c in scorecards(seats_in_year(year, units=[branch]), year)}
    mine = cards[m.pk].by_duty()
    assert mine["study"].met and len(mine["study"].evidence) == 2
    assert mine["lecture"].met
    assert not mine["attend"].met and "出席 2 次" in mine["attend"].summary
    assert mine["serve"].met and len(mine["serve"].evidence) == 1
    assert mine["discipline"].met
    other = cards[personas.members.other_a.pk].by_duty()
    assert not other["study"].met and not other["lecture"].met
    assert other["serve"].met, "a 主题党日 about 志愿 work counts"
    assert not other["discipline"].met


def test_the_periodic_job_lapses_an_unreviewed_naming_and_tells_the_branch_once(personas):
    from notifications.models import Notification
    from notifications.services import run_periodic

    named = b.four_strong(personas, year=2024, status=NoticeStatus.NAMED)
    run_periodic(D(2026, 1, 5))
    run_periodic(D(2026, 1, 5))
    named.refresh_from_db()
    assert named.status == NoticeStatus.LAPSED
    sent = Notification.objects.filter(topic="recognition.fourstrong.lapsed")
    assert [n.user for n in sent] == [personas.secretary_a]


STUDY_CRITERION = "支委成员落实“五带头”要求，年度学时达到规定要求。"


@pytest.fixture
def study_app(personas, year):
    from committees.models import CommitteeTerm
    from recognition.models import FourStrongCriterion
    from study.models import RecordStatus, StudyRecord

    term = CommitteeTerm.objects.get(unit=personas.org.branch_a, status="current")
    f.TermMemberFactory(term=term, member=personas.members.member_a)
    for member, hours in ((personas.members.secretary_a, 60), (personas.members.member_a, 10)):
        StudyRecord.objects.create(
            member=member,
            unit=personas.org.branch_a,
            title="集中学习",
            date=D(year, 6, 1),
            hours=hours,
            status=RecordStatus.CONFIRMED,
        )
    FourStrongCriterion.objects.create(year=year, dimension="leadership", text=STUDY_CRITERION, order=1)
    app = services.create_four_strong(personas.org.branch_a, year, actor=personas.secretary_a)
    services.save_self_assessment(
        app,
        {r.criterion_id: "支委学时均已达标。" for r in app.assessments.all()},
        actor=personas.secretary_a,
        version=app.version,
    )
    services.submit_four_strong(app, actor=personas.secretary_a)
    return app


def test_the_study_ledger_figures_stand_beside_a_study_hours_criterion(study_app, personas):
    from recognition.record_figures import criterion_figures

    (row,) = study_app.assessments.all()
    (figure,) = criterion_figures(study_app)[row.criterion_id]
    assert figure.contradicts
    assert "支委成员2人，1人达到规定学时，1人未达到" in figure.text and "甲党员" in figure.text
    assert "甲书记" not in figure.text


def test_a_pass_the_records_contradict_needs_a_reason(study_app, personas):
    (row,) = study_app.assessments.all()
    with pytest.raises(RecognitionError) as exc:
        services.review_four_strong(study_app, {row.criterion_id: (True, "")}, actor=personas.staff)
    assert "记录" in str(exc.value) and STUDY_CRITERION in str(exc.value)
    assert FourStrong.objects.get(pk=study_app.pk).status == NoticeStatus.SUBMITTED
    services.review_four_strong(
        study_app, {row.criterion_id: (True, "甲党员学时已由上级培训补足，材料已核。")}, actor=personas.staff
    )
    assert study_app.status == NoticeStatus.PASSED
    entry = AuditEntry.objects.for_object(study_app).get(action="recognition.fourstrong.reviewed")
    assert entry.data["passed_against_records"] == [STUDY_CRITERION]


def test_criteria_the_records_cannot_answer_show_no_figures(app, personas):
    from recognition.record_figures import criterion_figures, measures

    assert criterion_figures(app) == {}
    assert measures("按规定发展党员、转接组织关系，党费按时足额收缴。") == []
