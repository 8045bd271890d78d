"""Theme activities (主题实践活动), reading reflections (读书心得) and the materials library.

A campaign belongs to the unit that launched it (the committee) and runs in stages; each stage
names its books and its tasks. A task is for the committee itself, every branch or every member,
and says how it is shown done: a meeting of a kind held within the stage (counted from the
meeting records, never ticked by hand), a document uploaded by the branch, or a reflection the
member submits on the stage's book.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field
from common.models import Archivable

DEFAULT_MIN_CHARS = 300


class Campaign(Archivable):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("活动名称"), max_length=100)
    goal = models.TextField(_("活动目标"), blank=True)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    reflection_min_chars = models.PositiveIntegerField(
        _("心得最少字数"), default=DEFAULT_MIN_CHARS, help_text=_("读书心得正文的最少字数（不计空白）。")
    )
    created_by = actor_field(_("创建人"))

    class Meta:
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")
        ordering = ["-start_on", "-id"]

    def __str__(self):
        return self.name


class Stage(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("主题活动"), on_delete=models.PROTECT, related_name="stages")
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    name = models.CharField(_("阶段名称"), max_length=60)
    description = models.TextField(_("阶段要求"), blank=True)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("活动阶段")
        verbose_name_plural = _("活动阶段")
        ordering = ["campaign", "order", "start_on", "id"]

    def __str__(self):
        return self.name


class Topic(models.TextChoices):
    CONSTITUTION = "constitution", _("党章")
    BRANCH_REGULATIONS = "branch_regulations", _("支部工作条例")
    RECRUITMENT = "recruitment", _("发展党员工作细则")
    INTEGRITY = "integrity", _("廉政教育")
    CASES = "cases", _("典型案例")
    OTHER = "other", _("其他")


class Material(Archivable):
    """A document of the library. Stored under a generated name; served only through a
    permission-checked view. The text of .docx/.txt files is kept in ``text`` for search."""

    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("简介"), blank=True)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("活动阶段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
    )
    file = models.FileField(_("文件"), upload_to="materials/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验和"), max_length=64)
    text = models.TextField(_("文本内容"), blank=True)
    uploaded_by = actor_field(_("上传人"))

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def topic_codes(self) -> list[str]:
        return [t.topic for t in self.topic_rows.all()]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(c, c)) for c in sorted(self.topic_codes(), key=list(labels).index)]


class MaterialTopic(models.Model):
    material = models.ForeignKey(
        Material, verbose_name=_("学习资料"), on_delete=models.CASCADE, related_name="topic_rows"
    )
    topic = models.CharField(_("主题"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("资料主题")
        verbose_name_plural = _("资料主题")
        constraints = [models.UniqueConstraint(fields=["material", "topic"], name="materialtopic_once")]
        indexes = [
            # The library's topic filter.
            models.Index(fields=["topic"], name="materialtopic_topic_idx"),
        ]

    def __str__(self):
        return self.get_topic_display()


class MaterialRead(models.Model):
    material = models.ForeignKey(Material, verbose_name=_("学习资料"), on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("阅读人"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资料阅读记录")
        verbose_name_plural = _("资料阅读记录")
        constraints = [models.UniqueConstraint(fields=["material", "user"], name="materialread_once_per_user")]

    def __str__(self):
        return f"{self.material} · {self.user}"


class CampaignBook(models.Model):
    stage = models.ForeignKey(Stage, verbose_name=_("活动阶段"), on_delete=models.PROTECT, related_name="books")
    title = models.CharField(_("书名"), max_length=200)
    author = models.CharField(_("作者/编者"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    material = models.ForeignKey(
        Material,
        verbose_name=_("资料库文件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="books",
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("学习书目")
        verbose_name_plural = _("学习书目")
        ordering = ["stage", "order", "id"]

    def __str__(self):
        return self.title


class Audience(models.TextChoices):
    COMMITTEE = "committee", _("机关党委")
    BRANCH = "branch", _("每个党支部")
    MEMBER = "member", _("每名党员")


class Evidence(models.TextChoices):
    MEETING = "meeting", _("召开会议")
    DOCUMENT = "document", _("上传材料")
    REFLECTION = "reflection", _("提交读书心得")


class Task(models.Model):
    stage = models.ForeignKey(Stage, verbose_name=_("活动阶段"), on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    audience = models.CharField(_("对象"), max_length=20, choices=Audience.choices)
    due_on = models.DateField(_("完成期限"))
    evidence = models.CharField(_("完成方式"), max_length=20, choices=Evidence.choices)
    meeting_kind = models.ForeignKey(
        "meetings.MeetingKind",
        verbose_name=_("会议类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    book = models.ForeignKey(
        CampaignBook,
        verbose_name=_("书目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("提交读书心得的任务：指定书目；不指定时本阶段任一书目均可。"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("活动任务")
        verbose_name_plural = _("活动任务")
        ordering = ["stage__order", "order", "due_on", "id"]

    def __str__(self):
        return self.title


class TaskCompletion(models.Model):
    """A document task marked done by a unit (a branch, or the committee) with its upload."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="completions")
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="campaign_completions"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    file = models.FileField(_("文件"), upload_to="campaigns/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验和"), max_length=64)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上报人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务完成材料")
        verbose_name_plural = _("任务完成材料")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="taskcompletion_once_per_unit")]

    def __str__(self):
        return f"{self.task} · {self.unit}"


class ReflectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    COMMENTED = "commented", _("已点评")
    SELECTED = "selected", _("入选交流")


class ReadingReflection(models.Model):
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="reading_reflections"
    )
    # The member's branch when submitting (who comments, and the exchange it can be linked to).
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="reading_reflections"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("活动阶段"), on_delete=models.PROTECT, related_name="reflections")
    book = models.ForeignKey(CampaignBook, verbose_name=_("书目"), on_delete=models.PROTECT, related_name="reflections")
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    submitted_at = models.DateTimeField(_("提交时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ReflectionStatus.choices, default=ReflectionStatus.SUBMITTED
    )
    # The near-duplicate check at submission: the most similar other reflection, if any reached
    # the threshold. Flagged, never blocked.
    similar_to = models.ForeignKey(
        "self", verbose_name=_("相似心得"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    similarity = models.FloatField(_("相似度"), null=True, blank=True)
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("交流会"), blank=True, related_name="reading_reflections"
    )

    class Meta:
        verbose_name = _("读书心得")
        verbose_name_plural = _("读书心得")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The branch committee's list of its reflections, newest first.
            models.Index(fields=["unit", "submitted_at"], name="reflection_unit_idx"),
            # Progress: a member's reflections per stage.
            models.Index(fields=["member", "stage"], name="reflection_member_stage_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_flagged(self) -> bool:
        return self.similar_to_id is not None


class ReflectionComment(models.Model):
    reflection = models.ForeignKey(
        ReadingReflection, verbose_name=_("读书心得"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("点评人"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("点评"))
    created_at = models.DateTimeField(_("点评时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("心得点评")
        verbose_name_plural = _("心得点评")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:40]
