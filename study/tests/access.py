"""Access-matrix rows for the study URLs (collected by tests/test_access_matrix.py).

Targets: ``unit`` (branch A), ``member`` (a colleague in branch A), ``self`` (member_a),
``study_record`` (a submitted record of member_a's colleague), ``study_record_own`` (member_a's own
submitted record), ``study_year`` (a year), ``study_feed`` (a live feed secret of branch A).
"""

import datetime
from decimal import Decimal

from tests.matrix import STAFF_ONLY, everyone, expect

MATRIX = {
    "study:my": ("GET", everyone(200), None),
    "study:record.list": ("GET", expect(200, 200, 200, 404, 200), None),
    # staff, inspector: no party member record of their own.
    "study:record.create": ("GET", expect(403, 403, 200, 200, 200), None),
    "study:record.edit": ("GET", expect(403, 403, 403, 404, 404), "study_record"),
    "study:record.edit@own": ("GET", expect(403, 403, 403, 200, 404), "study_record_own"),
    "study:record.confirm": ("POST", expect(403, 403, 302, 404, 404), "study_record"),
    # A member never confirms their own record.
    "study:record.confirm@own": ("POST", expect(403, 403, 302, 403, 404), "study_record_own"),
    "study:record.return": ("POST", expect(403, 403, 302, 404, 404), "study_record"),
    "study:record.archive": ("POST", expect(403, 403, 403, 404, 404), "study_record"),
    "study:record.archive@own": ("POST", expect(403, 403, 403, 302, 404), "study_record_own"),
    "study:dashboard": ("GET", expect(200, 200, 200, 404, 200), None),
    "study:ledger.branch": ("GET", expect(200, 200, 200, 403, 404), "unit"),
    "study:ledger.export": ("GET", expect(200, 200, 200, 403, 404), "unit"),
    "study:ledger.member": ("GET", expect(200, 200, 200, 404, 404), "member"),
    "study:ledger.member@self": ("GET", expect(200, 200, 200, 200, 404), "self"),
    "study:year.list": ("GET", STAFF_ONLY, None),
    "study:year.edit": ("GET", STAFF_ONLY, "study_year"),
    "study:studyday.calendar": ("GET", expect(200, 200, 200, 200, 404), "unit"),
    "study:studyday.edit": ("GET", expect(200, 403, 200, 403, 404), "unit"),
    # Calendar apps cannot log in: the secret is the key (anonymous visitors get it too).
    "study:studyday.ical@token": ("GET", everyone(200), "study_feed"),
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
