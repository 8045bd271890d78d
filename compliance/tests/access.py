"""Access-matrix rows for the rules, the compliance table, its export and the dashboards."""

OK = {200, 302}
EVERYONE = {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 200}
STAFF_ONLY = {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403}
# Table and dashboards: the scope of each role; members have none.
TABLE = {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 200}
BRANCH_A = {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404}

MATRIX = {
    "compliance:rule.list": ("GET", EVERYONE, None),
    "compliance:rule.create": ("GET", STAFF_ONLY, None),
    "compliance:rule.version": ("GET", STAFF_ONLY, "rule_code"),
    "compliance:rule.retire": ("POST", {**STAFF_ONLY, "staff": OK}, "rule_code"),
    # The button on the study dashboard (compliance.study_panel); staff are sent back there.
    "compliance:rule.require_study_day": ("POST", {**STAFF_ONLY, "staff": 302}, None),
    "compliance:deadline.set": ("POST", {**STAFF_ONLY, "staff": OK}, "deadline_year"),
    "compliance:compliance.table": ("GET", TABLE, None),
    "compliance:compliance.export": ("GET", TABLE, None),
    "compliance:compliance.dashboard": ("GET", TABLE, None),
    "compliance:compliance.cell": ("GET", TABLE, None),
    "compliance:unit.status": ("GET", BRANCH_A, "unit"),
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
