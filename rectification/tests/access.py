"""Access-matrix rows for the rectification URLs (collected by tests/test_access_matrix.py).

Targets (all of branch A): ``item`` (an open inspection item; responsible: a colleague of
member_a), ``item_own`` (an open item whose responsible person is member_a), ``evidence`` /
``evidence_own`` (a file of those items), ``round`` (a round in voting without member_a on its
roll), ``round_roll`` (a round in voting with member_a and secretary_a on its roll),
``round_closed`` / ``round_closed_roll`` (the same with voting closed, ready to decide), ``unit``
and ``unit_id`` (branch A, known to the matrix).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import OK, everyone, expect, pk_targets, temporary_media_root

MATRIX = {
    "rectification:item.list": ("GET", everyone(200), None),
    "rectification:item.branch": ("GET", expect(200, 200, 200, 404, 404), "unit_id"),
    "rectification:item.export": ("GET", expect(200, 200, 200, 403, 200), None),
    # Without a branch: the chooser (one branch in scope: straight to its form).
    "rectification:item.create": ("GET", expect(200, 200, 302, 403, 302), None),
    "rectification:item.create@unit": ("GET", expect(200, 200, 200, 403, 404), "unit_id"),
    "rectification:item.detail": ("GET", expect(200, 200, 200, 404, 404), "item"),
    "rectification:item.detail@own": ("GET", expect(200, 200, 200, 200, 404), "item_own"),
    "rectification:item.edit": ("GET", expect(200, 200, 200, 404, 404), "item"),
    "rectification:item.edit@own": ("GET", expect(200, 200, 200, 403, 404), "item_own"),
    "rectification:item.move": ("POST", expect(OK, 403, OK, 404, 404), "item"),
    # The responsible person starts their own item.
    "rectification:item.move@own": ("POST", expect(OK, 403, OK, OK, 404), "item_own"),
    "rectification:item.archive": ("POST", expect(OK, OK, OK, 404, 404), "item"),
    "rectification:item.restore": ("POST", expect(OK, OK, OK, 404, 404), "item"),
    "rectification:evidence.upload": ("POST", expect(OK, 403, OK, 404, 404), "item"),
    "rectification:evidence.upload@own": ("POST", expect(OK, 403, OK, OK, 404), "item_own"),
    "rectification:evidence.download": ("GET", expect(200, 200, 200, 404, 404), "evidence"),
    "rectification:evidence.download@own": ("GET", expect(200, 200, 200, 200, 404), "evidence_own"),
    "rectification:round.list": ("GET", everyone(200), None),
    "rectification:round.create": ("GET", expect(200, 403, 302, 403, 302), None),
    "rectification:round.create@unit": ("GET", expect(200, 403, 200, 403, 404), "unit_id"),
    "rectification:round.detail": ("GET", expect(200, 200, 200, 404, 404), "round"),
    "rectification:round.detail@roll": ("GET", expect(200, 200, 200, 200, 404), "round_roll"),
    "rectification:round.open": ("POST", expect(OK, 403, OK, 404, 404), "round"),
    "rectification:round.close": ("POST", expect(OK, 403, OK, 404, 404), "round"),
    "rectification:round.close@roll": ("POST", expect(OK, 403, OK, 403, 404), "round_roll"),
    # The decision page once voting is closed (while it is open, it redirects to the round).
    "rectification:round.decide": ("GET", expect(200, 403, 200, 404, 404), "round_closed"),
    "rectification:round.decide@roll": ("GET", expect(200, 403, 200, 403, 404), "round_closed_roll"),
    # Own self-assessment and ballot: only those on the roll (staff and inspectors are not).
    "rectification:round.self": ("GET", expect(403, 403, 200, 200, 404), "round_roll"),
    "rectification:round.vote": ("GET", expect(403, 403, 200, 200, 404), "round_roll"),
    "rectification:round.archive": ("POST", expect(OK, 403, OK, 404, 404), "round"),
    "rectification:round.restore": ("POST", expect(OK, 403, OK, 404, 404), "round"),
}

POST_DATA = {
    "rectification:item.move": {"move": "start"},
    "rectification:item.move@own": {"move": "start"},
    "rectification:item.archive": {"reason": "重复"},
}


def _item(personas, *, own: bool):
    from rectification import services

    m = personas.members
    return services.open_item(
        unit=personas.org.branch_a,
        source="inspection",
        problem="学习记录不完整",
        measure="补齐学习记录",
        responsible=m.member_a if own else m.other_a,
        actor=personas.staff,
    )


def _evidence(personas, *, own: bool):
    from rectification import services

    temporary_media_root()
    item = _item(personas, own=own)
    upload = SimpleUploadedFile("整改说明.txt", "已补齐学习记录".encode(), content_type="text/plain")
    return services.add_evidence(item, upload, actor=personas.staff)


def _round(personas, *, roll: bool, closed: bool = False):
    from ballots import services as ballots
    from rectification.models import AppraisalResult, AppraisalRound, RoundStatus

    m = personas.members
    people = [m.secretary_a, m.other_a] + ([m.member_a] if roll else [])
    ballot = ballots.create_round(
        unit=personas.org.branch_a,
        title="民主评议",
        options=["excellent", "qualified", "basic", "unqualified"],
        items=[{"key": str(p.pk), "label": p.name, "member_id": p.pk} for p in people],
        electors=[{"name": p.name, "member_id": p.pk, "user_id": p.user_id} for p in people],
        actor=None,
    )
    ballots.open_round(ballot, actor=None)
    if closed:
        ballots.close_round(ballot, actor=None)
    status = RoundStatus.CLOSED if closed else RoundStatus.VOTING
    rnd = AppraisalRound.objects.create(unit=personas.org.branch_a, year=2024, status=status, ballot=ballot)
    for member in people:
        AppraisalResult.objects.create(round=rnd, member=member, graded=True)
    return rnd


target_kwargs = pk_targets(
    item=lambda personas: _item(personas, own=False),
    item_own=lambda personas: _item(personas, own=True),
    evidence=lambda personas: _evidence(personas, own=False),
    evidence_own=lambda personas: _evidence(personas, own=True),
    round=lambda personas: _round(personas, roll=False),
    round_roll=lambda personas: _round(personas, roll=True),
    round_closed=lambda personas: _round(personas, roll=False, closed=True),
    round_closed_roll=lambda personas: _round(personas, roll=True, closed=True),
)
