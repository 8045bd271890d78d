"""Access-matrix rows for the rectification URLs (collected by tests/test_access_matrix.py).

Targets (all of branch A): ``item`` (an open inspection item; responsible: a colleague of
member_a), ``item_own`` (an open item whose responsible person is member_a), ``evidence`` /
``evidence_own`` (a file of those items), ``round`` (a round in voting without member_a on its
roll), ``round_roll`` (a round in voting with member_a and secretary_a on its roll),
``round_closed`` / ``round_closed_roll`` (the same with voting closed, ready to decide), ``unit``
and ``unit_id`` (branch A, known to the matrix).
"""

import atexit
import shutil
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}
ALL_200 = dict.fromkeys(PERSONAS, 200)

MATRIX = {
    "rectification:item.list": ("GET", ALL_200, None),
    "rectification:item.branch": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "unit_id",
    ),
    "rectification:item.export": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 200},
        None,
    ),
    # Without a branch: the chooser (one branch in scope: straight to its form).
    "rectification:item.create": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 302, "member_a": 403, "secretary_b": 302},
        None,
    ),
    "rectification:item.create@unit": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit_id",
    ),
    "rectification:item.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    "rectification:item.detail@own": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "item_own",
    ),
    "rectification:item.edit": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    "rectification:item.edit@own": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "item_own",
    ),
    "rectification:item.move": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    # The responsible person starts their own item.
    "rectification:item.move@own": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": OK, "secretary_b": 404},
        "item_own",
    ),
    "rectification:item.archive": (
        "POST",
        {"staff": OK, "inspector": OK, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    "rectification:item.restore": (
        "POST",
        {"staff": OK, "inspector": OK, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    "rectification:evidence.upload": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "item",
    ),
    "rectification:evidence.upload@own": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": OK, "secretary_b": 404},
        "item_own",
    ),
    "rectification:evidence.download": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "evidence",
    ),
    "rectification:evidence.download@own": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "evidence_own",
    ),
    "rectification:round.list": ("GET", ALL_200, None),
    "rectification:round.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 302, "member_a": 403, "secretary_b": 302},
        None,
    ),
    "rectification:round.create@unit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit_id",
    ),
    "rectification:round.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "round",
    ),
    "rectification:round.detail@roll": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "round_roll",
    ),
    "rectification:round.open": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "round",
    ),
    "rectification:round.close": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "round",
    ),
    "rectification:round.close@roll": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 403, "secretary_b": 404},
        "round_roll",
    ),
    # The decision page once voting is closed (while it is open, it redirects to the round).
    "rectification:round.decide": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "round_closed",
    ),
    "rectification:round.decide@roll": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "round_closed_roll",
    ),
    # Own self-assessment and ballot: only those on the roll (staff and inspectors are not).
    "rectification:round.self": (
        "GET",
        {"staff": 403, "inspector": 403, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "round_roll",
    ),
    "rectification:round.vote": (
        "GET",
        {"staff": 403, "inspector": 403, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "round_roll",
    ),
    "rectification:round.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "round",
    ),
    "rectification:round.restore": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "round",
    ),
}

POST_DATA = {
    "rectification:item.move": {"move": "start"},
    "rectification:item.move@own": {"move": "start"},
    "rectification:item.archive": {"reason": "重复"},
}

_media = {}


def _temporary_media_root():
    """Evidence files made for the matrix go to a temporary folder, never the real media root."""
    if "dir" not in _media:
        _media["dir"] = tempfile.mkdtemp(prefix="zhibu-access-media-")
        atexit.register(shutil.rmtree, _media["dir"], ignore_errors=True)
    if str(settings.MEDIA_ROOT) != _media["dir"]:
        override_settings(MEDIA_ROOT=_media["dir"]).enable()


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

    _temporary_media_root()
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


def target_kwargs(target, personas):
    if target == "item":
        return {"pk": _item(personas, own=False).pk}
    if target == "item_own":
        return {"pk": _item(personas, own=True).pk}
    if target == "evidence":
        return {"pk": _evidence(personas, own=False).pk}
    if target == "evidence_own":
        return {"pk": _evidence(personas, own=True).pk}
    if target == "round":
        return {"pk": _round(personas, roll=False).pk}
    if target == "round_roll":
        return {"pk": _round(personas, roll=True).pk}
    if target == "round_closed":
        return {"pk": _round(personas, roll=False, closed=True).pk}
    if target == "round_closed_roll":
        return {"pk": _round(personas, roll=True, closed=True).pk}
    return None
