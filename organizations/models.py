"""The organisation tree: committee → (general branch) → branch → party group."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import Archivable, ArchivableQuerySet


class UnitKind(models.TextChoices):
    COMMITTEE = "committee", _("机关党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    PARTY_GROUP = "party_group", _("党小组")


# Which kinds may sit directly below which (None: the root).
ALLOWED_PARENT_KINDS = {
    UnitKind.COMMITTEE: {None, UnitKind.COMMITTEE},
    UnitKind.GENERAL_BRANCH: {UnitKind.COMMITTEE},
    UnitKind.BRANCH: {UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH},
    UnitKind.PARTY_GROUP: {UnitKind.BRANCH},
}

# Default term length (届) by kind: 机关党委 5 years, branches 3 (党和国家机关基层组织工作条例, 2019).
DEFAULT_TERM_YEARS = {
    UnitKind.COMMITTEE: 5,
    UnitKind.GENERAL_BRANCH: 3,
    UnitKind.BRANCH: 3,
    UnitKind.PARTY_GROUP: 3,
}

PATH_STEP = 7  # characters per level in the materialized path: 6 digits and a slash


class UnitQuerySet(ArchivableQuerySet):
    def subtree(self, unit):
        """The unit and everything below it, in one query (materialized path prefix)."""
        return self.filter(path__startswith=unit.path)

    def existing_on(self, day: datetime.date):
        """Units founded on or before ``day`` and not dissolved by then."""
        return self.filter(founded_on__lte=day).filter(
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=day)
        )

    def existing_during(self, start: datetime.date, end: datetime.date):
        """Units that existed on at least one day of [start, end]: founded by ``end`` and not
        dissolved by ``start`` (a unit dissolved on a day no longer exists that day)."""
        return self.filter(founded_on__lte=end).filter(
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=start)
        )

    def branches(self):
        return self.filter(kind=UnitKind.BRANCH)


class Unit(Archivable):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialized path "000001/000007/": subtree = path prefix; depth = len(path) / PATH_STEP.
    path = models.CharField(_("路径"), max_length=255, blank=True, db_index=True, editable=False)
    founded_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), default=3)
    department = models.CharField(_("对应部门"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gte=models.F("founded_on")),
                name="unit_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def exists_on(self, day: datetime.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and each of its ancestors, root first."""
        return [self.path[: i + PATH_STEP] for i in range(0, len(self.path), PATH_STEP)]

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    def save(self, *args, **kwargs):
        # The materialized path needs the primary key, so a new unit is saved twice.
        super().save(*args, **kwargs)
        expected = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}/"
        if self.path != expected:
            self.path = expected
            Unit.objects.filter(pk=self.pk).update(path=expected)
