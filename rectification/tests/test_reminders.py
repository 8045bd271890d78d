"""Deadline reminders through notifications.run_periodic: once per item and state."""

import datetime

from notifications.models import Notification
from notifications.services import run_periodic
from rectification import services

TOPICS = ("rectification.due_soon", "rectification.overdue")


def mine(user):
    return list(Notification.objects.filter(user=user, topic__in=TOPICS).order_by("id").values_list("topic", "title"))


def test_an_item_reminds_once_when_due_soon_once_when_overdue_and_again_after_a_send_back(item, personas):
    sec = personas.secretary_a
    deadline = item.deadline  # 2026-06-30
    run_periodic(deadline - datetime.timedelta(days=10))
    assert mine(sec) == []
    run_periodic(deadline - datetime.timedelta(days=5))
    run_periodic(deadline - datetime.timedelta(days=4))
    assert mine(sec) == [("rectification.due_soon", "第一党支部：整改事项“学习记录不完整”将于 2026-06-30 到期")]
    run_periodic(deadline + datetime.timedelta(days=1))
    run_periodic(deadline + datetime.timedelta(days=2))
    assert [t for t, _ in mine(sec)] == ["rectification.due_soon", "rectification.overdue"]
    assert "已超过期限（2026-06-30）" in mine(sec)[1][1]
    # Another state: started, then submitted and sent back — each state reminds once more.
    services.move_item(item, "start", actor=personas.member_a)
    run_periodic(deadline + datetime.timedelta(days=3))
    run_periodic(deadline + datetime.timedelta(days=4))
    assert [t for t, _ in mine(sec)].count("rectification.overdue") == 2
    # The secretary of branch B hears nothing about branch A's item.
    assert mine(personas.secretary_b) == []


def test_a_verified_or_archived_item_does_not_remind(item, personas):
    services.move_item(item, "start", actor=personas.member_a)
    services.move_item(item, "submit", actor=personas.member_a, note="已整改")
    services.move_item(item, "verify", actor=personas.inspector)
    other = services.open_item(
        unit=personas.org.branch_a,
        source="other",
        problem="另一项",
        deadline=datetime.date(2026, 1, 1),
        actor=personas.staff,
    )
    services.archive_item(other, actor=personas.staff)
    run_periodic(datetime.date(2026, 8, 1))
    assert mine(personas.secretary_a) == []


def test_the_reminder_links_to_the_item(item, personas):
    run_periodic(item.deadline + datetime.timedelta(days=1))
    note = Notification.objects.get(user=personas.secretary_a, topic="rectification.overdue")
    assert note.url == f"/rectification/{item.pk}/"
    assert "责任人：甲党员" in note.body
