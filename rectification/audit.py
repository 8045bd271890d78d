"""Readable Chinese labels for the audit action codes of the rectification app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "rectification.item.created": _("新增整改事项"),
    "rectification.item.changed": _("修改整改事项"),
    "rectification.item.started": _("开始整改"),
    "rectification.item.submitted": _("提交整改验收"),
    "rectification.item.verified": _("整改验收销号"),
    "rectification.item.returned": _("退回整改"),
    "rectification.item.archived": _("归档整改事项"),
    "rectification.item.restored": _("恢复整改事项"),
    "rectification.evidence.added": _("上传整改佐证材料"),
    "rectification.ledger.exported": _("导出整改台账"),
    "rectification.round.created": _("新建民主评议"),
    "rectification.round.voting_opened": _("开始民主评议投票"),
    "rectification.round.voting_closed": _("结束民主评议投票"),
    "rectification.round.decided": _("民主评议评定等次"),
    "rectification.round.archived": _("归档民主评议"),
    "rectification.round.restored": _("恢复民主评议"),
    "rectification.result.self_assessed": _("填写个人自评"),
    # Entries written before votes moved to ``ballots`` (now ``ballots.vote.cast``).
    "rectification.ballot.cast": _("民主评议投票"),
}

logdisplay.register(ACTIONS)
