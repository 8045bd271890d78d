"""Supervision (督查): inspection plans, reproducible random spot-check draws and findings.

An inspection belongs to a committee (the unit whose branches it looks at) and concerns either all
of its branches or a chosen set. A spot-check draw keeps its seed, every input and the candidates
it was made on, so a reviewer can repeat it and see whether the sample is the same. A finding
names a branch (and optionally a record) and may raise rectification items, which point back at
it through ``rectification.Rectification.content_type`` / ``object_id``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable


class InspectionKind(models.TextChoices):
    ONSITE = "onsite", _("实地指导")
    SPOT_CHECK = "spot_check", _("随机抽查")
    INTERVIEW = "interview", _("调研访谈")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    REPORTED = "reported", _("已报告")


class Inspection(Archivable):
    committee = models.ForeignKey(
        "organizations.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField(_("督查名称"), max_length=200)
    kind = models.CharField(_("督查方式"), max_length=20, choices=InspectionKind.choices)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查人员"), related_name="inspections_assigned", blank=True
    )
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划结束日期"))
    whole_committee = models.BooleanField(_("全体党支部"), default=False)
    branches = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("督查党支部"), related_name="inspections_concerning", blank=True
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    notes = models.TextField(_("备注"), blank=True)
    created_by = actor_field(_("创建人"))

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-planned_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")), name="inspection_end_after_start"
            ),
        ]
        indexes = [
            # The list: a committee's inspections, newest first.
            models.Index(fields=["committee", "planned_start"], name="inspection_committee_date_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_reported(self) -> bool:
        return self.status == InspectionStatus.REPORTED


class RecordType(models.TextChoices):
    """What a draw samples per branch; each value has a source in ``inspections.sources``."""

    MEETING = "meeting", _("会议记录")


class SpotCheckDraw(models.Model):
    """One random draw: its seed, inputs, the candidates it saw and the sample (ids, JSON)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="draws")
    record_type = models.CharField(_("抽查记录类型"), max_length=20, choices=RecordType.choices)
    period_start = models.DateField(_("抽查期间起"))
    period_end = models.DateField(_("抽查期间止"))
    branch_count = models.PositiveSmallIntegerField(_("抽取党支部数"))
    records_per_branch = models.PositiveSmallIntegerField(_("每个党支部抽取记录数"))
    weighted = models.BooleanField(_("按风险加权"), default=False)
    # 64-bit unsigned: kept as decimal text, since a signed bigint holds only 63 bits.
    seed = models.CharField(_("随机种子"), max_length=20)
    # {"units": [id...], "weights": {id: w} | null, "risk": {id: [score, [reasons]]},
    #  "records": {id: [[date, id]...]}}: what the draw was made on.
    candidates = models.JSONField(_("候选范围"), default=dict)
    # [{"unit": id, "records": [id...]}]
    sample = models.JSONField(_("抽样结果"), default=list)
    created_by = actor_field(_("抽样人"))
    created_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)
    # The last repeat (复核): when, by whom, whether the sample came out the same, and why not.
    repeated_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    repeated_by = actor_field(_("复核人"))
    repeat_identical = models.BooleanField(_("复核结果一致"), null=True, blank=True)
    repeat_result = models.JSONField(_("复核详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("随机抽样")
        verbose_name_plural = _("随机抽样")
        ordering = ["inspection", "created_at", "id"]

    def __str__(self):
        return _("随机抽样（种子 %(seed)s）") % {"seed": self.seed}

    @property
    def seed_value(self) -> int:
        return int(self.seed)


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    SEVERE = "severe", _("严重")


class Finding(Archivable):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="inspection_findings"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("涉及记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_findings",
    )
    text = models.TextField(_("问题描述"))
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    created_by = actor_field(_("记录人"))

    class Meta:
        verbose_name = _("督查发现的问题")
        verbose_name_plural = _("督查发现的问题")
        ordering = ["inspection", "unit__path", "id"]
        indexes = [
            # An inspection's findings grouped by branch (detail page, report).
            models.Index(fields=["inspection", "unit"], name="finding_inspection_unit_idx"),
        ]

    def __str__(self):
        text = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return text[:60]

    def get_absolute_url(self):
        return reverse("inspections:inspection.detail", kwargs={"pk": self.inspection_id}) + f"#finding-{self.pk}"
