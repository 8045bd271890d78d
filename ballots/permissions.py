"""Who may do what with an anonymous ballot: the app's one policy.

A round belongs to a using app (民主评议 in ``rectification``, 述职评议 in ``assessments``), whose
policy decides who reads the round page and who organises it. This policy adds what holds for every
ballot, whoever reads it:

| action        | who                                                                  |
|---------------|----------------------------------------------------------------------|
| vote          | an elector of the round, while it is open, who has not voted yet      |
| turnout       | anybody the using app lets read the round (numbers only)             |
| not_voted     | the organiser (the using app's manage right), while the round is open |
| results       | anybody who reads the round, once it is closed (breakdown only with enough voters) |

Nobody, whatever the role, sees who chose what: no view, export or log entry has it.
"""

from __future__ import annotations

from ballots.models import Round, RoundStatus
from ballots.services import elector_of

ACTIONS = {"vote", "not_voted", "results"}


def can(user, action: str, obj: Round, *, organiser: bool = False, member=None) -> bool:
    """``organiser``: the using app's answer to "may this user manage the round"; ``member``: vote
    as this party member (default: the user's own elector)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or obj is None:
        return False
    if action == "vote":
        if obj.status != RoundStatus.OPEN:
            return False
        elector = elector_of(obj, member=member, user=user if member is None else None)
        return elector is not None and not elector.voted
    if action == "not_voted":
        return organiser and obj.status == RoundStatus.OPEN
    return obj.status == RoundStatus.CLOSED
