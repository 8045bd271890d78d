"""Security tests of issue 7 part 7: IDOR probes, CSRF on every state-changing view, stored text
escaped on every page that shows it, and text never turned into a formula in .xlsx exports.

The objects are built by the apps' own matrix builders (``target_kwargs`` in
``<app>/tests/access*.py``, collected by tests/test_access_matrix.py), so they are the same
records the access matrix walks: all of branch A.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from common.models import AuditEntry
from tests import factories as f
from tests.matrix import PERSONAS
from tests.test_access_matrix import MATRIX, POST_DATA, _url

# -- IDOR: the ids of another branch's records ---------------------------------------------------

# (url name, method, target): records of branch A, each probed by the secretary of branch B.
BRANCH_A_RECORDS = [
    ("members:member.detail", "GET", "member"),
    ("members:member.edit", "GET", "member"),
    ("members:member.reveal", "POST", "member"),
    ("members:member.archive", "POST", "member"),
    ("committees:term.detail", "GET", "term"),
    ("committees:term.submit", "POST", "term"),
    ("meetings:meeting.detail", "GET", "meeting"),
    ("meetings:meeting.edit", "GET", "meeting"),
    ("meetings:meeting.edit", "POST", "meeting"),
    ("meetings:meeting.archive", "POST", "meeting"),
    ("meetings:attachment.upload", "POST", "meeting"),
    ("meetings:attachment.download", "GET", "attachment"),
    ("meetings:attachment.archive", "POST", "attachment"),
    ("reports:notice", "GET", "report_meeting"),
    ("integrity:meeting", "GET", "integrity_meeting"),
    ("rectification:item.detail", "GET", "item"),
    ("rectification:item.edit", "POST", "item"),
    ("rectification:item.move", "POST", "item"),
    ("rectification:evidence.upload", "POST", "item"),
    ("rectification:evidence.download", "GET", "evidence"),
    ("inspections:finding.edit", "GET", "finding"),
    ("inspections:finding.raise", "GET", "finding"),
    ("study:record.edit", "GET", "study_record"),
    ("study:record.confirm", "POST", "study_record"),
    ("study:record.archive", "POST", "study_record"),
    ("study:ledger.export", "GET", "unit"),
    ("campaigns:reflection.detail", "GET", "reflection"),
    ("campaigns:reflection.comment", "POST", "reflection"),
    ("campaigns:completion.download", "GET", "completion"),
    ("lifemeetings:material.detail", "GET", "lm_material"),
    ("lifemeetings:material.submit", "POST", "lm_material"),
    ("lifemeetings:material.download", "GET", "lm_attachment"),
    ("lifemeetings:talk.detail", "GET", "lm_talk"),
]

# Records of member_a's own branch that are not theirs: a member gets 404 as well.
COLLEAGUES_RECORDS = {
    "members:member.detail",
    "meetings:meeting.detail",
    "meetings:attachment.download",
    "rectification:item.detail",
    "rectification:evidence.download",
    "study:record.edit",
    "campaigns:reflection.detail",
    "lifemeetings:material.detail",
    "lifemeetings:material.download",
}
NOT_THEIRS = [(n, m, t) for n, m, t in BRANCH_A_RECORDS if m == "GET" and n in COLLEAGUES_RECORDS]


def _probe(client, method, url, name):
    return client.get(url) if method == "GET" else client.post(url, POST_DATA.get(name, {}))


@pytest.mark.parametrize(
    ("name", "method", "target"), BRANCH_A_RECORDS, ids=[f"{n}-{m}" for n, m, _t in BRANCH_A_RECORDS]
)
def test_another_branchs_record_answers_404_and_changes_nothing(name, method, target, personas, login):
    url = _url(name, target, personas)
    before = AuditEntry.objects.count()
    response = _probe(login(personas.secretary_b), method, url, name)
    assert response.status_code == 404, f"secretary_b {method} {url}: {response.status_code}"
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("name", "method", "target"), NOT_THEIRS, ids=[n for n, _m, _t in NOT_THEIRS])
def test_a_member_probing_a_colleagues_record_gets_404(name, method, target, personas, login):
    url = _url(name, target, personas)
    assert _probe(login(personas.member_a), method, url, name).status_code == 404


@pytest.mark.parametrize(
    ("name", "target"), [("meetings:meeting.detail", "meeting"), ("rectification:item.detail", "item")]
)
def test_a_foreign_id_answers_like_an_id_that_does_not_exist(name, target, personas, login):
    """No oracle: the response to another branch's id is the response to a free id."""
    url = _url(name, target, personas)
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    missing = reverse(name, kwargs={"pk": pk + 10_000})
    client = login(personas.secretary_b)
    foreign, free = client.get(url), client.get(missing)
    assert foreign.status_code == free.status_code == 404
    varying = re.compile(rb'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')

    def page(response, path):  # the nonce, the token and the page's own address differ
        return varying.sub(b"", response.content).replace(path.encode(), b"<path>")

    assert page(foreign, url) == page(free, missing)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("members:member.export", "branch"),
        ("members:member.list", "branch"),
        ("rectification:item.export", "unit"),
        ("rectification:item.list", "unit"),
    ],
)
def test_an_export_or_list_filtered_on_another_branch_answers_404(name, parameter, personas, login):
    _url("rectification:item.detail", "item", personas)  # a rectification item of branch A exists
    url = reverse(name) + f"?{parameter}={personas.org.branch_a.pk}"
    assert login(personas.secretary_b).get(url).status_code == 404


