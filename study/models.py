"""Study hours (学时), the fixed study day (固定学习日) and their yearly settings.

Collective study is not typed in here: it comes from the meeting records (a meeting's duration
credited to the members present). Individual study is a StudyRecord the member enters and the
branch confirms.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable
from study import rules

# Defaults of the 2019–2023 党员教育培训规划 (the committee may change them per year).
DEFAULT_MEMBER_TARGET = Decimal("32")
DEFAULT_LEADER_TARGET = Decimal("56")
DEFAULT_MEETING_HOURS = Decimal("2")
# Kinds counted as collective study when a year has no settings row yet.
DEFAULT_COUNTED_KINDS = (
    "party_lesson",
    "theme_day",
    "study_day",
    "reading_exchange",
    "warning_education",
    "integrity_study",
)


class StudyYear(models.Model):
    """The settings of one year: targets, which meeting kinds count as study, default hours."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    member_target = models.DecimalField(
        _("党员学时要求"), max_digits=5, decimal_places=1, default=DEFAULT_MEMBER_TARGET
    )
    leader_target = models.DecimalField(
        _("支部书记、支委学时要求"), max_digits=5, decimal_places=1, default=DEFAULT_LEADER_TARGET
    )
    counted_kinds = models.ManyToManyField(
        "meetings.MeetingKind", verbose_name=_("计入学时的会议类型"), related_name="+", blank=True
    )
    default_meeting_hours = models.DecimalField(
        _("未填时间的会议按学时计"),
        max_digits=3,
        decimal_places=1,
        default=DEFAULT_MEETING_HOURS,
        help_text=_("会议记录未填写开始、结束时间时，每次按此学时计入。"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度学时要求")
        verbose_name_plural = _("年度学时要求")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s年度学时要求") % {"year": self.year}


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


STATUS_BADGES = {
    RecordStatus.SUBMITTED: "badge-info",
    RecordStatus.CONFIRMED: "badge-ok",
    RecordStatus.RETURNED: "badge-warn",
}


class StudyRecord(Archivable):
    """A member's own study (自学): entered by the member, confirmed by the branch committee."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="study_records"
    )
    # The member's branch when the record was entered: whose committee confirms it.
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="study_records"
    )
    title = models.CharField(_("学习内容"), max_length=200, help_text=_("学习的材料、书目或课程。"))
    date = models.DateField(_("学习日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    note = models.TextField(_("学习体会或说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.SUBMITTED)
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_by = actor_field(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人学习记录")
        verbose_name_plural = _("个人学习记录")
        ordering = ["-date", "-id"]
        indexes = [
            # The ledger: confirmed records of a year for a set of members.
            models.Index(fields=["member", "date"], name="studyrecord_member_date_idx"),
            # The branch's review queue: its records by status.
            models.Index(fields=["unit", "status"], name="studyrecord_unit_status_idx"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "badge-muted")


class StudyDayMode(models.TextChoices):
    NTH_WEEKDAY = "nth_weekday", _("每月第几个星期几")
    LAST_WEEKDAY = "last_weekday", _("每月最后一个星期几")
    DAY_OF_MONTH = "day_of_month", _("每月固定日期")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("星期一")
    TUESDAY = 1, _("星期二")
    WEDNESDAY = 2, _("星期三")
    THURSDAY = 3, _("星期四")
    FRIDAY = 4, _("星期五")
    SATURDAY = 5, _("星期六")
    SUNDAY = 6, _("星期日")


class StudyDayRule(models.Model):
    """A branch's fixed study day (支部固定学习日), e.g. the first Friday of every month."""

    unit = models.OneToOneField(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="study_day_rule"
    )
    mode = models.CharField(_("规则"), max_length=20, choices=StudyDayMode.choices, default=StudyDayMode.NTH_WEEKDAY)
    nth = models.PositiveSmallIntegerField(
        _("第几个"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    weekday = models.PositiveSmallIntegerField(_("星期几"), choices=Weekday.choices, default=Weekday.FRIDAY)
    day = models.PositiveSmallIntegerField(
        _("日期"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("按固定日期时使用；该月没有这一天时取当月最后一天。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("固定学习日")
        verbose_name_plural = _("固定学习日")

    def __str__(self):
        return rules.describe(self.mode, nth=self.nth, weekday=self.weekday, day=self.day)
