"""Readable Chinese labels for the audit action codes of the ballots app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "ballots.round.created": _("建立无记名投票"),
    "ballots.round.opened": _("开始投票"),
    "ballots.round.closed": _("结束投票"),
    # That the person voted in the round; never what, never from where (no IP).
    "ballots.vote.cast": _("参加无记名投票"),
}

logdisplay.register(ACTIONS)