def test_the_compliance_export_filtered_on_another_branch_holds_nothing_of_it(personas, login):
    """The compliance filter offers only units in scope: another branch is refused as a choice
    and the export holds the secretary's own branch only."""
    url = reverse("compliance:compliance.export") + f"?unit={personas.org.branch_a.pk}"
    response = login(personas.secretary_b).get(url)
    if response.status_code == 404:
        return
    assert response.status_code == 200
    text = " ".join(str(c.value) for ws in _workbook(response).worksheets for row in ws.iter_rows() for c in row)
    assert personas.org.branch_a.name not in text
    assert personas.org.branch_b.name in text


# -- CSRF ----------------------------------------------------------------------------------------


def _persona_allowed(expected: dict) -> str:
    """A persona for whom the row succeeds (so a 403 can only come from the CSRF check)."""
    for persona in PERSONAS:
        status = expected[persona]
        statuses = status if isinstance(status, set) else {status}
        if statuses & {200, 302}:
            return persona
    return "staff"


# Every URL: state-changing rows (POST) and GET form views alike refuse a POST without a token.
CSRF_CASES = sorted(MATRIX)


@pytest.mark.parametrize("name", CSRF_CASES)
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(name, personas):
    method, expected, target = MATRIX[name]
    persona = _persona_allowed(expected)
    url = _url(name, target, personas)
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(personas, persona), backend="django.contrib.auth.backends.ModelBackend")
    before = AuditEntry.objects.count()
    response = client.post(url, POST_DATA.get(name, {}))
    assert response.status_code == 403, f"{persona} POST {url} without a token: {response.status_code}"
    assert response.context is None or "csrf" in str(response.content).lower() or response.reason_phrase == "Forbidden"
    assert AuditEntry.objects.count() == before


