"""The anonymous ballot (无记名投票) that 民主评议党员 and 述职评议 both use.

Four tables, and only one of them says who voted:

- ``Round``: what is voted on (its ``Item`` rows), the options (codes, data of the round), the
  electorate (its ``Elector`` rows), draft → open → closed, and the minimum number of voters
  below which a closed round publishes no breakdown.
- ``Elector``: one person of the electorate and whether they have voted. No choice, no time.
- ``Ballot``: one mark (item + option) in the round's ballot box. No voter, no user, no IP, no
  time, a random UUID key; the box is dealt afresh in random order at every vote, so neither
  key order nor storage order nor the writing transaction ties a mark to a voter
  (docs/ballots.md).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import actor_field


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("投票结束")


class Round(models.Model):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    # Option codes in display order (e.g. the four grades, or 满意/基本满意/不满意); the using
    # app names them.
    options = models.JSONField(_("选项"), default=list)
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    # Fixed when the round is made, so a later change of ZHIBU_BALLOT_MIN_VOTERS reveals nothing.
    min_voters = models.PositiveSmallIntegerField(_("公布结果的最少投票人数"))
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束投票时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("无记名投票")
        verbose_name_plural = _("无记名投票")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class Item(models.Model):
    """One thing voted on: a member appraised, or the duty report."""

    round = models.ForeignKey(Round, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("编号"), max_length=40)
    label = models.CharField(_("名称"), max_length=200)
    # The person voted on, if any: their own elector does not vote on this item.
    member = models.ForeignKey(
        "members.Member", verbose_name=_("被评议人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("投票事项")
        verbose_name_plural = _("投票事项")
        ordering = ["round", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="ballots_item_key_once_per_round")]

    def __str__(self):
        return self.label


class Elector(models.Model):
    """One person who may vote in the round, and whether they have. Nothing about how."""

    round = models.ForeignKey(Round, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="electors")
    user = actor_field(_("用户"))
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=100)
    # Set once, in the transaction that puts the marks in the box; no time is kept.
    voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        ordering = ["round", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], condition=models.Q(user__isnull=False), name="ballots_elector_user_once"
            ),
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=models.Q(member__isnull=False),
                name="ballots_elector_member_once",
            ),
        ]

    def __str__(self):
        return self.name


class Ballot(models.Model):
    """One mark in the ballot box: an option for an item. No voter, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="ballots")
    item = models.ForeignKey(Item, verbose_name=_("投票事项"), on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("选项"), max_length=20)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        # The random key: any listing comes out in an order that means nothing.
        ordering = ["id"]
        indexes = [
            # The count: marks of one round grouped by item and option.
            models.Index(fields=["round", "item", "choice"], name="ballots_ballot_count_idx"),
        ]

    def __str__(self):
        return f"{self.round_id}: {self.item_id} {self.choice}"
