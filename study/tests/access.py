"""Access-matrix rows for the study URLs (collected by tests/test_access_matrix.py).

Targets: ``unit`` (branch A), ``member`` (a colleague in branch A), ``self`` (member_a),
``study_record`` (a submitted record of member_a's colleague), ``study_record_own`` (member_a's own
submitted record), ``study_year`` (a year), ``study_feed`` (a live feed secret of branch A).
"""

import datetime
from decimal import Decimal

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}
ALL_200 = dict.fromkeys(PERSONAS, 200)
STAFF_ONLY = {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403}

MATRIX = {
    "study:my": ("GET", ALL_200, None),
    "study:record.list": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 200},
        None,
    ),
    # staff, inspector: no party member record of their own.
    "study:record.create": (
        "GET",
        {"staff": 403, "inspector": 403, "secretary_a": 200, "member_a": 200, "secretary_b": 200},
        None,
    ),
    "study:record.edit": (
        "GET",
        {"staff": 403, "inspector": 403, "secretary_a": 403, "member_a": 404, "secretary_b": 404},
        "study_record",
    ),
    "study:record.edit@own": (
        "GET",
        {"staff": 403, "inspector": 403, "secretary_a": 403, "member_a": 200, "secretary_b": 404},
        "study_record_own",
    ),
    "study:record.confirm": (
        "POST",
        {"staff": 403, "inspector": 403, "secretary_a": 302, "member_a": 404, "secretary_b": 404},
        "study_record",
    ),
    # A member never confirms their own record.
    "study:record.confirm@own": (
        "POST",
        {"staff": 403, "inspector": 403, "secretary_a": 302, "member_a": 403, "secretary_b": 404},
        "study_record_own",
    ),
    "study:record.return": (
        "POST",
        {"staff": 403, "inspector": 403, "secretary_a": 302, "member_a": 404, "secretary_b": 404},
        "study_record",
    ),
    "study:record.archive": (
        "POST",
        {"staff": 403, "inspector": 403, "secretary_a": 403, "member_a": 404, "secretary_b": 404},
        "study_record",
    ),
    "study:record.archive@own": (
        "POST",
        {"staff": 403, "inspector": 403, "secretary_a": 403, "member_a": 302, "secretary_b": 404},
        "study_record_own",
    ),
    "study:dashboard": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 200},
        None,
    ),
    "study:ledger.branch": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "study:ledger.export": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "study:ledger.member": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "study:ledger.member@self": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "self",
    ),
    "study:year.list": ("GET", STAFF_ONLY, None),
    "study:year.edit": ("GET", STAFF_ONLY, "study_year"),
    "study:studyday.calendar": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "unit",
    ),
    "study:studyday.edit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    # Calendar apps cannot log in: the secret is the key (anonymous visitors get it too).
    "study:studyday.ical@token": ("GET", ALL_200, "study_feed"),
}

POST_DATA = {
    "study:record.return": {"reason": "请补充学习材料名称"},
}


def _record(personas, member):
    from study.models import StudyRecord

    return StudyRecord.objects.create(
        member=member,
        unit=personas.org.branch_a,
        title="《中国共产党章程》第一章",
        date=datetime.date(2025, 3, 10),
        hours=Decimal("2.0"),
        submitted_by=member.user,
    )


def target_kwargs(target, personas):
    if target == "study_record":
        return {"pk": _record(personas, personas.members.other_a).pk}
    if target == "study_record_own":
        return {"pk": _record(personas, personas.members.member_a).pk}
    if target == "study_year":
        return {"year": 2025}
    if target == "study_feed":
        from meetings import planning

        return {"token": planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff).token}
    return None
