"""Shared model pieces: the append-only, hash-chained audit log, the archive mixin and the fields of
an uploaded file."""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    """Records with history are never hard-deleted: they are archived and can be restored."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # Optimistic locking: every saved edit increments the version; a stale form is refused.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class StoredFile(models.Model):
    """An uploaded file, filled in by ``common.uploads.store``: kept under a generated name, served
    only through a permission-checked view; the uploaded name is kept for display, never used as a
    path. Each subclass redeclares ``file`` with its own folder (``upload_to``)."""

    file = models.FileField(_("文件"), upload_to="files/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验和"), max_length=64)
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def update(self, **kwargs):  # pragma: no cover - guarded API
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    """One thing somebody did. Append-only; each entry hashes the previous one."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = actor_field(_("操作人"))
    action = models.CharField(_("操作"), max_length=80)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    # The unit the object belongs to, so that the log can be scoped like everything else.
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True)
    entry_hash = models.CharField(_("哈希"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The object's 变更记录 tab: entries of one object, newest first.
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx"),
            # The committee-wide log filtered by action.
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "prev": self.prev_hash,
                "at": self.created_at.isoformat(),
                "actor": self.actor_id,
                "action": self.action,
                "ct": self.content_type_id,
                "oid": self.object_id,
                "repr": self.object_repr,
                "unit": self.unit_id,
                "data": self.data,
                "ip": self.ip,
            },
            sort_keys=True,
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")


class WorkdayCalendar(models.Model):
    """One exception to the Monday–Friday week: a public holiday (is_workday False) or an
    adjusted workday (调休上班, is_workday True), from the State Council's yearly notice. Seeded
    for 2025 and 2026; staff extend it yearly (四强 → 节假日安排). Kept here, in the foundation,
    because every layer counts on it: 公示 periods (recognition) and the fixed study day (study).
    ``common.holidays`` reads it, with the statutory fixed-date holidays as a floor."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), default=False, help_text=_("勾选：调休上班日；不勾选：放假日。"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}"
