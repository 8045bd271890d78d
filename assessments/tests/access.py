"""Access-matrix rows for the assessments URLs (collected by tests/test_access_matrix.py).

Targets: ``year`` (an unpublished 2025 set with branch A's assessment computed), ``indicator``
(a leaf of it), ``assessment`` / ``score`` (branch A's 2025 assessment and a manual score of it),
``assessment_published`` (branch A's result of a published 2024 set), ``duty_report`` (branch A's 2025
duty report by secretary_a, open for evaluation), ``duty_report_draft`` (branch A's 2024 draft),
``duty_attachment`` (a file of the open report).
"""

import datetime

from tests.matrix import BRANCH_A_OWN, BRANCH_A_READ, OK, SCOPED_LIST, everyone, expect

STAFF_ONLY = expect(200, 403, 403, 404, 403)
STAFF_ONLY_POST = {**STAFF_ONLY, "staff": OK}
READERS = SCOPED_LIST
SCORERS_A = expect(200, 200, 404, 404, 404)
REPORTER_ONLY = expect(403, 403, 200, 404, 404)

MATRIX = {
    "assessments:set.list": ("GET", READERS, None),
    "assessments:set.create": ("POST", STAFF_ONLY_POST, None),
    "assessments:set.detail": ("GET", READERS, "year"),
    "assessments:set.bands": ("GET", STAFF_ONLY, "year"),
    "assessments:indicator.create": ("GET", STAFF_ONLY, "year"),
    "assessments:indicator.edit": ("GET", STAFF_ONLY, "indicator"),
    "assessments:indicator.archive": ("POST", STAFF_ONLY_POST, "indicator"),
    "assessments:set.recompute": ("POST", STAFF_ONLY_POST, "year"),
    "assessments:set.publish": ("POST", STAFF_ONLY_POST, "year"),
    # The ranking and the all-branch export: committee staff only.
    "assessments:assessment.ranking": ("GET", STAFF_ONLY, "year"),
    "assessments:assessment.export": ("GET", STAFF_ONLY, "year"),
    # A branch's result before publication: the committee's scorers only.
    "assessments:assessment.detail": ("GET", SCORERS_A, "assessment"),
    "assessments:assessment.detail@published": ("GET", BRANCH_A_READ, "assessment_published"),
    "assessments:assessment.report": ("GET", SCORERS_A, "assessment"),
    "assessments:assessment.report@published": ("GET", BRANCH_A_READ, "assessment_published"),
    "assessments:score.edit": ("GET", SCORERS_A, "score"),
    # 述职评议
    "assessments:duty.list": ("GET", everyone(200), None),
    "assessments:duty.create": ("GET", expect(403, 403, 200, 403, 200), None),
    "assessments:duty.detail": ("GET", BRANCH_A_OWN, "duty_report"),
    "assessments:duty.detail@draft": ("GET", BRANCH_A_READ, "duty_report_draft"),
    "assessments:duty.edit": ("GET", REPORTER_ONLY, "duty_report_draft"),
    "assessments:duty.submit": ("POST", {**REPORTER_ONLY, "secretary_a": OK}, "duty_report_draft"),
    "assessments:attachment.upload": ("POST", {**REPORTER_ONLY, "secretary_a": OK}, "duty_report_draft"),
    "assessments:duty.vote": ("POST", expect(OK, OK, 403, OK, 404), "duty_report"),
    "assessments:duty.close": ("POST", expect(OK, 403, 403, 403, 404), "duty_report"),
    "assessments:attachment.download": ("GET", BRANCH_A_OWN, "duty_attachment"),
}

POST_DATA = {"assessments:duty.vote": {"choice": "satisfied"}}

YEAR = 2025


def _assessment_set(personas, year: int, *, publish: bool):
    from assessments import services
    from assessments.models import IndicatorSet, SetStatus

    existing = IndicatorSet.objects.filter(year=year).first()
    if existing is not None:
        return existing
    indicator_set = services.create_indicator_set(year, actor=personas.staff)
    services.recompute_year(indicator_set, actor=personas.staff, today=datetime.date(year + 1, 1, 15))
    if publish:
        IndicatorSet.objects.filter(pk=indicator_set.pk).update(status=SetStatus.PUBLISHED)
    return indicator_set


def _report(personas, year: int, *, submit: bool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments import services
    from assessments.models import DutyReport

    report = DutyReport.objects.filter(unit=personas.org.branch_a, year=year).first()
    if report is None:
        report = services.create_duty_report(
            personas.org.branch_a,
            personas.members.secretary_a,
            {
                "year": year,
                "title": "第一党支部书记述职",
                "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。",
            },
            actor=personas.secretary_a,
        )
        services.add_duty_attachment(
            report, SimpleUploadedFile("述职.txt", "述职报告附件".encode()), actor=personas.secretary_a
        )
        if submit:
            services.submit_duty_report(report, actor=personas.secretary_a)
    return report


def target_kwargs(target, personas):
    from assessments.models import Method

    if target == "year":
        return {"year": _assessment_set(personas, YEAR, publish=False).year}
    if target == "indicator":
        s = _assessment_set(personas, YEAR, publish=False)
        return {"pk": s.indicators.filter(method=Method.MANUAL).first().pk}
    if target in ("assessment", "assessment_published"):
        s = _assessment_set(personas, YEAR if target == "assessment" else YEAR - 1, publish=target != "assessment")
        return {"pk": s.assessments.get(unit=personas.org.branch_a).pk}
    if target == "score":
        s = _assessment_set(personas, YEAR, publish=False)
        a = s.assessments.get(unit=personas.org.branch_a)
        return {"pk": a.scores.filter(indicator__method=Method.MANUAL).first().pk}
    if target == "duty_report":
        return {"pk": _report(personas, YEAR, submit=True).pk}
    if target == "duty_report_draft":
        return {"pk": _report(personas, YEAR - 1, submit=False).pk}
    if target == "duty_attachment":
        return {"pk": _report(personas, YEAR, submit=True).attachments.first().pk}
    return None
