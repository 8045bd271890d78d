"""Every committees page: allowed, out of scope (404), forbidden action (403), wrong method (405)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import CommitteeTerm, RoleDuty, TermStatus
from committees.rules import add_years
from common.audit import log_action
from common.models import AuditEntry
from tests import factories as f
from tests.helpers import assert_page_shows
from tests.matrix import PERSONAS, everyone, expect

ELECTED = datetime.date(2025, 3, 1)


def draft_in_a(personas):
    m = personas.members
    return services.create_term(
        personas.org.branch_a,
        {"elected_on": ELECTED},
        [(m.secretary_a, "secretary"), (m.other_a, "deputy_secretary")],
        actor=personas.secretary_a,
    )


def submitted_in_a(personas):
    return services.submit_term(draft_in_a(personas), actor=personas.secretary_a)


def archived_in_a(personas):
    return services.archive_term(draft_in_a(personas), actor=personas.staff)


def seat_post(members, elected_on="2025-03-01", version=None, **extra):
    data = {
        "elected_on": elected_on,
        "term_years": "3",
        "note": "",
        "seats-TOTAL_FORMS": "9",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "1000",
    }
    for i in range(9):
        member, role = members[i] if i < len(members) else ("", "")
        data[f"seats-{i}-member"] = str(getattr(member, "pk", member))
        data[f"seats-{i}-role"] = role
    if version is not None:
        data["version"] = str(version)
    data.update(extra)
    return data


# --- access matrix -----------------------------------------------------------------------------

GET_PAGES = {
    # name: (how to build kwargs, expected status per persona)
    "term.list": (None, everyone(200)),
    "term.detail": ("current", expect(200, 200, 200, 200, 404)),
    "term.create": ("branch", expect(200, 403, 200, 403, 404)),
    "term.edit": ("draft", expect(200, 403, 200, 403, 404)),
    "duty.list": (None, everyone(200)),
    "duty.edit": ("duty", expect(200, 403, 403, 403, 403)),
}

POST_ACTIONS = {
    "term.submit": ("draft", {}, expect(302, 403, 302, 403, 404)),
    "term.approve": (
        "submitted",
        {"doc_number": "机党发〔2025〕1号", "approved_on": "2025-03-10"},
        expect(302, 403, 403, 403, 404),
    ),
    "term.return": ("submitted", {"reason": "人数不符"}, expect(302, 403, 403, 403, 404)),
    "term.archive": ("draft", {}, expect(302, 403, 302, 403, 404)),
    "term.restore": ("archived", {}, expect(302, 403, 302, 403, 404)),
}


def kwargs_for(kind, personas):
    if kind is None:
        return {}
    if kind == "branch":
        return {"unit_id": personas.org.branch_a.pk}
    if kind == "duty":
        return {"role": "secretary"}
    term = {
        "current": lambda: personas.terms.a,
        "draft": lambda: draft_in_a(personas),
        "submitted": lambda: submitted_in_a(personas),
        "archived": lambda: archived_in_a(personas),
    }[kind]()
    return {"pk": term.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", GET_PAGES)
def test_get_pages_answer_by_persona(name, persona, personas, login):
    kind, expected = GET_PAGES[name]
    url = reverse(f"committees:{name}", kwargs=kwargs_for(kind, personas))
    assert login(getattr(personas, persona)).get(url).status_code == expected[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", POST_ACTIONS)
def test_post_actions_answer_by_persona(name, persona, personas, login):
    kind, data, expected = POST_ACTIONS[name]
    url = reverse(f"committees:{name}", kwargs=kwargs_for(kind, personas))
    assert login(getattr(personas, persona)).post(url, data).status_code == expected[persona]


@pytest.mark.parametrize(
    ("name", "kind", "method"),
    [
        ("term.list", None, "post"),
        ("term.detail", "current", "post"),
        ("term.create", "branch", "put"),
        ("term.edit", "draft", "delete"),
        ("duty.list", None, "post"),
        ("duty.edit", "duty", "put"),
        *[(name, kind, "get") for name, (kind, _d, _e) in POST_ACTIONS.items()],
    ],
)
def test_wrong_method_answers_405(name, kind, method, personas, login):
    url = reverse(f"committees:{name}", kwargs=kwargs_for(kind, personas))
    assert getattr(login(personas.staff), method)(url).status_code == 405


def test_pages_need_a_login(personas, client):
    response = client.get(reverse("committees:term.list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_duty_edit_of_an_unknown_role_answers_404(personas, login):
    assert login(personas.staff).get(reverse("committees:duty.edit", kwargs={"role": "chairman"})).status_code == 404


def test_group_leader_does_not_see_terms(personas, login):
    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=personas.org.group_a, role="group_leader")
    client = login(leader)
    assert client.get(reverse("committees:term.detail", kwargs={"pk": personas.terms.a.pk})).status_code == 404
    assert "第一党支部" not in client.get(reverse("committees:term.list")).content.decode()


# --- list --------------------------------------------------------------------------------------


def test_term_list_shows_own_branch_only_for_a_secretary(personas, login):
    html = login(personas.secretary_b).get(reverse("committees:term.list")).content.decode()
    assert "第二党支部" in html
    assert "第一党支部" not in html


def test_term_list_shows_renewal_badges(personas, login):
    org = personas.org
    expired = f.UnitFactory(parent=org.committee, name="过期支部")
    f.CommitteeTermFactory(unit=expired, status=TermStatus.CURRENT, elected_on=datetime.date(2020, 1, 1))
    due_on = timezone.localdate() + datetime.timedelta(days=30)
    due = f.UnitFactory(parent=org.committee, name="临期支部")
    f.CommitteeTermFactory(unit=due, status=TermStatus.CURRENT, elected_on=add_years(due_on, -3), term_years=3)
    html = login(personas.staff).get(reverse("committees:term.list")).content.decode()
    assert html.count("已到期</span>") == 1
    assert html.count("即将到期</span>") == 1
    assert '<span class="badge badge-bad" title="任期已满，应及时换届">已到期</span>' in html
    assert '<span class="badge badge-warn" title="距任期届满不足 90 天">即将到期</span>' in html


def test_term_list_offers_create_only_where_allowed(personas, login):
    create_a = reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk})
    assert create_a in login(personas.secretary_a).get(reverse("committees:term.list")).content.decode()
    assert create_a not in login(personas.inspector).get(reverse("committees:term.list")).content.decode()


def test_term_list_marks_branches_without_a_current_term(personas, login):
    f.UnitFactory(parent=personas.org.committee, name="新建支部")
    html = login(personas.staff).get(reverse("committees:term.list")).content.decode()
    assert "新建支部" in html
    assert html.count("无现任班子") == 1


def test_archived_terms_are_listed_apart(personas, login):
    term = archived_in_a(personas)
    client = login(personas.staff)
    detail = reverse("committees:term.detail", kwargs={"pk": term.pk})
    assert detail not in client.get(reverse("committees:term.list")).content.decode()
    assert detail in client.get(reverse("committees:term.list") + "?archived=1").content.decode()


def make_branches(committee, n):
    for i in range(n):
        branch = f.UnitFactory(parent=committee)
        term = f.CommitteeTermFactory(unit=branch, status=TermStatus.CURRENT, number=1)
        for role in ("secretary", "deputy_secretary"):
            f.TermMemberFactory(term=term, member=f.member_in(branch), role=role)
        f.ApprovalFactory(term=term)
        f.CommitteeTermFactory(unit=branch, status=TermStatus.DRAFT, number=2, elected_on=datetime.date(2025, 1, 1))
        del i


@pytest.mark.parametrize("extra", [3, 30])
def test_term_list_query_count_does_not_grow(extra, personas, login, django_assert_max_num_queries):
    make_branches(personas.org.committee, extra)
    client = login(personas.staff)
    # session, user, grants, branches, terms, seats + members; the session is saved by the idle timeout.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("committees:term.list"))
    assert response.status_code == 200
    assert response.content.decode().count("第1届") >= extra


# --- create / edit -------------------------------------------------------------------------------


def test_create_term_through_the_page(personas, login):
    m = personas.members
    url = reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk})
    response = login(personas.secretary_a).post(url, seat_post([(m.secretary_a, "secretary")]))
    term = CommitteeTerm.objects.get(unit=personas.org.branch_a, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:term.detail", kwargs={"pk": term.pk})
    assert term.status == TermStatus.DRAFT
    assert AuditEntry.objects.for_object(term).get().action == "committees.term.created"


def test_create_term_shows_the_rule_broken(personas, login):
    m = personas.members
    url = reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk})
    response = login(personas.secretary_a).post(
        url, seat_post([(m.secretary_a, "secretary"), (m.secretary_a, "deputy_secretary")])
    )
    assert response.status_code == 200
    assert "支委成员：甲书记 重复填写，每人只能担任一个职务。" in response.content.decode()
    assert not CommitteeTerm.objects.filter(number=2).exists()


def test_create_term_names_the_missing_field(personas, login):
    m = personas.members
    url = reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk})
    response = login(personas.secretary_a).post(url, seat_post([(m.secretary_a, "")], elected_on=""))
    html = response.content.decode()
    assert "请填写选举日期。" in html
    assert "职务：请为所选党员选择职务。" in html


def test_create_term_refuses_a_member_of_another_branch_as_a_choice(personas, login):
    url = reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk})
    response = login(personas.secretary_a).post(url, seat_post([(personas.members.other_b, "secretary")]))
    assert response.status_code == 200
    assert not CommitteeTerm.objects.filter(number=2).exists()


def test_edit_term_saves_and_redirects(personas, login):
    term = draft_in_a(personas)
    m = personas.members
    url = reverse("committees:term.edit", kwargs={"pk": term.pk})
    response = login(personas.secretary_a).post(
        url, seat_post([(m.secretary_a, "secretary")], version=term.version, note="改为一人")
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.note == "改为一人"
    assert term.seats.count() == 1


def test_edit_term_with_a_stale_version_keeps_input_and_lists_conflicts(personas, login):
    term = draft_in_a(personas)
    m = personas.members
    stale = term.version
    services.update_term(
        term,
        {"elected_on": ELECTED, "term_years": 3, "note": "他人修改"},
        [(m.secretary_a, "secretary"), (m.other_a, "deputy_secretary")],
        actor=personas.staff,
        expected_version=stale,
    )
    url = reverse("committees:term.edit", kwargs={"pk": term.pk})
    response = login(personas.secretary_a).post(
        url, seat_post([(m.secretary_a, "secretary")], version=stale, note="我的修改")
    )
    assert_page_shows(response, "已被他人修改", "备注：他人修改 → 您填写的值 我的修改", "我的修改</textarea>")
    term.refresh_from_db()
    assert term.note == "他人修改"


def test_edit_of_a_submitted_term_redirects_with_a_message(personas, login):
    term = submitted_in_a(personas)
    response = login(personas.staff).get(reverse("committees:term.edit", kwargs={"pk": term.pk}), follow=True)
    assert "只有草稿或已退回" in response.content.decode()


# --- detail and workflow -------------------------------------------------------------------------


def test_detail_shows_buttons_by_permission(personas, login):
    term = submitted_in_a(personas)
    url = reverse("committees:term.detail", kwargs={"pk": term.pk})
    staff_html = login(personas.staff).get(url).content.decode()
    assert reverse("committees:term.approve", kwargs={"pk": term.pk}) in staff_html
    assert reverse("committees:term.return", kwargs={"pk": term.pk}) in staff_html
    sec_html = login(personas.secretary_a).get(url).content.decode()
    assert reverse("committees:term.approve", kwargs={"pk": term.pk}) not in sec_html
    assert "待批复" in sec_html


def test_detail_history_tab_shows_audit_entries(personas, login):
    term = submitted_in_a(personas)
    html = login(personas.member_a).get(reverse("committees:term.detail", kwargs={"pk": term.pk}) + "?tab=history")
    html = html.content.decode()
    assert "提交届次选举结果待批复" in html
    assert "登记支委会届次" in html


def test_detail_names_the_system_for_status_moves_without_an_actor(personas, login):
    # Imported and demo terms carry status rows written by no user; the page must still render.
    term = submitted_in_a(personas)
    term.history.create(from_status=TermStatus.SUBMITTED, to_status=TermStatus.CURRENT, actor=None)
    log_action("committees.term.approved", actor=None, obj=term, unit=term.unit)
    client = login(personas.staff)
    url = reverse("committees:term.detail", kwargs={"pk": term.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "系统" in response.content.decode()
    assert "系统" in client.get(url + "?tab=history").content.decode()


def test_secretary_cannot_approve_own_branch(personas, login):
    term = submitted_in_a(personas)
    url = reverse("committees:term.approve", kwargs={"pk": term.pk})
    response = login(personas.secretary_a).post(url, {"doc_number": "自批", "approved_on": "2025-03-10"})
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.status == TermStatus.SUBMITTED


def test_workflow_through_the_pages(personas, login):
    m = personas.members
    sec = login(personas.secretary_a)
    sec.post(
        reverse("committees:term.create", kwargs={"unit_id": personas.org.branch_a.pk}),
        seat_post([(m.secretary_a, "secretary"), (m.other_a, "organization")]),
    )
    term = CommitteeTerm.objects.get(unit=personas.org.branch_a, number=2)
    detail = reverse("committees:term.detail", kwargs={"pk": term.pk})
    response = sec.post(reverse("committees:term.submit", kwargs={"pk": term.pk}), follow=True)
    assert "正式党员不足 7 名" in response.content.decode()
    sec.post(
        reverse("committees:term.edit", kwargs={"pk": term.pk}),
        seat_post([(m.secretary_a, "secretary"), (m.other_a, "deputy_secretary")], version=term.version),
    )
    assert sec.post(reverse("committees:term.submit", kwargs={"pk": term.pk})).status_code == 302

    staff = login(personas.staff)
    response = staff.post(reverse("committees:term.return", kwargs={"pk": term.pk}), {"reason": ""}, follow=True)
    assert "退回理由：请填写退回理由。" in response.content.decode()
    staff.post(reverse("committees:term.return", kwargs={"pk": term.pk}), {"reason": "请附选举记录"})
    term.refresh_from_db()
    assert term.status == TermStatus.RETURNED

    sec = login(personas.secretary_a)
    assert "请附选举记录" in sec.get(detail).content.decode()
    sec.post(reverse("committees:term.submit", kwargs={"pk": term.pk}))

    staff = login(personas.staff)
    response = staff.post(
        reverse("committees:term.approve", kwargs={"pk": term.pk}),
        {"doc_number": "", "approved_on": "2025-03-10"},
        follow=True,
    )
    assert "批复文号：请填写批复文号。" in response.content.decode()
    response = staff.post(
        reverse("committees:term.approve", kwargs={"pk": term.pk}),
        {"doc_number": "机党发〔2025〕8号", "approved_on": "2025-03-10"},
        follow=True,
    )
    html = response.content.decode()
    assert "机党发〔2025〕8号" in html
    term.refresh_from_db()
    personas.terms.a.refresh_from_db()
    assert term.status == TermStatus.CURRENT
    assert personas.terms.a.status == TermStatus.ENDED


def test_archive_refusal_is_shown(personas, login):
    response = login(personas.staff).post(
        reverse("committees:term.archive", kwargs={"pk": personas.terms.a.pk}), follow=True
    )
    assert "不能归档" in response.content.decode()


def test_secretary_cannot_archive_an_approved_term(personas, login):
    response = login(personas.secretary_a).post(reverse("committees:term.archive", kwargs={"pk": personas.terms.a.pk}))
    assert response.status_code == 403


# --- duties --------------------------------------------------------------------------------------


def test_duty_list_shows_every_role(personas, login):
    html = login(personas.member_a).get(reverse("committees:duty.list")).content.decode()
    for label in ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员"):
        assert f">{label}</h2>" in html
    assert "第一责任人" in html
    assert reverse("committees:duty.edit", kwargs={"role": "secretary"}) not in html


def test_duty_edit_saves(personas, login):
    duty = RoleDuty.objects.get(role="discipline")
    url = reverse("committees:duty.edit", kwargs={"role": "discipline"})
    response = login(personas.staff).post(url, {"text": "监督执纪\n廉政教育", "version": duty.version})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.items == ["监督执纪", "廉政教育"]


def test_duty_edit_with_a_stale_version_keeps_the_stored_text(personas, login):
    duty = RoleDuty.objects.get(role="discipline")
    stale = duty.version
    services.update_duty(duty, "他人版本", actor=personas.staff, expected_version=stale)
    url = reverse("committees:duty.edit", kwargs={"role": "discipline"})
    response = login(personas.staff).post(url, {"text": "我的版本", "version": stale})
    html = response.content.decode()
    assert response.status_code == 200
    assert "职责：他人版本 → 您填写的值 我的版本" in html
    duty.refresh_from_db()
    assert duty.text == "他人版本"


def test_duty_edit_names_the_empty_field(personas, login):
    duty = RoleDuty.objects.get(role="discipline")
    url = reverse("committees:duty.edit", kwargs={"role": "discipline"})
    response = login(personas.staff).post(url, {"text": "", "version": duty.version})
    assert "请至少填写一条职责。" in response.content.decode()
