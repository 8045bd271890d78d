"""Access-matrix rows for the campaigns URLs (collected by tests/test_access_matrix.py).

Targets: ``campaign`` (the committee's campaign: every persona sees it, since it belongs to a unit
above them), ``campaign_branch`` (that campaign's page for branch A), ``stage``, ``task``,
``task_branch`` (a document task of branch A), ``completion`` (branch A's upload),
``reflection`` (by a colleague of member_a in branch A), ``reflection_own`` (member_a's),
``reflection_flagged`` (a colleague's near-copy of a branch B reflection), ``material``, and
``unit_id`` (branch A, known to the matrix).
"""

from tests.matrix import BRANCH_A_WORK, OK, STAFF_ONLY, STAFF_POST, everyone, expect, temporary_media_root

BRANCH_A_READ = expect(200, 200, 200, 403, 404)  # members of branch A are in scope but may not
REVIEW_POST = BRANCH_A_WORK
REVIEW_OWN_POST = expect(OK, 403, OK, 403, 404)
EVERYONE = everyone(200)

MATRIX = {
    "campaigns:campaign.list": ("GET", EVERYONE, None),
    "campaigns:campaign.create": ("GET", STAFF_ONLY, None),
    "campaigns:task.mine": ("GET", EVERYONE, None),
    "campaigns:campaign.detail": ("GET", EVERYONE, "campaign"),
    "campaigns:campaign.edit": ("GET", STAFF_ONLY, "campaign"),
    "campaigns:campaign.archive": ("POST", STAFF_POST, "campaign"),
    "campaigns:campaign.restore": ("POST", STAFF_POST, "campaign"),
    "campaigns:stage.create": ("GET", STAFF_ONLY, "campaign"),
    "campaigns:stage.edit": ("GET", STAFF_ONLY, "stage"),
    "campaigns:book.create": ("GET", STAFF_ONLY, "stage"),
    "campaigns:task.create": ("GET", STAFF_ONLY, "stage"),
    "campaigns:task.edit": ("GET", STAFF_ONLY, "task"),
    "campaigns:campaign.progress": ("GET", expect(200, 200, 403, 403, 403), "campaign"),
    "campaigns:campaign.branch": ("GET", BRANCH_A_READ, "campaign_branch"),
    "campaigns:task.complete": ("POST", expect(OK, 403, OK, 403, 404), "task_branch"),
    "campaigns:completion.download": ("GET", BRANCH_A_READ, "completion"),
    "campaigns:reflection.list": ("GET", EVERYONE, None),
    # Only users who are party members submit (staff and the inspector have no member record).
    "campaigns:reflection.create": ("GET", expect(403, 403, 200, 200, 200), None),
    "campaigns:reflection.detail": ("GET", expect(200, 200, 200, 404, 404), "reflection"),
    "campaigns:reflection.detail@own": ("GET", expect(200, 200, 200, 200, 404), "reflection_own"),
    "campaigns:reflection.comment": ("POST", REVIEW_POST, "reflection"),
    "campaigns:reflection.comment@own": ("POST", REVIEW_OWN_POST, "reflection_own"),
    "campaigns:reflection.select": ("POST", REVIEW_POST, "reflection"),
    "campaigns:reflection.unselect": ("POST", REVIEW_POST, "reflection"),
    "campaigns:reflection.compare": ("GET", expect(200, 200, 200, 404, 404), "reflection_flagged"),
    "campaigns:reflection.link": ("GET", expect(200, 403, 200, 403, 404), "unit_id"),
    "campaigns:material.list": ("GET", EVERYONE, None),
    "campaigns:material.create": ("GET", STAFF_ONLY, None),
    "campaigns:material.detail": ("GET", EVERYONE, "material"),
    "campaigns:material.edit": ("GET", STAFF_ONLY, "material"),
    "campaigns:material.archive": ("POST", STAFF_POST, "material"),
    "campaigns:material.restore": ("POST", STAFF_POST, "material"),
    "campaigns:material.download": ("GET", EVERYONE, "material"),
    "campaigns:material.read": ("POST", everyone(OK), "material"),
}

POST_DATA = {
    "campaigns:reflection.comment": {"text": "联系实际，写得很好。"},
    "campaigns:reflection.comment@own": {"text": "联系实际，写得很好。"},
}


def _setup(personas):
    from campaigns.tests import builders as b

    org = personas.org
    c = b.campaign(org.committee)
    s = b.stage(c)
    book = b.book(s)
    t = b.task(s)
    return c, s, book, t


TARGETS = {
    "campaign",
    "campaign_branch",
    "stage",
    "task",
    "task_branch",
    "completion",
    "reflection",
    "reflection_own",
    "reflection_flagged",
    "material",
}


def target_kwargs(target, personas):
    if target not in TARGETS:
        return None
    from campaigns.tests import builders as b

    org, m = personas.org, personas.members
    if target == "material":
        temporary_media_root()
        return {"pk": b.material().pk}
    c, s, book, t = _setup(personas)
    if target == "campaign":
        return {"pk": c.pk}
    if target == "campaign_branch":
        return {"pk": c.pk, "unit_id": org.branch_a.pk}
    if target == "stage":
        return {"pk": s.pk}
    if target == "task":
        return {"pk": t.pk}
    if target == "task_branch":
        return {"pk": t.pk, "unit_id": org.branch_a.pk}
    if target == "completion":
        temporary_media_root()
        return {"pk": b.completion(t, org.branch_a, personas.secretary_a).pk}
    if target == "reflection":
        return {"pk": b.reflection(m.other_a, org.branch_a, s, book).pk}
    if target == "reflection_own":
        return {"pk": b.reflection(m.member_a, org.branch_a, s, book).pk}
    source = b.reflection(m.other_b, org.branch_b, s, book, title="乙同事的心得")
    return {"pk": b.reflection(m.other_a, org.branch_a, s, book, similar_to=source).pk}
