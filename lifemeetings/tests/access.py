"""Access-matrix rows for the 组织生活会 package (collected by tests/test_access_matrix.py).

Every target belongs to branch A and the 2025 package: ``lm_unit_year`` (branch A, 2025),
``lm_talk`` (secretary_a with other_a), ``lm_talk_own`` (secretary_a with member_a),
``lm_material_new`` (the edit page of secretary_a's not yet written material), ``lm_material`` (a
draft of secretary_a), ``lm_material_submitted``, ``lm_attachment``, ``lm_meeting`` (a 组织生活会
of branch A), ``lm_criticism``, ``lm_problem``.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import BRANCH_A_OWN, BRANCH_A_READ, BRANCH_A_WORK, OK, everyone, expect

YEAR = 2025

# Package pages: the branch's readers; a member of the branch is in scope but may not (403).
_READ = expect(200, 200, 200, 403, 404)
# Objects a member does not see (404), managed by staff/secretary, read-only for the inspector.
_MANAGE_GET = expect(200, 403, 200, 404, 404)

MATRIX = {
    "lifemeetings:package.index": ("GET", everyone(200), None),
    "lifemeetings:package.overview": ("GET", _READ, "lm_unit_year"),
    # Pages every member of the branch opens (filtered to their own records).
    "lifemeetings:talk.list": ("GET", BRANCH_A_OWN, "lm_unit_year"),
    "lifemeetings:talk.create": ("GET", expect(200, 403, 200, 403, 404), "lm_unit_year"),
    "lifemeetings:talk.coverage": ("GET", _READ, "lm_unit_year"),
    "lifemeetings:talk.detail": ("GET", BRANCH_A_READ, "lm_talk"),
    "lifemeetings:talk.detail@own": ("GET", BRANCH_A_OWN, "lm_talk_own"),
    "lifemeetings:talk.edit": ("GET", _MANAGE_GET, "lm_talk"),
    "lifemeetings:talk.edit@own": ("GET", expect(200, 403, 200, 403, 404), "lm_talk_own"),
    "lifemeetings:talk.archive": ("POST", BRANCH_A_WORK, "lm_talk"),
    "lifemeetings:talk.restore": ("POST", BRANCH_A_WORK, "lm_talk"),
    "lifemeetings:material.list": ("GET", BRANCH_A_OWN, "lm_unit_year"),
    # The inspector reads materials but does not write them.
    "lifemeetings:material.edit": ("GET", expect(200, 403, 200, 404, 404), "lm_material_new"),
    "lifemeetings:material.detail": ("GET", BRANCH_A_READ, "lm_material"),
    "lifemeetings:material.submit": ("POST", BRANCH_A_WORK, "lm_material"),
    "lifemeetings:material.return": ("POST", BRANCH_A_WORK, "lm_material_submitted"),
    "lifemeetings:material.upload": ("POST", BRANCH_A_WORK, "lm_material"),
    "lifemeetings:material.download": ("GET", BRANCH_A_READ, "lm_attachment"),
    "lifemeetings:meeting.detail": ("GET", _READ, "lm_meeting"),
    "lifemeetings:criticism.create": ("POST", expect(OK, 403, OK, 403, 404), "lm_meeting"),
    "lifemeetings:problem.create": ("POST", expect(OK, 403, OK, 403, 404), "lm_meeting"),
    "lifemeetings:criticism.edit": ("GET", _MANAGE_GET, "lm_criticism"),
    "lifemeetings:criticism.archive": ("POST", BRANCH_A_WORK, "lm_criticism"),
    "lifemeetings:problem.edit": ("GET", _MANAGE_GET, "lm_problem"),
    "lifemeetings:problem.archive": ("POST", BRANCH_A_WORK, "lm_problem"),
    "lifemeetings:problem.raise": ("GET", _MANAGE_GET, "lm_problem"),
}

POST_DATA = {"lifemeetings:material.return": {"reason": "请补充根源剖析"}}


def _talk(personas, counterpart):
    from lifemeetings.models import HeartTalk

    return HeartTalk.objects.create(
        unit=personas.org.branch_a,
        year=YEAR,
        date=datetime.date(2025, 11, 3),
        initiator=personas.members.secretary_a,
        counterpart=counterpart,
        summary="交流思想和工作情况。",
    )


def _material(personas, status="draft"):
    from lifemeetings.models import ReviewMaterial

    return ReviewMaterial.objects.create(
        unit=personas.org.branch_a, year=YEAR, member=personas.members.secretary_a, text="对照检查。", status=status
    )


def _meeting(personas):
    from tests import factories as f

    return f.MeetingFactory(
        unit=personas.org.branch_a,
        date=datetime.date(2025, 12, 10),
        topic="2025年度组织生活会",
        host=personas.members.secretary_a,
        kinds=["life_meeting"],
    )


def target_kwargs(target, personas):
    from lifemeetings.models import CriticismEntry, PersonalProblem

    m = personas.members
    if target == "lm_unit_year":
        return {"unit_id": personas.org.branch_a.pk, "year": YEAR}
    if target == "lm_talk":
        return {"pk": _talk(personas, m.other_a).pk}
    if target == "lm_talk_own":
        return {"pk": _talk(personas, m.member_a).pk}
    if target == "lm_material_new":
        return {"unit_id": personas.org.branch_a.pk, "year": YEAR, "member_id": m.secretary_a.pk}
    if target == "lm_material":
        return {"pk": _material(personas).pk}
    if target == "lm_material_submitted":
        return {"pk": _material(personas, status="submitted").pk}
    if target == "lm_attachment":
        from lifemeetings import services

        upload = SimpleUploadedFile("对照检查.txt", "对照检查材料正文".encode(), content_type="text/plain")
        return {"pk": services.add_material_attachment(_material(personas), upload, actor=personas.staff).pk}
    if target == "lm_meeting":
        return {"meeting_id": _meeting(personas).pk}
    if target == "lm_criticism":
        entry = CriticismEntry.objects.create(
            meeting=_meeting(personas), subject=m.other_a, kind="self", text="自我批评。"
        )
        return {"pk": entry.pk}
    if target == "lm_problem":
        problem = PersonalProblem.objects.create(
            meeting=_meeting(personas), member=m.other_a, category="work", problem="调查研究不够深入。"
        )
        return {"pk": problem.pk}
    return None
