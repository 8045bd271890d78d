"""Roles are rows: (user, unit, role). A grant on a unit covers everything below it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMITTEE_STAFF = "committee_staff", _("机关党委工作人员")
    INSPECTOR = "inspector", _("督查人员")
    SECRETARY = "secretary", _("支部书记")
    COMMITTEE_MEMBER = "committee_member", _("支部委员")
    GROUP_LEADER = "group_leader", _("党小组长")
    MEMBER = "member", _("党员")


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授予人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="rolegrant_one_active_per_user_unit_role",
            ),
        ]
        indexes = [
            # Loading a user's scope on every request.
            models.Index(fields=["user", "revoked_at"], name="rolegrant_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
