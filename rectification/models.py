"""Rectification items (整改台账) and the annual member appraisal (民主评议党员).

An item is a problem with a measure, a responsible member and a deadline; it moves only along
the table in ``rectification.rules`` (open → in progress → submitted → verified, or back from
submitted to in progress with a reason), and every move is a ``RectificationStatusChange`` row.
An item may point back at what it came from (a meeting, an inspection finding, an appraisal
result) through ``content_type`` + ``object_id``.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable, ArchivableQuerySet, StoredFile


class Source(models.TextChoices):
    LIFE_MEETING = "life_meeting", _("组织生活会")
    INSPECTION = "inspection", _("督查")
    APPRAISAL = "appraisal", _("民主评议")
    ASSESSMENT = "assessment", _("考核")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    THOUGHT = "thought", _("思想")
    WORK = "work", _("工作")
    STYLE = "style", _("作风")
    DISCIPLINE = "discipline", _("纪律")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    VERIFIED = "verified", _("已销号")


class RectificationQuerySet(ArchivableQuerySet):
    def overdue_on(self, day):
        """Deadline passed on ``day`` and not verified closed."""
        return self.filter(deadline__lt=day).exclude(status=Status.VERIFIED)


class Rectification(Archivable):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="rectifications"
    )
    source = models.CharField(_("问题来源"), max_length=20, choices=Source.choices)
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices, blank=True)
    problem = models.TextField(_("问题"))
    measure = models.TextField(_("整改措施"), blank=True)
    responsible = models.ForeignKey(
        "members.Member",
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications_responsible",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("涉及党员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications_concerning",
    )
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    # Where the item came from (a meeting, a finding, an appraisal result); optional.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("来源对象类型"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(_("来源对象编号"), null=True, blank=True)
    origin = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("整改情况"), blank=True)
    submitted_by = actor_field(_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_by = actor_field(_("验收人"))
    verified_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"))

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [
            # The ledger of one branch filtered by status (and the closure rate per branch).
            models.Index(fields=["unit", "status"], name="rectification_unit_status_idx"),
            # Overdue reminders and the overdue count: deadline passed, status not verified.
            models.Index(fields=["status", "deadline"], name="rectification_due_idx"),
            # Items raised from one origin (idempotent re-decide of an appraisal, a meeting's items).
            models.Index(fields=["content_type", "object_id"], name="rectification_origin_idx"),
        ]

    def __str__(self):
        text = self.problem.strip().splitlines()[0] if self.problem.strip() else ""
        return _("整改：%(text)s") % {"text": text[:40]}

    def is_overdue_on(self, day) -> bool:
        return self.deadline is not None and self.deadline < day and self.status != Status.VERIFIED


class RectificationStatusChange(models.Model):
    """One move of an item's status: who, when, and the evidence or the reason."""

    item = models.ForeignKey(
        Rectification, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    actor = actor_field(_("操作人"))
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改状态变更")
        verbose_name_plural = _("整改状态变更")
        ordering = ["item", "at", "id"]

    def __str__(self):
        return f"{self.item_id}: {self.from_status or '-'} → {self.to_status}"


class RectificationEvidence(StoredFile):
    """A file kept as evidence of a rectification (see ``StoredFile``)."""

    item = models.ForeignKey(
        Rectification, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="evidence_files"
    )
    file = models.FileField(_("文件"), upload_to="rectification/%Y/%m/")
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        ordering = ["item", "uploaded_at", "id"]


# ---------------------------------------------------------------------------------------------
# 民主评议党员


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    VOTING = "voting", _("投票中")
    CLOSED = "closed", _("投票结束")
    DECIDED = "decided", _("已评定")


class AppraisalRound(Archivable):
    """One branch's 民主评议党员 for one year. Its votes are an anonymous ballot (``ballot``): the
    roll is the electorate, every graded member an item, the four grades the options."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="appraisal_rounds"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("评议会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    ballot = models.OneToOneField(
        "ballots.Round", verbose_name=_("无记名投票"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    decided_by = actor_field(_("评定人"))
    created_by = actor_field(_("创建人"))

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(archived_at__isnull=True),
                name="appraisalround_one_live_per_unit_year",
            ),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s年度民主评议党员") % {"unit": self.unit, "year": self.year}


class AppraisalResult(models.Model):
    """One member in a round: their self-assessment and (for full members) the branch's grade."""

    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("民主评议"), on_delete=models.PROTECT, related_name="results"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="appraisal_results"
    )
    # Probationary members take part (self-assessment, votes) but are not graded.
    graded = models.BooleanField(_("参加评定"), default=True)
    self_assessment = models.TextField(_("个人自评"), blank=True)
    self_assessed_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    grade = models.CharField(_("评定等次"), max_length=20, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        ordering = ["round", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="appraisalresult_member_once_per_round"),
        ]

    def __str__(self):
        return _("%(round)s · %(member)s") % {"round": self.round, "member": self.member}
