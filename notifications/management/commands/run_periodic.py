"""Reminders for due and overdue obligations, term renewals and lapse flags; safe to run twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import run_periodic, topic_labels


class Command(BaseCommand):
    help = "发送到期和逾期事项、换届和组织生活预警的提醒（重复运行不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date 应写作 YYYY-MM-DD，例如 2025-03-31。") from exc
        result = run_periodic(today)
        labels = topic_labels()
        for topic in sorted(set(result.created) | set(result.existing)):
            self.stdout.write(
                f"{labels.get(topic, topic)}（{topic}）：新增 {result.created[topic]}，已有 {result.existing[topic]}"
            )
        self.stdout.write(
            f"合计：新增 {result.total_created}，已有 {result.total_existing}，"
            f"发送邮件 {result.emailed}，无接收人 {result.without_recipient}"
        )
