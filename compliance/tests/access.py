"""Access-matrix rows for the rules, the compliance table, its export and the dashboards."""

from tests.matrix import BRANCH_A_READ, SCOPED_LIST, STAFF_ONLY, STAFF_POST, everyone

MATRIX = {
    "compliance:rule.list": ("GET", everyone(200), None),
    "compliance:rule.create": ("GET", STAFF_ONLY, None),
    "compliance:rule.version": ("GET", STAFF_ONLY, "rule_code"),
    "compliance:rule.retire": ("POST", STAFF_POST, "rule_code"),
    # The button on the study dashboard (compliance.study_panel); staff are sent back there.
    "compliance:rule.require_study_day": ("POST", {**STAFF_ONLY, "staff": 302}, None),
    "compliance:deadline.set": ("POST", STAFF_POST, "deadline_year"),
    # Table and dashboards: the scope of each role; members have none.
    "compliance:compliance.table": ("GET", SCOPED_LIST, None),
    "compliance:compliance.export": ("GET", SCOPED_LIST, None),
    "compliance:compliance.dashboard": ("GET", SCOPED_LIST, None),
    "compliance:compliance.cell": ("GET", SCOPED_LIST, None),
    "compliance:unit.status": ("GET", BRANCH_A_READ, "unit"),
}

POST_DATA = {
    "compliance:rule.retire": {"retired_on": "2099-12-31"},
    "compliance:deadline.set": {"deadline": "2099-02-28"},
}


def target_kwargs(target, personas):
    if target == "rule_code":
        return {"code": "committee_meeting"}
    if target == "deadline_year":
        return {"year": 2098}
    return None
