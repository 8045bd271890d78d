"""Recognition (评选表彰): 五带头 notes, the 四强 branch creation, demonstration sites (党建示范点)
and model posts (党员示范岗). The working-day calendar their public notices (公示) count on is
``common.models.WorkdayCalendar``.

The 五带头 scorecard itself is not stored: it is computed from the records (study, reflections,
meetings, attendance, rectification) each time; only the manual notes are rows here.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# WorkdayCalendar moved down to common (the fixed study day counts on it too); still importable here.
from common.fields import actor_field
from common.models import Archivable, ArchivableQuerySet, WorkdayCalendar  # noqa: F401

DEFAULT_NOTICE_DAYS = 5


class Duty(models.TextChoices):
    """The five duties (五带头) of a committee member."""

    STUDY = "study", _("带头加强学习")
    LECTURE = "lecture", _("带头讲党课")
    ATTEND = "attend", _("带头参加支部组织生活")
    SERVE = "serve", _("带头服务群众")
    DISCIPLINE = "discipline", _("带头严于律己")


class FiveLeadsNote(Archivable):
    """A manual note on one duty of a committee member's 五带头 scorecard for a year."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("支委成员"), on_delete=models.PROTECT, related_name="fiveleads_notes"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    duty = models.CharField(_("带头事项"), max_length=20, choices=Duty.choices)
    text = models.TextField(_("说明"))
    needs_attention = models.BooleanField(
        _("需关注"), default=False, help_text=_("勾选后，该项判定为“需关注”，无论记录如何。")
    )
    author = actor_field(_("填写人"), required=True)

    class Meta:
        verbose_name = _("五带头说明")
        verbose_name_plural = _("五带头说明")
        ordering = ["created_at", "id"]
        indexes = [
            # The scorecards of a year: notes of a set of members.
            models.Index(fields=["year", "member"], name="fiveleadsnote_year_member_idx"),
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_duty_display()}"


class NoticeStatus(models.TextChoices):
    """States of a recognition record (the moves are the table in ``recognition.rules``)."""

    DRAFT = "draft", _("自评中")
    SUBMITTED = "submitted", _("待审核")
    NOMINATED = "nominated", _("已推荐")
    REVIEWING = "reviewing", _("评审中")
    PASSED = "passed", _("审核通过")
    FAILED = "failed", _("未通过")
    NOTICED = "noticed", _("公示中")
    OBJECTED = "objected", _("公示有异议")
    NAMED = "named", _("已命名")
    LAPSED = "lapsed", _("已失效")


STATUS_BADGES = {
    NoticeStatus.DRAFT: "badge-muted",
    NoticeStatus.SUBMITTED: "badge-info",
    NoticeStatus.NOMINATED: "badge-info",
    NoticeStatus.REVIEWING: "badge-info",
    NoticeStatus.PASSED: "badge-info",
    NoticeStatus.FAILED: "badge-bad",
    NoticeStatus.NOTICED: "badge-warn",
    NoticeStatus.OBJECTED: "badge-bad",
    NoticeStatus.NAMED: "badge-ok",
    NoticeStatus.LAPSED: "badge-muted",
}