def test_the_same_post_with_its_token_passes_the_check(personas):
    """The control for the test above: the refusal is the missing token, not the role."""
    url = _url("meetings:meeting.archive", "meeting", personas)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.secretary_a, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("portal:home"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"reason": "重复录入", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# -- Stored text escaped -------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, ATTRIBUTE)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")


def assert_escaped(response, *, expect_shown=True):
    assert response.status_code == 200
    html = response.content.decode()
    for raw in PAYLOADS:
        assert raw not in html, f"unescaped {raw!r} on {response.request['PATH_INFO']}"
    assert "<img src=x" not in html and "<script>alert" not in html
    if expect_shown:
        assert any(e in html for e in ESCAPED), f"payload not shown at all on {response.request['PATH_INFO']}"


@pytest.fixture
def hostile(personas):
    """Records of branch A whose text carries markup: a member, a meeting, a reflection, an item."""
    from campaigns.tests import builders as b
    from rectification import services as rectification

    org, m = personas.org, personas.members
    member = f.member_in(org.branch_a, group=org.group_a, name=ATTRIBUTE[:50])
    scripted = f.member_in(org.branch_a, group=org.group_a, name=SCRIPT)
    meeting = f.MeetingFactory(
        unit=org.branch_a,
        date=datetime.date(2025, 3, 10),
        kinds=["theme_day"],
        topic=SCRIPT + ATTRIBUTE,
        minutes=f"纪要{SCRIPT}正文{ATTRIBUTE}",
        host=scripted,
        recorder=member,
    )
    f.AttendanceFactory(meeting=meeting, member=scripted)
    campaign = b.campaign(org.committee)
    stage = b.stage(campaign)
    reflection = b.reflection(
        m.other_a, org.branch_a, stage, b.book(stage), title=SCRIPT, text=("心得体会" * 60) + SCRIPT + ATTRIBUTE
    )
    item = rectification.open_item(
        unit=org.branch_a,
        source="inspection",
        problem=f"问题{SCRIPT}{ATTRIBUTE}",
        measure=ATTRIBUTE,
        responsible=scripted,
        actor=personas.staff,
    )
    return member, scripted, meeting, reflection, item


def test_member_names_are_escaped_on_the_roster_and_the_detail_page(personas, hostile, login):
    member, scripted, meeting, _reflection, _item = hostile
    client = login(personas.secretary_a)
    assert_escaped(client.get(reverse("members:member.list")))
    assert_escaped(client.get(reverse("members:member.detail", args=[scripted.pk])))
    assert_escaped(client.get(reverse("members:member.detail", args=[member.pk])))
    assert_escaped(client.get(reverse("meetings:meeting.create", kwargs={"unit_id": personas.org.branch_a.pk})))


def test_meeting_topic_and_minutes_are_escaped_wherever_they_are_shown(personas, hostile, login):
    _member, _scripted, meeting, _reflection, _item = hostile
    client = login(personas.secretary_a)
    for url in (
        reverse("meetings:meeting.list"),
        reverse("meetings:meeting.detail", args=[meeting.pk]),
        reverse("meetings:meeting.edit", args=[meeting.pk]),
        reverse("integrity:meeting", args=[meeting.pk]),
    ):
        assert_escaped(client.get(url))


def test_reflection_text_is_escaped_on_its_page_and_in_the_list(personas, hostile, login):
    _member, _scripted, _meeting, reflection, _item = hostile
    client = login(personas.secretary_a)
    assert_escaped(client.get(reverse("campaigns:reflection.detail", args=[reflection.pk])))
    assert_escaped(client.get(reverse("campaigns:reflection.list")))


def test_rectification_problem_is_escaped_in_the_ledger_and_on_the_item(personas, hostile, login):
    _member, _scripted, _meeting, _reflection, item = hostile
    client = login(personas.secretary_a)
    assert_escaped(client.get(reverse("rectification:item.list")))
    assert_escaped(client.get(reverse("rectification:item.detail", args=[item.pk])))
    assert_escaped(client.get(reverse("rectification:item.branch", kwargs={"unit_id": personas.org.branch_a.pk})))


# -- Formula injection in .xlsx ------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def _workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def assert_text_not_formula(response):
    assert response.status_code == 200
    book = _workbook(response)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    holding = [c for c in cells if isinstance(c.value, str) and FORMULA in c.value]
    assert holding, "the formula-like text is not in the export"
    assert all(c.data_type == "s" for c in holding)


@pytest.fixture
def formula_texts(personas):
    """A member, a rectification item, a study record and a branch whose text looks like a formula."""
    from rectification import services as rectification
    from study.models import StudyRecord

    org = personas.org
    member = f.member_in(org.branch_a, group=org.group_a, name=FORMULA)
    rectification.open_item(
        unit=org.branch_a, source="inspection", problem=FORMULA, measure=FORMULA, actor=personas.staff
    )
    StudyRecord.objects.create(
        member=member,
        unit=org.branch_a,
        title=FORMULA,
        date=datetime.date(2025, 3, 10),
        hours=2,
        submitted_by=personas.secretary_a,
    )
    f.UnitFactory(name=FORMULA, parent=org.committee)
    return member


def test_the_roster_export_keeps_a_formula_like_name_as_text(personas, formula_texts, login):
    assert_text_not_formula(login(personas.secretary_a).get(reverse("members:member.export")))


def test_the_rectification_ledger_export_keeps_formula_like_text_as_text(personas, formula_texts, login):
    assert_text_not_formula(login(personas.secretary_a).get(reverse("rectification:item.export")))


def test_the_compliance_table_export_keeps_a_formula_like_unit_name_as_text(personas, formula_texts, login):
    assert_text_not_formula(login(personas.staff).get(reverse("compliance:compliance.export") + "?year=2025"))


def test_the_study_ledger_export_keeps_a_formula_like_name_as_text(personas, formula_texts, login):
    url = reverse("study:ledger.export", kwargs={"pk": personas.org.branch_a.pk}) + "?year=2025"
    assert_text_not_formula(login(personas.secretary_a).get(url))
