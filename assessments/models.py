"""Annual assessment (考核) and duty reports (述职评议).

* ``IndicatorSet``: one year's indicator tree, its grade bands and whether the year is published.
  A published year is frozen: neither the tree nor any score changes any more.
* ``Indicator``: a node of the tree. Groups (``method`` empty) only hold children; leaves carry a
  weight (the leaves of a year sum to 100) and are scored automatically from a metric of
  ``assessments.indicators`` (mapped linearly to points between ``zero_at`` and ``full_at``) or
  manually by an inspector or committee staff with evidence.
* ``Assessment`` / ``Score``: one branch's result for the year, one score per leaf. Every change
  of a score is an ``AssessmentScoreChange`` row saying why (recomputed from the records, or a
  manual entry by whom).
* ``DutyReport``: a secretary's annual duty report; its evaluation is an anonymous ballot
  (``ballot``, a ``ballots.Round`` made when the report is submitted: one item, the options
  满意/基本满意/不满意). ``ballots`` keeps who voted apart from the marks (docs/ballots.md).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable, StoredFile


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")


class Method(models.TextChoices):
    GROUP = "", _("分类")
    AUTOMATIC = "automatic", _("自动计算")
    MANUAL = "manual", _("人工评分")


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class IndicatorSet(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=SetStatus.choices, default=SetStatus.DRAFT)
    # Grade bands: total ≥ good_min → 好, ≥ fairly_good_min → 较好, ≥ average_min → 一般, else 差.
    good_min = models.DecimalField(_("“好”的最低分"), max_digits=5, decimal_places=1, default=90)
    fairly_good_min = models.DecimalField(_("“较好”的最低分"), max_digits=5, decimal_places=1, default=80)
    average_min = models.DecimalField(_("“一般”的最低分"), max_digits=5, decimal_places=1, default=60)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = actor_field(_("发布人"))
    computed_at = models.DateTimeField(_("最近计算时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("年度考核指标体系")
        verbose_name_plural = _("年度考核指标体系")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s年度党建考核") % {"year": self.year}

    @property
    def is_published(self) -> bool:
        return self.status == SetStatus.PUBLISHED


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("指标名称"), max_length=100)
    method = models.CharField(_("评分方式"), max_length=20, choices=Method.choices, blank=True)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, null=True, blank=True)
    metric = models.CharField(_("计算口径"), max_length=40, blank=True)
    # For the compliance metric: the rule code (empty: every rule).
    metric_param = models.CharField(_("口径参数"), max_length=60, blank=True)
    # Linear scoring: the value at which the leaf scores nothing and the value from which it
    # scores full marks (full_at < zero_at: lower is better, e.g. an overdue count).
    zero_at = models.DecimalField(_("零分值"), max_digits=8, decimal_places=2, null=True, blank=True)
    full_at = models.DecimalField(_("满分值"), max_digits=8, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("评分说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    archived_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["indicator_set", "sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_leaf(self) -> bool:
        return self.method != Method.GROUP


class Assessment(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="assessments"
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=0)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("支部年度考核")
        verbose_name_plural = _("支部年度考核")
        ordering = ["-total", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "unit"], name="assessment_one_per_unit_year"),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s年度党建考核") % {"unit": self.unit, "year": self.indicator_set.year}


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, verbose_name=_("考核"), on_delete=models.PROTECT, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores")
    # Automatic leaves: the metric's value (a rate in %, or a count); None when there was nothing to count.
    value = models.DecimalField(_("计算值"), max_digits=8, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(_("计算说明"), blank=True)
    # The records behind a lost point: [{"text": ..., "url": ...}].
    evidence = models.JSONField(_("依据记录"), default=list, blank=True)
    # Manual leaves.
    evidence_text = models.TextField(_("评分依据"), blank=True)
    comment = models.TextField(_("评语"), blank=True)
    entered_by = actor_field(_("评分人"))
    entered_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment", "indicator__sort_order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_one_per_indicator"),
        ]

    def __str__(self):
        return _("%(assessment)s · %(indicator)s") % {"assessment": self.assessment, "indicator": self.indicator}

    @property
    def not_assessable(self) -> bool:
        """An automatic leaf the records cannot judge (不适用: a withheld 述职评议 result): no
        points, and the total is rescaled over the other leaves. A manual leaf without points
        is merely not scored yet."""
        return self.points is None and self.indicator.method == Method.AUTOMATIC


class ChangeReason(models.TextChoices):
    RECOMPUTED = "recomputed", _("依据记录重新计算")
    MANUAL = "manual", _("人工评分")


class AssessmentScoreChange(models.Model):
    """One change of a score before publication: old → new and why."""

    score = models.ForeignKey(Score, verbose_name=_("指标得分"), on_delete=models.PROTECT, related_name="changes")
    old_points = models.DecimalField(_("原得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField(_("新得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    old_value = models.DecimalField(_("原计算值"), max_digits=8, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(_("新计算值"), max_digits=8, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=20, choices=ChangeReason.choices)
    note = models.TextField(_("说明"), blank=True)
    actor = actor_field(_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("得分变更")
        verbose_name_plural = _("得分变更")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.score_id}: {self.old_points} → {self.new_points}"


# ---------------------------------------------------------------------------------------------
# 述职评议


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("评议结束")


class Choice(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class DutyReport(Archivable):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="duty_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    reporter = models.ForeignKey(
        "members.Member", verbose_name=_("述职人"), on_delete=models.PROTECT, related_name="duty_reports"
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("述职内容"))
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("评议结束时间"), null=True, blank=True)
    # The anonymous evaluation, made at submission (none while a draft).
    ballot = models.OneToOneField(
        "ballots.Round",
        verbose_name=_("无记名投票"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = actor_field(_("起草人"))

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["-year", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(archived_at__isnull=True),
                name="dutyreport_one_live_per_unit_year",
            ),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s年度书记抓党建述职") % {"unit": self.unit, "year": self.year}


class DutyAttachment(StoredFile):
    """A file of a duty report (see ``StoredFile``)."""

    report = models.ForeignKey(
        DutyReport, verbose_name=_("述职报告"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="assessments/%Y/%m/")

    class Meta:
        verbose_name = _("述职报告附件")
        verbose_name_plural = _("述职报告附件")
        ordering = ["report", "uploaded_at", "id"]
