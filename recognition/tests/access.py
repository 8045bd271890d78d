"""Access-matrix rows for the recognition URLs (collected by tests/test_access_matrix.py).

Targets (all of branch A): ``rec_card`` (secretary A's 五带头 scorecard of this year), ``rec_note``
(a note staff wrote on it), ``rec_day`` (a calendar row), ``rec_year`` (this year's criteria),
``rec_criterion``, ``rec_fourstrong`` (branch A's draft application), ``rec_nomination`` (a demo
site under review), ``rec_named`` (a named model post of a colleague of member A).
"""

import datetime

from tests.matrix import BRANCH_A_READ, BRANCH_A_WORK, OK, STAFF_ONLY, STAFF_POST, everyone, expect

COMMITTEE_MOVE = expect(OK, 403, 403, 404, 404)

MATRIX = {
    "recognition:fiveleads.list": ("GET", everyone(200), None),
    "recognition:fiveleads.detail": ("GET", BRANCH_A_READ, "rec_card"),
    # The secretary may not note their own scorecard.
    "recognition:fiveleads.note": ("POST", COMMITTEE_MOVE, "rec_card"),
    "recognition:note.archive": ("POST", COMMITTEE_MOVE, "rec_note"),
    "recognition:calendar.list": ("GET", everyone(200), None),
    "recognition:calendar.create": ("GET", STAFF_ONLY, None),
    "recognition:calendar.edit": ("GET", STAFF_ONLY, "rec_day"),
    "recognition:fourstrong.list": ("GET", everyone(200), None),
    "recognition:criteria": ("GET", expect(200, 200, 200, 403, 200), "rec_year"),
    "recognition:criteria.defaults": ("POST", STAFF_POST, "rec_year"),
    "recognition:criterion.edit": ("GET", STAFF_ONLY, "rec_criterion"),
    "recognition:criterion.archive": ("POST", STAFF_POST, "rec_criterion"),
    "recognition:fourstrong.create": ("POST", BRANCH_A_WORK, "unit_id"),
    "recognition:fourstrong.detail": ("GET", BRANCH_A_READ, "rec_fourstrong"),
    "recognition:fourstrong.self": ("POST", BRANCH_A_WORK, "rec_fourstrong"),
    "recognition:fourstrong.submit": ("POST", BRANCH_A_WORK, "rec_fourstrong"),
    "recognition:fourstrong.return": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:fourstrong.review": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:fourstrong.notice": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:fourstrong.objection": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:fourstrong.name": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:fourstrong.reject": ("POST", COMMITTEE_MOVE, "rec_fourstrong"),
    "recognition:nomination.list": ("GET", everyone(200), None),
    "recognition:nomination.create": ("GET", expect(200, 403, 200, 404, 404), "unit_id"),
    "recognition:nomination.detail": ("GET", BRANCH_A_READ, "rec_nomination"),
    # A named honour is public: everybody signed in reads it.
    "recognition:nomination.detail@named": ("GET", everyone(200), "rec_named"),
    "recognition:nomination.open": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.score": ("POST", expect(OK, OK, 403, 404, 404), "rec_nomination"),
    "recognition:nomination.decide": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.notice": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.objection": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.name": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.reject": ("POST", COMMITTEE_MOVE, "rec_nomination"),
    "recognition:nomination.certificate": ("GET", expect(200, 200, 200, 403, 403), "rec_named"),
}

POST_DATA = {
    "recognition:fiveleads.note": {"duty": "study", "text": "带头学习，认真记笔记。"},
    "recognition:fourstrong.create": {"year": str(datetime.date.today().year)},
    "recognition:nomination.score": {"points": "90"},
}


def target_kwargs(target, personas):
    from recognition.tests import builders as b

    year = datetime.date.today().year
    if target == "rec_card":
        return {"member_id": personas.members.secretary_a.pk, "year": year}
    if target == "rec_note":
        return {"pk": b.note(personas).pk}
    if target == "rec_day":
        return {"pk": b.calendar_day().pk}
    if target == "rec_year":
        return {"year": year}
    if target == "rec_criterion":
        return {"pk": b.criteria(year)[0].pk}
    if target == "rec_fourstrong":
        return {"pk": b.four_strong(personas, year=year - 1).pk}
    if target == "rec_nomination":
        return {"pk": b.nomination(personas, status="reviewing").pk}
    if target == "rec_named":
        return {"pk": b.nomination(personas, status="named", member=personas.members.other_a).pk}
    return None