class NoticeFields(Archivable):
    """The public notice (公示) and naming every recognition goes through."""

    unit = models.ForeignKey("organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices)
    notice_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=DEFAULT_NOTICE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    notice_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    objection = models.TextField(_("公示异议"), blank=True)
    objection_at = models.DateTimeField(_("异议登记时间"), null=True, blank=True)
    named_on = models.DateField(_("命名日期"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    created_by = actor_field(_("创建人"), null=True, blank=False)

    class Meta:
        abstract = True

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "badge-muted")


class Dimension(models.TextChoices):
    POLITICAL = "political", _("政治强")
    LEADERSHIP = "leadership", _("班子强")
    TEAM = "team", _("队伍强")
    ROLE = "role", _("作用发挥强")


class FourStrongCriterion(Archivable):
    """One sub-criterion of a 四强 dimension for a year (committee staff edit them)."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices)
    text = models.CharField(_("具体标准"), max_length=300)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("四强支部标准")
        verbose_name_plural = _("四强支部标准")
        ordering = ["year", "dimension", "order", "id"]
        indexes = [
            # A year's criteria.
            models.Index(fields=["year", "dimension"], name="fourstrongcrit_year_idx"),
        ]

    def __str__(self):
        return f"{self.get_dimension_display()} · {self.text[:30]}"


class FourStrong(NoticeFields):
    """A branch's 四强 creation for one year: self-assessment → review → 公示 → naming."""

    review_of = models.ForeignKey(
        "self",
        verbose_name=_("复评对象"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rereviews",
        help_text=_("上一年度已命名的四强支部申报，本次为年度复评。"),
    )

    class Meta:
        verbose_name = _("四强支部创建")
        verbose_name_plural = _("四强支部创建")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="fourstrong_once_per_unit_year"),
        ]
        indexes = [
            # Badges and lapse checks: named records by year.
            models.Index(fields=["status", "year"], name="fourstrong_status_year_idx"),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s年度四强支部创建") % {"unit": self.unit, "year": self.year}


class FourStrongAssessment(models.Model):
    """The branch's self-assessment and the committee's review of one sub-criterion."""

    application = models.ForeignKey(
        FourStrong, verbose_name=_("四强支部创建"), on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(
        FourStrongCriterion, verbose_name=_("具体标准"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("自评情况及佐证"), blank=True)
    review_passed = models.BooleanField(_("审核结果"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("四强支部自评与审核")
        verbose_name_plural = _("四强支部自评与审核")
        ordering = ["criterion__dimension", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="fourstrongassessment_once"),
        ]

    def __str__(self):
        return str(self.criterion)


class NominationKind(models.TextChoices):
    DEMO_SITE = "demo_site", _("党建示范点")
    MODEL_POST = "model_post", _("党员示范岗")


class ReviewMethod(models.TextChoices):
    SCORE = "score", _("评审打分")
    VOTE = "vote", _("投票表决")


class NominationQuerySet(ArchivableQuerySet):
    pass


class Nomination(NoticeFields):
    """A branch's nomination for a 党建示范点 (the branch itself) or a 党员示范岗 (a member)."""

    kind = models.CharField(_("类别"), max_length=20, choices=NominationKind.choices)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("示范点/岗名称"), max_length=100, help_text=_("如“政务服务窗口党员示范岗”。"))
    reason = models.TextField(_("推荐理由"))
    evidence = models.TextField(_("主要事迹及佐证"), blank=True)
    method = models.CharField(_("评审方式"), max_length=10, choices=ReviewMethod.choices, default=ReviewMethod.SCORE)
    pass_mark = models.PositiveSmallIntegerField(
        _("通过分数"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("评审打分时，平均分达到此分数为通过。"),
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("示范点、示范岗推荐")
        verbose_name_plural = _("示范点、示范岗推荐")
        ordering = ["-year", "kind", "unit__path", "id"]
        indexes = [
            # The lists per year and kind.
            models.Index(fields=["year", "kind", "status"], name="nomination_year_kind_idx"),
        ]

    def __str__(self):
        who = self.member.name if self.member_id else self.unit.name
        return f"{self.year} {self.get_kind_display()} · {who}"


class DemoSiteManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=NominationKind.DEMO_SITE)


class ModelPostManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=NominationKind.MODEL_POST)


class DemoSite(Nomination):
    """党建示范点: a nomination of a branch (the kind fixes which)."""

    objects = DemoSiteManager()

    class Meta:
        proxy = True
        verbose_name = _("党建示范点")
        verbose_name_plural = _("党建示范点")


class ModelPost(Nomination):
    """党员示范岗: a nomination of a member by their branch."""

    objects = ModelPostManager()

    class Meta:
        proxy = True
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")


class NominationReview(models.Model):
    """One reviewer's points (打分) or vote (表决) on a nomination; one per reviewer."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = actor_field(_("评审人"), required=True)
    points = models.PositiveSmallIntegerField(_("分数"), null=True, blank=True, validators=[MaxValueValidator(100)])
    agree = models.BooleanField(_("同意"), null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    created_at = models.DateTimeField(_("评审时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="nominationreview_once_per_reviewer"),
        ]

    def __str__(self):
        return f"{self.nomination} · {self.reviewer}"
