"""Rules are data: what organisational life each unit owes, per period, with its source.

A rule is identified by its ``code``; tightening it adds a new version (a row with the same
code and a later ``effective_from``). A period is judged by the version in force on the
period's first day, so past periods keep the rules they were held under.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class Condition(models.TextChoices):
    """Extra conditions beyond a plain count of meetings of a kind."""

    NONE = "", _("无（按次数计）")
    # At least ``min_count`` meetings of the kind where the unit's secretary was the lecturer.
    SECRETARY_LECTURES = "secretary_lectures", _("书记亲自讲党课")
    # Meetings of the kind count only if they record between params.min and params.max problems.
    PROBLEMS_RECORDED = "problems_recorded", _("记录解决的实际问题")


class UnitLevel(models.TextChoices):
    BRANCH = "branch", _("党支部")
    PARTY_GROUP = "party_group", _("党小组")


class Rule(models.Model):
    code = models.SlugField(_("规则代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(
        "meetings.MeetingKind", verbose_name=_("会议类型"), on_delete=models.PROTECT, related_name="rules"
    )
    unit_level = models.CharField(_("适用单位"), max_length=20, choices=UnitLevel.choices, default=UnitLevel.BRANCH)
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    min_count = models.PositiveSmallIntegerField(_("最少次数"), default=1)
    condition = models.CharField(_("附加条件"), max_length=30, choices=Condition.choices, blank=True)
    params = models.JSONField(_("条件参数"), default=dict, blank=True)
    source = models.CharField(_("依据"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    # A retired rule stops applying from this date (periods starting on or after it).
    retired_on = models.DateField(_("停止日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("制度规则")
        verbose_name_plural = _("制度规则")
        ordering = ["code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="rule_one_version_per_day"),
        ]

    def __str__(self):
        return self.name
