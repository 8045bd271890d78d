"""Party members and their memberships of branches and party groups over time."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import Archivable, ArchivableQuerySet
from members import crypto
from members.fields import EncryptedTextField
from members.idnumbers import normalize as normalize_id_number
from members.rules import normalize_phone
from organizations.models import UnitKind


def id_number_hash(value: str) -> str:
    """The keyed lookup hash of a 公民身份号码 (normalized first: spaces dropped, x → X)."""
    return crypto.lookup_hash(normalize_id_number(value), purpose="id_number")


def phone_hash(value: str) -> str:
    """The keyed lookup hash of a phone number (spaces and hyphens dropped first)."""
    return crypto.lookup_hash(normalize_phone(value), purpose="phone")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class MemberCategory(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberQuerySet(ArchivableQuerySet):
    # 公民身份号码 and phone are encrypted (members/fields.py): look them up by their keyed hash.
    def with_id_number(self, value: str):
        return self.filter(id_number_hash=id_number_hash(value)) if value else self.none()

    def with_id_numbers(self, values):
        return self.filter(id_number_hash__in={id_number_hash(v) for v in values if v})

    def with_phone(self, value: str):
        return self.filter(phone_hash=phone_hash(value)) if normalize_phone(value) else self.none()

    def by_id_number(self, value: str):
        """The member with this 公民身份号码, or ``None``."""
        return self.with_id_number(value).first()

    def in_unit_on(self, unit, day: datetime.date):
        """Members who belonged to ``unit`` (a branch or a party group) on ``day``."""
        rows = (GroupMembership if unit.kind == UnitKind.PARTY_GROUP else BranchMembership).objects.filter(
            models.Q(end_on__isnull=True) | models.Q(end_on__gt=day), unit=unit, start_on__lte=day
        )
        # One subquery, so that all three conditions hold for the *same* membership row (two
        # chained filters across a to-many relation would each join a row of their own).
        return self.filter(pk__in=rows.values("member_id"))

    def with_open_memberships(self):
        """Prefetch the open branch and group rows as the lists ``open_branches`` / ``open_groups``."""
        return self.prefetch_related(
            models.Prefetch(
                "branch_memberships",
                queryset=BranchMembership.objects.filter(end_on__isnull=True).select_related("unit"),
                to_attr="open_branches",
            ),
            models.Prefetch(
                "group_memberships",
                queryset=GroupMembership.objects.filter(end_on__isnull=True).select_related("unit"),
                to_attr="open_groups",
            ),
        )

    def current_in_subtree(self, unit):
        """Members whose open branch or group membership lies in ``unit``'s subtree."""
        return self.filter(
            branch_memberships__end_on__isnull=True, branch_memberships__unit__path__startswith=unit.path
        )


class Member(Archivable):
    name = models.CharField(_("姓名"), max_length=50)
    # Pinyin initials of the name (张三 → zs) for search; kept in step by the services.
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    # Encrypted at rest (AES-GCM, members/crypto.py); unique and searchable through the hash.
    id_number = EncryptedTextField(_("公民身份号码"), max_length=18)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    category = models.CharField(_("人员类别"), max_length=20, choices=MemberCategory.choices)
    joined_on = models.DateField(_("入党日期"))
    full_member_on = models.DateField(_("转正日期"), null=True, blank=True)
    phone = EncryptedTextField(_("手机号码"), max_length=20, blank=True)
    department = models.CharField(_("工作部门"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    is_leading_cadre = models.BooleanField(_("领导干部"), default=False)
    # Keyed hashes (HMAC-SHA-256) of the two encrypted fields, kept in step by ``save()`` and the
    # services: exact-match lookup and duplicate detection without decrypting every row.
    id_number_hash = models.CharField(_("公民身份号码哈希"), max_length=64, editable=False)
    phone_hash = models.CharField(_("手机号码哈希"), max_length=64, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["name", "id"]
        constraints = [
            # One record per person: the same 公民身份号码 cannot be registered twice.
            models.UniqueConstraint(fields=["id_number_hash"], name="member_id_number_hash_unique"),
        ]
        indexes = [
            # Finding a member by phone number (Member.objects.with_phone).
            models.Index(fields=["phone_hash"], name="member_phone_hash_idx"),
        ]

    def __str__(self):
        return self.name

    def sync_lookup_hashes(self) -> list[str]:
        """Recompute the lookup hashes from the plain values; return the hash fields' names."""
        self.id_number_hash = id_number_hash(self.id_number or "")
        self.phone_hash = phone_hash(self.phone or "")
        return ["id_number_hash", "phone_hash"]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"id_number", "phone"} & set(update_fields):
            hashes = self.sync_lookup_hashes()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *hashes}
        super().save(*args, **kwargs)

    def current_branch_membership(self):
        for m in self.branch_memberships.all():
            if m.end_on is None:
                return m
        return None

    def current_group_membership(self):
        for m in self.group_memberships.all():
            if m.end_on is None:
                return m
        return None


class MembershipBase(models.Model):
    """A member's time in one unit: the dates, the constraints and the index both kinds share.

    The names of the constraints and the index are spelt from the concrete class
    (``branchmembership_…``, ``groupmembership_…``)."""

    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["start_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(end_on__isnull=True), name="%(class)s_one_open_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="%(class)s_end_after_start",
            ),
        ]
        indexes = [
            # "Who belonged to branch (or party group) X on date D": filter by unit, then by the dates.
            models.Index(fields=["unit", "start_on", "end_on"], name="%(class)s_unit_idx"),
        ]

    def __str__(self):
        return f"{self.member} @ {self.unit} {self.start_on}–{self.end_on or ''}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on > day)


def membership_keys(unit_label, related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """The ``member`` and ``unit`` keys of a kind of membership (both reached from the member
    and the unit as ``related_name``)."""
    return (
        models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name=related_name),
        models.ForeignKey(
            "organizations.Unit", verbose_name=unit_label, on_delete=models.PROTECT, related_name=related_name
        ),
    )


class BranchMembership(MembershipBase):
    """A member's time in one branch. A transfer closes this row and opens another."""

    member, unit = membership_keys(_("党支部"), "branch_memberships")

    class Meta(MembershipBase.Meta):
        verbose_name = _("支部隶属")
        verbose_name_plural = _("支部隶属")


class GroupMembership(MembershipBase):
    """A member's time in one party group (optional)."""

    member, unit = membership_keys(_("党小组"), "group_memberships")

    class Meta(MembershipBase.Meta):
        verbose_name = _("党小组隶属")
        verbose_name_plural = _("党小组隶属")
