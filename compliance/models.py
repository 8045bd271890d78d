"""Rules are data: what organisational life each unit owes, per period, with its source.

A rule is identified by its ``code``; tightening it adds a new version (a row with the same
code and a later ``effective_from``). A period is judged by the version in force on the
period's first day, so past periods keep the rules they were held under.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field


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
    created_by = actor_field(_("制定人"))
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


class StatusCounts(models.Model):
    """How many cells have each status (the engine's met / missed / due / not applicable)."""

    missed = models.PositiveIntegerField(_("未达标"), default=0)
    due = models.PositiveIntegerField(_("待完成"), default=0)
    met = models.PositiveIntegerField(_("已达标"), default=0)
    not_applicable = models.PositiveIntegerField(_("不适用"), default=0)

    class Meta:
        abstract = True


class Standing(StatusCounts):
    """A branch's compliance for a year, as judged in one month, summarised for the dashboards.

    Derived data (``compliance.standings``): the counts of the branch's cells (its party groups
    folded in) by status, by month and by rule, as the engine judges them as of the day ``as_of``
    in ``month`` (a meeting held after that day does not count yet). Anything that can change a
    cell raises ``stamp``; the figures are current while ``fresh_stamp`` equals it and they were
    judged as of the day asked for. The committee dashboard reads these rows, so it answers in the
    same time for 5 branches and for 20,000, and only the branches that changed are judged again.
    """

    branch = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # compliance.periods.judged_month: 1–12, 13 once the year is over (how a past year is shown).
    month = models.PositiveSmallIntegerField(_("截至月份"))
    name = models.CharField(_("名称"), max_length=100)
    # Twelve [worst status or null, {status: cells}] of the cells ending in each month.
    months = models.JSONField(_("逐月情况"), default=list)
    stamp = models.PositiveIntegerField(_("变更序号"), default=1)
    fresh_stamp = models.PositiveIntegerField(_("计算时的变更序号"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    # The day the cells were judged as of: meetings held after it did not count yet, so a row
    # judged as of another day of the month is judged again.
    as_of = models.DateField(_("截至日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("支部达标汇总")
        verbose_name_plural = _("支部达标汇总")
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "month"], name="standing_one_row_per_branch_month"),
        ]
        indexes = [
            # The heatmap's pages and the worst branches: worst first within a year and month.
            models.Index(
                "year", "month", models.F("missed").desc(), models.F("due").desc(), "name", name="standing_worst_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.year}-{self.month:02d}"

    @property
    def is_fresh(self) -> bool:
        return self.fresh_stamp == self.stamp and self.computed_at is not None


class StandingRule(StatusCounts):
    """A branch standing's cells of one rule code, counted by status (the dashboard's per-rule
    rates are sums of these rows, computed by the database)."""

    standing = models.ForeignKey(Standing, verbose_name=_("支部达标汇总"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("规则代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("支部分规则达标汇总")
        verbose_name_plural = _("支部分规则达标汇总")
        constraints = [
            models.UniqueConstraint(fields=["standing", "code"], name="standingrule_one_row_per_code"),
        ]

    def __str__(self):
        return f"{self.standing_id} · {self.code}"


class AnnualDeadline(models.Model):
    """The day the committee judges a 年度's 组织生活会 at (one row per 年度; without a row,
    ``compliance.periods.default_annual_deadline``: the end of February of the next year).

    A 组织生活会 counts toward the 年度 it is held for (``meetings.Meeting.held_for_year``) when
    it is held by this day; until the day has passed the cell is due. Sources in docs/rules.md.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    deadline = models.DateField(_("截止日期"))
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如上级关于召开年度组织生活会的通知文号。")
    )
    set_by = actor_field(_("设定人"))
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度组织生活会截止日期")
        verbose_name_plural = _("年度组织生活会截止日期")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} · {self.deadline:%Y-%m-%d}"
