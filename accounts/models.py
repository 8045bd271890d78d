"""Roles are rows: (user, unit, role). A grant on a unit covers everything below it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field


class Role(models.TextChoices):
    COMMITTEE_STAFF = "committee_staff", _("机关党委工作人员")
    INSPECTOR = "inspector", _("督查人员")
    SECRETARY = "secretary", _("支部书记")
    COMMITTEE_MEMBER = "committee_member", _("支部委员")
    GROUP_LEADER = "group_leader", _("党小组长")
    MEMBER = "member", _("党员")
    # 三员: the three separated administrators. System-wide (their grants carry no unit) and
    # exclusive: an account holds at most one of them and no business role besides.
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITADMIN = "auditadmin", _("审计管理员")


ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN)
BUSINESS_ROLES = tuple(r for r in Role if r not in ADMIN_ROLES)


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants"
    )
    # Empty for the 三员 roles (they are not tied to a unit), required for every other role.
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="grants",
        null=True,
        blank=True,
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    granted_by = actor_field(_("授予人"))
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
            # 三员 separation: never two of the three administrator roles on one account.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True, role__in=[r.value for r in ADMIN_ROLES]),
                name="rolegrant_one_active_admin_role_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=[r.value for r in ADMIN_ROLES], unit__isnull=True)
                    | (~models.Q(role__in=[r.value for r in ADMIN_ROLES]) & models.Q(unit__isnull=False))
                ),
                name="rolegrant_unit_only_for_business_roles",
            ),
        ]
        indexes = [
            # Loading a user's scope on every request.
            models.Index(fields=["user", "revoked_at"], name="rolegrant_user_idx"),
        ]

    def __str__(self):
        if self.unit_id is None:
            return f"{self.user} · {self.get_role_display()}"
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AccountSecurity(models.Model):
    """Per-account identity state: when the password was last set and whether it must change.

    Created with the account by the administrators' services, or on the first login of an
    account made otherwise (demo data, ``createsuperuser``), whose password age starts then.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="security"
    )
    password_changed_at = models.DateTimeField(_("密码设置时间"))
    # An issued password (new account, reset) must be replaced by the user at the next login.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    # Optimistic locking of the account form (the User row itself has no version).
    version = models.PositiveIntegerField(_("版本"), default=1)
    deactivated_by = actor_field(_("停用人"))

    class Meta:
        verbose_name = _("账号安全信息")
        verbose_name_plural = _("账号安全信息")

    def __str__(self):
        return str(self.user)
