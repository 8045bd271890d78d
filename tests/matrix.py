"""The vocabulary of the access matrix, shared by tests/test_access_matrix.py, every
``<app>/tests/access*.py`` module and the smaller walks over one app's rows.

A row is ``"app:url.name[@variant]": (method, expected, target)``. ``expected`` maps each persona
to a status or a set of statuses; ``expect(...)`` writes it in the order of PERSONAS so that a row
fits on one line, ``everyone(status)`` gives all five the same status.
"""

import atexit
import shutil
import tempfile

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}  # a page, or an action that redirected (done, or refused with a message)


def expect(staff, inspector, secretary_a, member_a, secretary_b) -> dict:
    """The expected status of each persona, in the order of PERSONAS."""
    return dict(zip(PERSONAS, (staff, inspector, secretary_a, member_a, secretary_b), strict=True))


def everyone(status) -> dict:
    return dict.fromkeys(PERSONAS, status)


# Expectations that many apps share.
STAFF_ONLY = expect(200, 403, 403, 403, 403)  # committee staff only (the others: no right)
STAFF_POST = expect(OK, 403, 403, 403, 403)
BRANCH_A_READ = expect(200, 200, 200, 404, 404)  # branch A's record: its readers, not its members
BRANCH_A_OWN = expect(200, 200, 200, 200, 404)  # ... one that member_a is part of
BRANCH_A_WORK = expect(OK, 403, OK, 404, 404)  # staff and branch A's secretary act on it
SCOPED_LIST = expect(200, 200, 200, 404, 200)  # a page over each role's scope; members have none


def allowed(status) -> set:
    """A row's expectation for one persona as a set of statuses."""
    return status if isinstance(status, set) else {status}


def cases(matrix: dict, personas=PERSONAS) -> list:
    """Parameters ``(name, persona)`` for every row of ``matrix`` with every persona."""
    return [pytest.param(name, persona, id=f"{name}-{persona}") for name in matrix for persona in personas]


def wrong_method(client, method: str, url: str, instead_of_get: str = "post"):
    """Requests ``url`` with a method its row does not take: ``instead_of_get`` for a GET page
    (PUT or DELETE where the page's form posts back), GET for a POST-only action."""
    return getattr(client, instead_of_get.lower() if method == "GET" else "get")(url)


def url_for(name: str, target: str | None, personas, *resolvers) -> str:
    """The URL of a row: the targets every module knows, else the first resolver that knows it.

    A resolver is an access module's ``target_kwargs(target, personas)`` (None: not mine)."""
    kwargs = {}
    if target is not None:
        kwargs = _known_kwargs(target, personas)
    if kwargs is None:
        for resolve in resolvers:
            kwargs = resolve(target, personas)
            if kwargs is not None:
                break
        else:
            raise AssertionError(f"no app resolves the target {target!r}")
    return reverse(name.split("@")[0], kwargs=kwargs)


def _known_kwargs(target: str, personas) -> dict | None:
    """unit and unit_id (branch A), member (a colleague in branch A), self (member_a), term
    (branch A's current term), duty (the first committee duty)."""
    if target == "unit":
        return {"pk": personas.org.branch_a.pk}
    if target == "unit_id":
        return {"unit_id": personas.org.branch_a.pk}
    if target == "member":
        return {"pk": personas.members.other_a.pk}
    if target == "self":
        return {"pk": personas.members.member_a.pk}
    if target == "term":
        return {"pk": personas.terms.a.pk}
    if target == "duty":
        from committees.models import RoleDuty

        return {"role": RoleDuty.objects.order_by("role").first().role}
    return None


def pk_targets(**builders):
    """A ``target_kwargs`` for targets that are one object each, addressed by its pk:
    ``pk_targets(meeting=lambda personas: ...)``."""

    def target_kwargs(target, personas):
        build = builders.get(target)
        return None if build is None else {"pk": build(personas).pk}

    return target_kwargs


_media = {}


def temporary_media_root():
    """Files made for the matrix go to a temporary folder, never the real media root."""
    if "dir" not in _media:
        _media["dir"] = tempfile.mkdtemp(prefix="zhibu-access-media-")
        atexit.register(shutil.rmtree, _media["dir"], ignore_errors=True)
    if str(settings.MEDIA_ROOT) != _media["dir"]:
        override_settings(MEDIA_ROOT=_media["dir"]).enable()
