"""Organisational life (三会一课、主题党日、组织生活会): one record per sitting, entered once.

A sitting carries a set of kinds (a 主题党日 held with a 党员大会 and a 党课 counts toward all
three). The meeting's date is kept apart from when and by whom the record was entered.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable, ArchivableQuerySet, StoredFile


class BuiltinKind(models.TextChoices):
    """Kinds the rules refer to by code; the committee may add more MeetingKind rows."""

    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    PARTY_LESSON = "party_lesson", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    READING_EXCHANGE = "reading_exchange", _("读书心得交流")
    STUDY_DAY = "study_day", _("固定学习日")


class MeetingKind(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    builtin = models.BooleanField(_("内置"), default=False)
    # Which unit level holds meetings of this kind: a branch or a party group.
    unit_kind = models.CharField(_("召开单位"), max_length=20, default="branch")
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class ThemeCategory(models.TextChoices):
    PARTY_HISTORY = "party_history", _("党史")
    PARTY_BUILDING = "party_building", _("党建")
    PARTY_AFFAIRS = "party_affairs", _("党务")
    PARTY_SPIRIT = "party_spirit", _("党性")
    INTEGRITY = "integrity", _("廉政")
    BUSINESS = "business", _("业务")
    OTHER = "other", _("其他")


class EntrySource(models.TextChoices):
    FORM = "form", _("页面录入")
    IMPORT = "import", _("台账导入")


class MeetingQuerySet(ArchivableQuerySet):
    def held_between(self, start: datetime.date, end: datetime.date):
        """Meetings whose date (never the entry date) lies in [start, end]."""
        return self.filter(date__gte=start, date__lte=end)


class Meeting(Archivable):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("召开单位"), on_delete=models.PROTECT, related_name="meetings"
    )
    kinds = models.ManyToManyField(MeetingKind, verbose_name=_("会议类型"), related_name="meetings")
    date = models.DateField(_("会议日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    theme_category = models.CharField(_("主题类别"), max_length=20, choices=ThemeCategory.choices, blank=True)
    host = models.ForeignKey(
        "members.Member", verbose_name=_("主持人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorder = models.ForeignKey(
        "members.Member", verbose_name=_("记录人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lecturer = models.ForeignKey(
        "members.Member", verbose_name=_("讲课人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited = models.TextField(_("列席人员"), blank=True, help_text=_("非本单位党员的列席、旁听人员，每行一人。"))
    # The 年度 a 组织生活会 is held for ("2025年度组织生活会" held on 2026-01-20 is 2025's); every
    # page, the compliance rule, the assessment, the minutes book and the ledger read this one
    # value (docs/rules.md). Empty for meetings of other kinds.
    held_for_year = models.PositiveSmallIntegerField(
        _("所属年度"),
        null=True,
        blank=True,
        help_text=_("组织生活会所属的年度。1、2月召开的一般为上一年度的组织生活会。"),
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    resolutions = models.TextField(_("决议事项"), blank=True)
    # When and by whom the record was entered (kept apart from the meeting's date).
    entered_at = models.DateTimeField(_("录入时间"))
    entered_by = actor_field(_("录入人"))
    source = models.CharField(_("录入方式"), max_length=10, choices=EntrySource.choices, default=EntrySource.FORM)
    # Entered more than N days after the meeting (补录); fixed at entry, so it never changes later.
    late_entry = models.BooleanField(_("补录"), default=False)
    # An import key so that importing the same ledger twice adds nothing.
    import_key = models.CharField(_("导入标识"), max_length=64, blank=True, db_index=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [
            # Compliance and ledgers: one unit's meetings in a date range.
            models.Index(fields=["unit", "date"], name="meeting_unit_date_idx"),
            # Committee-wide compliance for a year: every meeting in a date range.
            models.Index(fields=["date"], name="meeting_date_idx"),
            # The 组织生活会 rule: the meetings held for a 年度 (some dated in the next year).
            models.Index(fields=["held_for_year"], name="meeting_held_for_year_idx"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")


class AbsenceReason(models.TextChoices):
    OFFICIAL = "official", _("公差")
    SICK = "sick", _("病假")
    PERSONAL = "personal", _("事假")
    OTHER = "other", _("其他")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("出席情况"), max_length=10, choices=AttendanceStatus.choices)
    absence_reason = models.CharField(_("缺席原因"), max_length=10, choices=AbsenceReason.choices, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_member_once_per_meeting"),
        ]
        indexes = [
            # A member's attendance over a year (participation, 6-month lapse flag).
            models.Index(fields=["member", "status"], name="attendance_member_idx"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class MeetingProblem(models.Model):
    """A practical problem a 组织生活会 commits to solve (the rule asks for 1–2)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="problems")
    text = models.TextField(_("问题"))
    measure = models.TextField(_("整改措施"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("解决的实际问题")
        verbose_name_plural = _("解决的实际问题")
        ordering = ["meeting", "sort_order", "id"]

    def __str__(self):
        return self.text[:40]


class AttachmentKind(models.TextChoices):
    SIGN_IN = "sign_in", _("签到表")
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("文件")


class MeetingAttachment(StoredFile):
    """A file kept with a meeting: a sign-in sheet, a photo or a document (see ``StoredFile``)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")
        ordering = ["meeting", "uploaded_at", "id"]


class MeetingPlan(Archivable):
    """A planned sitting (计划召开) in a branch's or group's yearly plan."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("召开单位"), on_delete=models.PROTECT, related_name="meeting_plans"
    )
    planned_on = models.DateField(_("计划日期"))
    kinds = models.ManyToManyField(MeetingKind, verbose_name=_("会议类型"), related_name="plans")
    topic = models.CharField(_("拟定主题"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = actor_field(_("制定人"))

    class Meta:
        verbose_name = _("会议计划")
        verbose_name_plural = _("会议计划")
        ordering = ["planned_on", "id"]
        indexes = [
            # A unit's plan for a year.
            models.Index(fields=["unit", "planned_on"], name="meetingplan_unit_date_idx"),
        ]

    def __str__(self):
        return f"{self.planned_on:%Y-%m-%d} {self.topic}"


class CalendarFeedToken(models.Model):
    """The secret in a branch's iCalendar feed URL (calendar apps cannot log in).

    One live token per branch; regenerating revokes the old one, and a revoked token answers 404.
    The feed shows only dates, kinds and topics (no names, no minutes).
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="calendar_feed_tokens"
    )
    token = models.CharField(_("订阅密钥"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅密钥")
        verbose_name_plural = _("日历订阅密钥")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(revoked_at__isnull=True), name="calendarfeedtoken_one_live_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.created_at:%Y-%m-%d}"


MONTH_FIELDS = tuple(f"m{month:02d}" for month in range(1, 13))


class MeetingCount(models.Model):
    """How many meetings (not archived) of a kind a unit held in each month of a year.

    Derived data, never typed in: ``meetings.counts.refresh`` recounts a unit's year from the
    meeting records whenever ``meetings.services`` records, edits, archives or restores one of
    them, in the same transaction. The compliance table reads these rows (a few hundred
    thousand for a committee of 20,000 branches) instead of grouping 1.5 million meetings on
    every request. ``manage.py recount_meetings`` rebuilds them, or with ``--check`` compares
    them with the records.
    """

    unit = models.ForeignKey("organizations.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(MeetingKind, verbose_name=_("会议类型"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    m01 = models.PositiveIntegerField(_("1月"), default=0)
    m02 = models.PositiveIntegerField(_("2月"), default=0)
    m03 = models.PositiveIntegerField(_("3月"), default=0)
    m04 = models.PositiveIntegerField(_("4月"), default=0)
    m05 = models.PositiveIntegerField(_("5月"), default=0)
    m06 = models.PositiveIntegerField(_("6月"), default=0)
    m07 = models.PositiveIntegerField(_("7月"), default=0)
    m08 = models.PositiveIntegerField(_("8月"), default=0)
    m09 = models.PositiveIntegerField(_("9月"), default=0)
    m10 = models.PositiveIntegerField(_("10月"), default=0)
    m11 = models.PositiveIntegerField(_("11月"), default=0)
    m12 = models.PositiveIntegerField(_("12月"), default=0)

    class Meta:
        verbose_name = _("会议计数")
        verbose_name_plural = _("会议计数")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="meetingcount_one_row_per_unit_kind_year"),
        ]
        indexes = [
            # The committee-wide table: every unit's counts of one year.
            models.Index(fields=["year", "kind"], name="meetingcount_year_kind_idx"),
        ]

    def __str__(self):
        return f"{self.unit_id} · {self.kind_id} · {self.year}"

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(getattr(self, f) for f in MONTH_FIELDS)
