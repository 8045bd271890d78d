"""Notifications: idempotent notify, run_periodic (twice → same count, email once), the pages."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from committees.extensions import RENEWAL
from common.models import AuditEntry
from compliance.reminders import DUE, LAPSE, MISSED
from notifications import services
from notifications.models import Notification
from notifications.tests import access
from tests import factories as f
from tests.matrix import cases, url_for, wrong_method

TODAY = datetime.date(2025, 4, 15)


def test_notify_is_idempotent_per_user_and_key(personas):
    first, created = services.notify(personas.secretary_a, topic="x", title="一", dedupe_key="k")
    again, created_again = services.notify(personas.secretary_a, topic="x", title="二", dedupe_key="k")
    other, created_other = services.notify(personas.secretary_b, topic="x", title="一", dedupe_key="k")
    assert created and not created_again and created_other
    assert first.pk == again.pk and again.title == "一"
    assert Notification.objects.count() == 2


def test_responsible_users_are_the_branch_secretary_and_the_group_leader(personas):
    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=personas.org.group_a, role=Role.GROUP_LEADER)
    got = services.responsible_users([personas.org.branch_a, personas.org.group_a, personas.org.branch_b])
    assert got[personas.org.branch_a.pk] == [personas.secretary_a]
    assert got[personas.org.group_a.pk] == [leader]
    assert got[personas.org.branch_b.pk] == [personas.secretary_b]


@pytest.fixture
def quiet_branches(personas):
    """Branch A holds only 主题党日 (so its 支委会 are missed); member_a is absent from September to
    March without a valid reason; branch B has no meeting on record (so nobody there is flagged)."""
    f.seat_committees(personas)  # a 支部委员会 of three: they owe 支委会 (docs/rules.md)
    m = personas.members
    for month in range(9, 13):
        mt = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2024, month, 10), kinds=["theme_day"])
        f.AttendanceFactory(meeting=mt, member=m.member_a, status="absent", absence_reason="personal")
        f.AttendanceFactory(meeting=mt, member=m.other_a, status="present")
        f.AttendanceFactory(meeting=mt, member=m.secretary_a, status="present")
    for month in (1, 2, 3):
        mt = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, month, 10), kinds=["theme_day"])
        f.AttendanceFactory(meeting=mt, member=m.member_a, status="absent", absence_reason="other")
        f.AttendanceFactory(meeting=mt, member=m.other_a, status="present")
        f.AttendanceFactory(meeting=mt, member=m.secretary_a, status="present")
    return personas


def test_run_periodic_notifies_the_secretaries_and_running_twice_adds_nothing(quiet_branches, settings):
    settings.EMAIL_HOST = ""
    personas = quiet_branches
    first = services.run_periodic(TODAY)
    count = Notification.objects.count()
    assert first.total_created == count > 0
    assert first.created[MISSED] > 0 and first.created[DUE] > 0
    topics = set(Notification.objects.filter(user=personas.secretary_a).values_list("topic", flat=True))
    assert {DUE, MISSED, LAPSE} <= topics
    lapse = Notification.objects.get(topic=LAPSE)
    assert lapse.user == personas.secretary_a and "甲党员" in lapse.title and "事假" in lapse.body
    assert not Notification.objects.filter(user__in=[personas.staff, personas.member_a]).exists()
    assert not Notification.objects.filter(topic=LAPSE, unit=personas.org.branch_b).exists()
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert f"compliance.missed:{personas.org.branch_a.pk}:committee_meeting:2025-03" in keys

    second = services.run_periodic(TODAY)
    assert Notification.objects.count() == count
    assert second.total_created == 0 and second.total_existing == count
    runs = AuditEntry.objects.filter(action="notifications.periodic.ran")
    assert runs.count() == 2
    assert runs.order_by("id").first().data["date"] == "2025-04-15"


def test_renewal_reminders_reach_the_branch_secretary(personas, settings):
    settings.EMAIL_HOST = ""
    term = personas.terms.a
    term.elected_on = datetime.date(2022, 5, 1)
    term.term_years = 3
    term.save()
    services.run_periodic(TODAY)
    n = Notification.objects.get(topic=RENEWAL)
    assert n.user == personas.secretary_a and "第1届" in n.title
    assert n.url == reverse("committees:term.detail", kwargs={"pk": term.pk})


def test_email_goes_out_once_where_smtp_is_configured_and_the_user_has_an_address(quiet_branches, settings):
    settings.EMAIL_HOST = "smtp.intranet.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    personas = quiet_branches
    personas.secretary_a.email = "sec-a@example.org"
    personas.secretary_a.save()
    first = services.run_periodic(TODAY)
    sent = len(mail.outbox)
    assert sent == first.emailed == Notification.objects.filter(user=personas.secretary_a).count()
    assert all(msg.to == ["sec-a@example.org"] for msg in mail.outbox)
    assert not Notification.objects.filter(user=personas.secretary_a, emailed_at__isnull=True).exists()
    # secretary_b has no address: in-app only.
    assert Notification.objects.filter(user=personas.secretary_b, emailed_at__isnull=True).exists()
    second = services.run_periodic(TODAY)
    assert len(mail.outbox) == sent and second.emailed == 0


def test_no_email_without_smtp(quiet_branches, settings):
    settings.EMAIL_HOST = ""
    quiet_branches.secretary_a.email = "sec-a@example.org"
    quiet_branches.secretary_a.save()
    services.run_periodic(TODAY)
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_the_command_prints_counts_and_refuses_a_bad_date(quiet_branches, settings):
    settings.EMAIL_HOST = ""
    out = StringIO()
    call_command("run_periodic", "--date", "2025-04-15", stdout=out)
    assert "合计：新增" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_periodic", "--date", "15/04/2025", stdout=StringIO())


# --- pages --------------------------------------------------------------------------------------


def _url(name, target, personas):
    return url_for(name, target, personas, access.target_kwargs)


@pytest.mark.parametrize(("name", "persona"), cases(access.MATRIX))
def test_each_page_answers_each_persona_as_the_policy_says(name, persona, personas, login):
    method, expected, target = access.MATRIX[name]
    client = login(getattr(personas, persona))
    url = _url(name, target, personas)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == expected[persona]


@pytest.mark.parametrize("name", list(access.MATRIX))
def test_each_page_refuses_the_wrong_method_with_405(name, personas, login):
    method, _expected, target = access.MATRIX[name]
    response = wrong_method(login(personas.member_a), method, _url(name, target, personas))
    assert response.status_code == 405


def test_the_list_shows_only_my_notifications_and_the_badge_counts_unread(personas, login):
    services.notify(personas.member_a, topic=DUE, title="我的提醒", dedupe_key="a")
    services.notify(personas.secretary_a, topic=DUE, title="别人的提醒", dedupe_key="b")
    text = login(personas.member_a).get(reverse("notifications:notification.list")).content.decode()
    assert "我的提醒" in text and "别人的提醒" not in text
    assert '<span class="badge badge-bad">1</span>' in text


def test_reading_marks_read_and_follows_the_link(personas, login):
    n, _ = services.notify(personas.member_a, topic=DUE, title="t", url="/org/", dedupe_key="a")
    client = login(personas.member_a)
    response = client.post(reverse("notifications:notification.read", kwargs={"pk": n.pk}), {"open": "1"})
    assert response.status_code == 302 and response.url == "/org/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_outside_link_is_not_followed(personas, login):
    n, _ = services.notify(personas.member_a, topic=DUE, title="t", url="https://evil.example/", dedupe_key="a")
    response = login(personas.member_a).post(
        reverse("notifications:notification.read", kwargs={"pk": n.pk}), {"open": "1"}
    )
    assert response.url == reverse("notifications:notification.list")


def test_read_all_marks_only_mine(personas, login):
    services.notify(personas.member_a, topic=DUE, title="a", dedupe_key="a")
    services.notify(personas.member_a, topic=DUE, title="b", dedupe_key="b")
    services.notify(personas.secretary_a, topic=DUE, title="c", dedupe_key="c")
    login(personas.member_a).post(reverse("notifications:notification.read_all"))
    assert not Notification.objects.filter(user=personas.member_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=personas.secretary_a, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_query_count_does_not_grow(size, personas, login, django_assert_max_num_queries):
    for i in range(size):
        services.notify(personas.member_a, topic=DUE, unit=personas.org.branch_a, title=f"t{i}", dedupe_key=f"k{i}")
    client = login(personas.member_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notifications:notification.list")).status_code == 200


def test_the_badge_follows_reading_and_new_notifications_on_the_list_page(personas, login):
    client = login(personas.member_a)
    home = reverse("portal:home")
    assert '<span class="badge badge-bad">' not in client.get(home).content.decode()
    n, _ = services.notify(personas.member_a, topic=DUE, title="新提醒", dedupe_key="late")
    assert (
        '<span class="badge badge-bad">1</span>'
        in client.get(reverse("notifications:notification.list")).content.decode()
    )
    client.post(reverse("notifications:notification.read", kwargs={"pk": n.pk}))
    assert '<span class="badge badge-bad">' not in client.get(home).content.decode()


def test_run_periodic_sends_the_reminders_other_apps_register(personas):
    import datetime

    from notifications import services
    from notifications.models import Notification

    def source(today, units):
        yield services.Reminder(
            unit_id=personas.org.branch_a.pk,
            topic="rectification.overdue",
            title="整改事项已逾期",
            body="",
            url="/",
            dedupe_key=f"rectification.overdue:1:{today:%Y-%m-%d}",
        )

    services.register_periodic(source)
    try:
        services.run_periodic(datetime.date(2026, 3, 10))
        services.run_periodic(datetime.date(2026, 3, 10))
    finally:
        services.unregister_periodic(source)
    sent = Notification.objects.filter(topic="rectification.overdue")
    assert [n.user for n in sent] == [personas.secretary_a]
