"""In-app notifications (and email where SMTP is configured), written by run_periodic."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    # What it is about, e.g. "compliance.due", "compliance.overdue", "committees.renewal".
    topic = models.CharField(_("类别"), max_length=60)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("组织"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Same key → same notification: running the periodic job twice adds nothing.
    dedupe_key = models.CharField(_("去重键"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once_per_user_key"),
        ]
        indexes = [
            # The unread badge and list of one user.
            models.Index(fields=["user", "read_at"], name="notification_user_unread_idx"),
        ]

    def __str__(self):
        return self.title
