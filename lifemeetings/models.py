"""The 组织生活会 package of a branch for one year.

Before the meeting: 谈心谈话 (``HeartTalk``) and each committee member's 对照检查材料
(``ReviewMaterial``). At the meeting (a ``meetings.Meeting`` of kind 组织生活会): criticism and
self-criticism (``CriticismEntry``) and the problems found per person (``PersonalProblem``), each
of which may become a rectification item. The 1–2 practical problems the branch commits to solve
are the meeting's own ``meetings.MeetingProblem`` rows.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable, StoredFile


class HeartTalk(Archivable):
    """One 谈心谈话 between two members; it covers the unordered pair of the two."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="heart_talks"
    )
    # The package year the talk prepares (a talk for year Y may be held early in Y+1).
    year = models.PositiveSmallIntegerField(_("年度"))
    date = models.DateField(_("谈话日期"))
    initiator = models.ForeignKey(
        "members.Member", verbose_name=_("谈话人"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart = models.ForeignKey(
        "members.Member", verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("谈话要点"))
    recorded_by = actor_field(_("登记人"))

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(initiator=models.F("counterpart")), name="hearttalk_two_different_members"
            ),
        ]
        indexes = [
            # The coverage grid and the talk list: one branch's talks of a year.
            models.Index(fields=["unit", "year"], name="hearttalk_unit_year_idx"),
        ]

    def __str__(self):
        return _("%(a)s 与 %(b)s 谈心谈话（%(day)s）") % {
            "a": self.initiator,
            "b": self.counterpart,
            "day": f"{self.date:%Y-%m-%d}",
        }


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


MATERIAL_BADGES = {MaterialStatus.DRAFT: "badge-warn", MaterialStatus.SUBMITTED: "badge-ok"}


class ReviewMaterial(Archivable):
    """A committee member's 对照检查材料 for the year's 组织生活会 (one per member and year)."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="review_materials"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(
        "members.Member", verbose_name=_("支委"), on_delete=models.PROTECT, related_name="review_materials"
    )
    text = models.TextField(_("材料正文"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = actor_field(_("起草人"))

    class Meta:
        verbose_name = _("对照检查材料")
        verbose_name_plural = _("对照检查材料")
        ordering = ["unit", "year", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "member"], name="reviewmaterial_one_per_member_year"),
        ]
        indexes = [
            # The materials list and the overview: one branch's materials of a year.
            models.Index(fields=["unit", "year"], name="reviewmaterial_unit_year_idx"),
        ]

    def __str__(self):
        return _("%(member)s %(year)s年度对照检查材料") % {"member": self.member, "year": self.year}

    @property
    def status_badge(self) -> str:
        return MATERIAL_BADGES.get(self.status, "badge-muted")


class MaterialAttachment(StoredFile):
    """A file kept with a review material (see ``StoredFile``)."""

    material = models.ForeignKey(
        ReviewMaterial, verbose_name=_("对照检查材料"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="lifemeetings/%Y/%m/")

    class Meta:
        verbose_name = _("对照检查材料附件")
        verbose_name_plural = _("对照检查材料附件")
        ordering = ["material", "uploaded_at", "id"]


class CriticismKind(models.TextChoices):
    SELF = "self", _("自我批评")
    RECEIVED = "received", _("相互批评")


class CriticismEntry(Archivable):
    """What was said about one person at the meeting: their self-criticism, or criticism by another."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("组织生活会"), on_delete=models.PROTECT, related_name="criticism_entries"
    )
    subject = models.ForeignKey(
        "members.Member", verbose_name=_("被批评人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=CriticismKind.choices)
    by_member = models.ForeignKey(
        "members.Member",
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("内容"))
    recorded_by = actor_field(_("登记人"))

    class Meta:
        verbose_name = _("批评与自我批评")
        verbose_name_plural = _("批评与自我批评")
        ordering = ["meeting", "subject__name", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="self", by_member__isnull=True)
                    | (models.Q(kind="received", by_member__isnull=False) & ~models.Q(by_member=models.F("subject")))
                ),
                name="criticismentry_by_member_matches_kind",
            ),
        ]
        indexes = [
            # The meeting page and the overview: one meeting's entries.
            models.Index(fields=["meeting", "subject"], name="criticism_meeting_idx"),
        ]

    def __str__(self):
        return f"{self.subject} · {self.get_kind_display()}"


class ProblemCategory(models.TextChoices):
    THOUGHT = "thought", _("思想")
    WORK = "work", _("工作")
    STYLE = "style", _("作风")
    DISCIPLINE = "discipline", _("纪律")


class PersonalProblem(Archivable):
    """A problem found for one person at the meeting, with its root cause and measure."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("组织生活会"), on_delete=models.PROTECT, related_name="personal_problems"
    )
    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("问题类别"), max_length=20, choices=ProblemCategory.choices)
    problem = models.TextField(_("问题"))
    root_cause = models.TextField(_("根源剖析"), blank=True)
    measure = models.TextField(_("整改措施"), blank=True)
    # The rectification item raised for this problem (rectification.Rectification). Kept as a plain
    # id so that this app does not depend on the rectification app's migrations.
    rectification_id = models.PositiveBigIntegerField(_("整改事项编号"), null=True, blank=True)
    raised_at = models.DateTimeField(_("转整改时间"), null=True, blank=True)
    recorded_by = actor_field(_("登记人"))

    class Meta:
        verbose_name = _("查摆问题")
        verbose_name_plural = _("查摆问题")
        ordering = ["meeting", "member__name", "category", "id"]
        indexes = [
            # The meeting page and the overview: one meeting's problems.
            models.Index(fields=["meeting", "member"], name="personalproblem_meeting_idx"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_category_display()} · {self.problem[:30]}"

    def get_absolute_url(self):
        return reverse("lifemeetings:meeting.detail", kwargs={"meeting_id": self.meeting_id}) + f"#problem-{self.pk}"

    @property
    def is_raised(self) -> bool:
        return self.rectification_id is not None
