"""Pages: round trips, refusals shown in Chinese, members' own records only, 405 for every URL,
pinned query counts for the coverage grid and the overview."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lifemeetings import services
from lifemeetings.models import CriticismEntry, HeartTalk, PersonalProblem
from lifemeetings.tests import access
from tests import factories as f


def url(name, *args):
    return reverse(f"lifemeetings:{name}", args=args)


# --- wrong method ------------------------------------------------------------------------------

METHOD_CASES = [name for name in access.MATRIX if "@" not in name]


@pytest.mark.parametrize("name", METHOD_CASES)
def test_every_url_answers_405_to_a_wrong_method(name, personas, login):
    method, _expected, target = access.MATRIX[name]
    kwargs = access.target_kwargs(target, personas) if target else {}
    client = login(personas.staff)
    address = reverse(name, kwargs=kwargs)
    if method == "POST":
        assert client.get(address).status_code == 405
    else:
        assert client.delete(address).status_code == 405


# --- talks -------------------------------------------------------------------------------------


def test_a_talk_is_recorded_through_the_form(pkg, personas, login):
    client = login(personas.secretary_a)
    response = client.post(
        url("talk.create", pkg.unit.pk, pkg.year),
        {"date": "2025-11-03", "initiator": pkg.secretary.pk, "counterpart": pkg.plain[1].pk, "summary": "谈工作。"},
    )
    assert response.status_code == 302
    talk = HeartTalk.objects.get()
    assert (talk.initiator, talk.counterpart, talk.year) == (pkg.secretary, pkg.plain[1], 2025)


def test_the_talk_form_shows_the_refusal_naming_the_field(pkg, personas, login):
    client = login(personas.secretary_a)
    response = client.post(
        url("talk.create", pkg.unit.pk, pkg.year),
        {"date": "2025-11-03", "initiator": pkg.secretary.pk, "counterpart": pkg.secretary.pk, "summary": "谈工作。"},
    )
    assert response.status_code == 200
    assert "谈话对象：不能与谈话人是同一人。" in response.content.decode()
    assert not HeartTalk.objects.exists()


def test_a_stale_talk_edit_keeps_the_input_and_lists_the_conflict(pkg, personas, login, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    services.update_talk(talk, {"summary": "别人先改了。"}, actor=personas.staff, expected_version=1)
    client = login(personas.secretary_a)
    response = client.post(
        url("talk.edit", talk.pk),
        {
            "date": "2025-11-03",
            "initiator": talk.initiator_id,
            "counterpart": talk.counterpart_id,
            "summary": "我的修改。",
            "version": 1,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "谈话要点：别人先改了。 → 我的修改。" in body
    assert "我的修改。</textarea>" in body
    assert HeartTalk.objects.get().summary == "别人先改了。"


def test_a_member_sees_only_their_own_talks(pkg, personas, login, talk_data):
    services.record_talk(
        pkg.unit, talk_data(counterpart=personas.members.member_a, summary="与我谈"), actor=personas.staff
    )
    services.record_talk(pkg.unit, talk_data(counterpart=pkg.plain[1], summary="与同事谈"), actor=personas.staff)
    client = login(personas.member_a)
    body = client.get(url("talk.list", pkg.unit.pk, pkg.year)).content.decode()
    assert "与我谈" in body and "与同事谈" not in body
    index = client.get(url("package.index")).content.decode()
    assert "甲书记" in index
    assert client.get(url("talk.coverage", pkg.unit.pk, pkg.year)).status_code == 403


def test_the_secretary_of_another_branch_gets_404_everywhere(pkg, personas, login, talk_data):
    talk = services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    client = login(personas.secretary_b)
    assert client.get(url("package.overview", pkg.unit.pk, pkg.year)).status_code == 404
    assert client.get(url("talk.list", pkg.unit.pk, pkg.year)).status_code == 404
    assert client.get(url("talk.detail", talk.pk)).status_code == 404
    assert client.get(url("meeting.detail", pkg.meeting.pk)).status_code == 404


def test_a_meeting_that_is_not_a_life_meeting_has_no_package_page(pkg, personas, login):
    theme_day = f.MeetingFactory(unit=pkg.unit, kinds=["theme_day"])
    assert login(personas.staff).get(url("meeting.detail", theme_day.pk)).status_code == 404


def test_the_meeting_record_links_its_package_page_for_readers_who_may_open_it(pkg, personas, login):
    """The button lifemeetings adds to ``meetings:meeting.detail`` (``lifemeetings.meeting_page``)."""
    ordinary = f.MeetingFactory(unit=pkg.unit, kinds=["theme_day"])
    record = reverse("meetings:meeting.detail", args=[ordinary.pk])
    page = login(personas.secretary_a).get(record).content.decode()
    assert reverse("reports:notice", args=[ordinary.pk]) in page  # the page itself renders its own links
    assert url("meeting.detail", ordinary.pk) not in page
    package = url("meeting.detail", pkg.meeting.pk)
    record = reverse("meetings:meeting.detail", args=[pkg.meeting.pk])
    page = login(personas.secretary_a).get(record).content.decode()
    assert package in page and "组织生活会：批评与自我批评、查摆问题" in page
    # A member sees the record of a sitting they attended but not the package (criticism and
    # problems are for the committee).
    f.AttendanceFactory(meeting=pkg.meeting, member=personas.members.member_a)
    member_page = login(personas.member_a).get(record)
    assert member_page.status_code == 200 and package not in member_page.content.decode()


# --- coverage grid -----------------------------------------------------------------------------


def test_the_coverage_grid_shows_done_and_missing_pairs(pkg, personas, login, talk_data):
    services.record_talk(pkg.unit, talk_data(initiator=pkg.plain[0], counterpart=pkg.deputy), actor=personas.staff)
    response = login(personas.secretary_a).get(url("talk.coverage", pkg.unit.pk, pkg.year))
    body = response.content.decode()
    cov = response.context["cov"]
    assert len(cov.required) == 15 and len(cov.done) == 1
    assert "6%" in body  # 1 of 15, rounded down
    # Committee pairs show in both rows: 3 × 2 + 3 × 4 committee–member cells, one of them done.
    assert body.count('class="cov-done"') == 1
    assert body.count('class="cov-missing"') == 17
    missing = response.context["missing"]
    assert len(missing) == 14
    assert ("甲党员", "甲副书记") not in missing and ("甲副书记", "甲党员") not in missing


def _grow(pkg, personas, n):
    """n more plain members and a talk with each from the deputy."""
    for i in range(n):
        member = f.member_in(pkg.unit, name=f"新党员{i}")
        HeartTalk.objects.create(
            unit=pkg.unit,
            year=pkg.year,
            date=datetime.date(2025, 11, 5),
            initiator=pkg.deputy,
            counterpart=member,
            summary="谈",
        )


def _queries(django_assert_max_num_queries, client, address, bound):
    with django_assert_max_num_queries(bound):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_coverage_grid_costs_the_same_queries_at_any_size(
    size, pkg, personas, login, django_assert_max_num_queries
):
    _grow(pkg, personas, size)
    client = login(personas.secretary_a)
    _queries(django_assert_max_num_queries, client, url("talk.coverage", pkg.unit.pk, pkg.year), 12)


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_costs_the_same_queries_at_any_size(size, pkg, personas, login, django_assert_max_num_queries):
    _grow(pkg, personas, size)
    for i in range(size):
        member = pkg.plain[i % len(pkg.plain)]
        CriticismEntry.objects.create(meeting=pkg.meeting, subject=member, kind="self", text="自我批评")
        PersonalProblem.objects.create(meeting=pkg.meeting, member=member, category="work", problem=f"问题{i}")
    problem = PersonalProblem.objects.first()
    services.raise_item(problem, {"deadline": timezone.localdate(), "measure": "措施"}, actor=personas.staff)
    client = login(personas.staff)
    _queries(django_assert_max_num_queries, client, url("package.overview", pkg.unit.pk, pkg.year), 16)
    _queries(django_assert_max_num_queries, client, url("meeting.detail", pkg.meeting.pk), 18)


def test_the_overview_shows_the_checklist(pkg, personas, login, talk_data):
    services.record_talk(pkg.unit, talk_data(), actor=personas.staff)
    material = services.create_material(pkg.unit, pkg.year, pkg.deputy, {"text": "材料"}, actor=personas.staff)
    services.submit_material(material, actor=personas.staff)
    services.record_criticism(
        pkg.meeting, {"subject": pkg.deputy, "kind": "self", "text": "学习不够"}, actor=personas.staff
    )
    response = login(personas.inspector).get(url("package.overview", pkg.unit.pk, pkg.year))
    ov = response.context["ov"]
    assert ov.materials_submitted == 1 and ov.committee_size == 3
    assert ov.held and ov.meetings == [pkg.meeting]
    assert ov.criticism_count == 1
    body = response.content.decode()
    assert "已提交 1 份，支委 3 人" in body and "已召开" in body


# --- materials ---------------------------------------------------------------------------------


def test_a_committee_member_drafts_uploads_and_submits_their_material(pkg, personas, login):
    user = f.UserFactory(username="deputy")
    f.RoleGrantFactory(user=user, unit=pkg.unit, role="member")
    pkg.deputy.user = user
    pkg.deputy.save()
    client = login(user)
    response = client.post(
        url("material.edit", pkg.unit.pk, pkg.year, pkg.deputy.pk), {"text": "对照检查", "version": 0}
    )
    assert response.status_code == 302
    material = pkg.deputy.review_materials.get()
    upload = SimpleUploadedFile("附件.txt", "材料附件".encode(), content_type="text/plain")
    client.post(url("material.upload", material.pk), {"file": upload})
    attachment = material.attachments.get()
    download = client.get(url("material.download", attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "材料附件".encode()
    client.post(url("material.submit", material.pk))
    material.refresh_from_db()
    assert material.status == "submitted"
    # Their own material only: another committee member's page is not theirs.
    assert client.get(url("material.edit", pkg.unit.pk, pkg.year, pkg.organiser.pk)).status_code == 404
    # A submitted material is no longer edited; the list shows it.
    assert client.get(url("material.edit", pkg.unit.pk, pkg.year, pkg.deputy.pk)).status_code == 302
    assert "已提交" in client.get(url("material.list", pkg.unit.pk, pkg.year)).content.decode()


def test_a_member_outside_the_committee_has_no_material_page(pkg, personas, login):
    client = login(personas.staff)
    assert client.get(url("material.edit", pkg.unit.pk, pkg.year, pkg.plain[0].pk)).status_code == 404
    assert client.get(url("material.edit", pkg.unit.pk, pkg.year, personas.members.other_b.pk)).status_code == 404


# --- at the meeting ----------------------------------------------------------------------------


def test_entries_are_added_on_the_meeting_page(pkg, personas, login):
    client = login(personas.secretary_a)
    response = client.post(
        url("criticism.create", pkg.meeting.pk),
        {"subject": pkg.deputy.pk, "kind": "received", "by_member": pkg.organiser.pk, "text": "调研不够。"},
    )
    assert response.status_code == 302
    response = client.post(
        url("problem.create", pkg.meeting.pk),
        {"member": pkg.deputy.pk, "category": "style", "problem": "调研不够。", "root_cause": "群众观念淡化。"},
    )
    assert response.status_code == 302
    body = client.get(url("meeting.detail", pkg.meeting.pk)).content.decode()
    assert "甲组织委员提出：" in body and "群众观念淡化。" in body and "转为整改事项" in body


def test_a_bad_entry_is_shown_with_its_message(pkg, personas, login):
    response = login(personas.secretary_a).post(
        url("criticism.create", pkg.meeting.pk), {"subject": pkg.deputy.pk, "kind": "received", "text": "x"}
    )
    assert response.status_code == 200
    assert "提出人：相互批评须填写提出人。" in response.content.decode()
    assert not CriticismEntry.objects.exists()


def test_the_raise_form_opens_one_item_and_then_shows_the_link(pkg, personas, login):
    from rectification.models import Rectification

    problem = services.record_problem(
        pkg.meeting, {"member": pkg.deputy, "category": "work", "problem": "融合不够。"}, actor=personas.staff
    )
    client = login(personas.secretary_a)
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for _ in range(2):
        response = client.post(url("problem.raise", problem.pk), {"deadline": deadline, "measure": "设立示范岗。"})
        assert response.status_code == 302
    assert Rectification.objects.count() == 1
    item = Rectification.objects.get()
    body = client.get(url("meeting.detail", pkg.meeting.pk)).content.decode()
    assert f"整改事项 #{item.pk}" in body and reverse("rectification:item.detail", args=[item.pk]) in body
    assert url("problem.raise", problem.pk) not in body
    assert client.get(url("problem.raise", problem.pk)).status_code == 302


def test_the_raise_form_names_the_missing_deadline(pkg, personas, login):
    problem = services.record_problem(
        pkg.meeting, {"member": pkg.deputy, "category": "work", "problem": "融合不够。"}, actor=personas.staff
    )
    response = login(personas.staff).post(url("problem.raise", problem.pk), {"measure": "措施"})
    assert "完成时限：请填写。" in response.content.decode()


def test_a_committee_member_records_entries_but_does_not_raise_items(pkg, personas, login):
    user = f.UserFactory(username="committee_a")
    f.RoleGrantFactory(user=user, unit=pkg.unit, role="committee_member")
    problem = services.record_problem(
        pkg.meeting, {"member": pkg.deputy, "category": "work", "problem": "融合不够。"}, actor=personas.staff
    )
    client = login(user)
    assert client.get(url("problem.edit", problem.pk)).status_code == 200
    assert client.get(url("problem.raise", problem.pk)).status_code == 403
