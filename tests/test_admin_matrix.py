"""The three administrators (三员) over EVERY URL of the access matrix.

tests/test_access_matrix.py walks every URL name (its own rows and every app's
``<app>/tests/access*.py``) with the five business personas. This walk takes the same rows and the
same targets with the system, security and audit administrators, who hold no business role:

- rows of ``accounts.tests.access.ADMIN_MATRIX`` are asserted exactly as written there;
- every other row about an object or a unit of branch A (a row where the secretary of branch B,
  out of scope, answers 404) answers 404 to them as well;
- every other row (lists, create pages, things every persona may read, plain POSTs such as
  logout) answers 200, 302, 403 or 404, and a page it shows holds no personal data of branch A
  (no name, 公民身份号码 or phone number of its members), with branch A's records present —
  except the rows in ``PUBLISHED``, which show a name to everyone signed in by design.

Rows of apps added later come with their access modules, so they are walked with no change here.
"""

import datetime

import pytest

from accounts.tests.access import ADMIN_MATRIX, ADMINS
from tests import factories as f
from tests.test_access_matrix import MATRIX, POST_DATA, _url, all_url_names

SEEN = {200, 302, 403, 404}

# Rows that deliberately show a member's name to everyone signed in (so the personal-data check
# does not apply), with the reason.
PUBLISHED = {
    "recognition:nomination.detail@named": "a named honour (表彰) is published to everyone signed in",
}


def expected_for(name: str) -> set[int]:
    """The statuses an administrator may get on the matrix row ``name`` (same for all three)."""
    method, business, target = MATRIX[name]
    if target is not None and business.get("secretary_b") == 404:
        return {404}
    return SEEN


def _explicit(name: str, admin: str) -> set[int] | None:
    row = ADMIN_MATRIX.get(name)
    if row is None:
        return None
    expected = row[1][admin]
    return expected if isinstance(expected, set) else {expected}


def test_every_url_name_is_walked_with_the_administrators():
    walked = {name.split("@")[0] for name in MATRIX}
    assert all_url_names() - walked == set()
    assert set(ADMIN_MATRIX) - set(MATRIX) == set(), "ADMIN_MATRIX names rows the matrix does not have"


def test_objects_of_a_branch_are_expected_to_answer_404_to_administrators():
    """The derivation itself: branch A's meeting, evidence file and member are 404 rows."""
    for name in ("meetings:meeting.detail", "rectification:evidence.download", "members:member.detail"):
        assert expected_for(name) == {404}


@pytest.fixture
def branch_a_records(personas):
    """Records of branch A that list pages would show to someone in scope."""
    org, m = personas.org, personas.members
    f.MeetingFactory(
        unit=org.branch_a, date=datetime.date(2025, 3, 10), kinds=["theme_day"], host=m.other_a, recorder=m.member_a
    )
    return personas


def personal_data_of_branch_a(personas) -> list[str]:
    m = personas.members
    values = []
    for member in (m.other_a, m.member_a):
        values += [member.name, member.id_number]
        if member.phone:
            values.append(member.phone)
    return values


CASES = [(name, admin) for name in MATRIX for admin in ADMINS]


@pytest.mark.parametrize(("name", "admin"), CASES, ids=[f"{n}-{a}" for n, a in CASES])
def test_administrator_access(name, admin, branch_a_records, admins, login):
    personas = branch_a_records
    method, _business, target = MATRIX[name]
    explicit = _explicit(name, admin)
    allowed = explicit if explicit is not None else expected_for(name)
    url = _url(name, target, personas)
    client = login(getattr(admins, admin))
    response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(name, {"field": "id_number"}))
    assert response.status_code in allowed, f"{admin} {method} {url}: {response.status_code}, expected {allowed}"
    if explicit is None and name not in PUBLISHED and response.status_code == 200 and not response.streaming:
        body = response.content.decode("utf-8", errors="replace")
        leaked = [value for value in personal_data_of_branch_a(personas) if value and value in body]
        assert leaked == [], f"{admin} {url} shows personal data of branch A: {leaked}"
