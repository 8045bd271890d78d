"""Branch committees (支部委员会): one CommitteeTerm (届) per election, its members and approval."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from committees import rules
from common.fields import actor_field
from common.models import Archivable


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("委员")


class TermStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待批复")
    RETURNED = "returned", _("已退回")
    CURRENT = "current", _("现任")
    ENDED = "ended", _("已届满")


# CSS badge class of each status (static/zhibu/zhibu.css).
STATUS_BADGES = {
    TermStatus.DRAFT: "badge-muted",
    TermStatus.SUBMITTED: "badge-info",
    TermStatus.RETURNED: "badge-warn",
    TermStatus.CURRENT: "badge-ok",
    TermStatus.ENDED: "badge-muted",
}


class CommitteeTerm(Archivable):
    """One elected term (届) of a branch committee."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    elected_on = models.DateField(_("选举日期"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), default=3)
    status = models.CharField(_("状态"), max_length=20, choices=TermStatus.choices, default=TermStatus.DRAFT)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("支委会届次")
        verbose_name_plural = _("支委会届次")
        ordering = ["unit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="committeeterm_unique_number_per_unit"),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(status="current"), name="committeeterm_one_current_per_unit"
            ),
        ]
        indexes = [
            # Dashboards: current terms and their expiry.
            models.Index(fields=["status", "elected_on"], name="committeeterm_status_idx"),
        ]

    def __str__(self):
        return _("%(unit)s 第%(number)s届") % {"unit": self.unit, "number": self.number}

    @property
    def expires_on(self) -> datetime.date:
        return rules.term_expires_on(self.elected_on, self.term_years)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "badge-muted")

    @property
    def is_editable(self) -> bool:
        return self.status in rules.EDITABLE_STATUSES and not self.is_archived

    def renewal_status(self, today: datetime.date) -> str | None:
        """换届提醒 of a current term: "expired", "due" or None."""
        if self.status != TermStatus.CURRENT:
            return None
        return rules.renewal_status(self.expires_on, today, rules.RENEWAL_WINDOW_DAYS)


class TermMember(models.Model):
    term = models.ForeignKey(CommitteeTerm, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    role = models.CharField(_("职务"), max_length=20, choices=CommitteeRole.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("支委成员")
        verbose_name_plural = _("支委成员")
        ordering = ["term", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="termmember_member_once_per_term"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_role_display()}"


class Approval(models.Model):
    """The higher committee's written approval (批复) of an election result."""

    term = models.OneToOneField(
        CommitteeTerm, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="approval"
    )
    doc_number = models.CharField(_("批复文号"), max_length=100)
    approved_on = models.DateField(_("批复日期"))
    approved_by = actor_field(_("批复人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("批复")
        verbose_name_plural = _("批复")

    def __str__(self):
        return self.doc_number


class TermStatusChange(models.Model):
    """History of every status move of a term; only the services write it."""

    term = models.ForeignKey(CommitteeTerm, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("原状态"), max_length=20, choices=TermStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TermStatus.choices)
    reason = models.TextField(_("说明"), blank=True)
    actor = actor_field(_("操作人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("届次状态变更")
        verbose_name_plural = _("届次状态变更")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.term} {self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class RoleDuty(models.Model):
    """The written duty list (工作职责) of one committee role; editable by committee staff."""

    role = models.CharField(_("职务"), max_length=20, choices=CommitteeRole.choices, unique=True)
    text = models.TextField(_("职责"), help_text=_("每行一条职责。"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职务职责")
        verbose_name_plural = _("职务职责")
        ordering = ["role"]

    def __str__(self):
        return self.get_role_display()

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]
