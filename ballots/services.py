"""Every change to an anonymous ballot goes through these functions.

``cast_vote`` is the heart: in ONE transaction it marks the voter's ``Elector`` row as voted
(refusing a second vote with a conditional update, safe against a double submit) and deals the
round's ballot box afresh — every mark, the new ones among them, rewritten in random order with
fresh random keys — so the box never keeps the order, key sequence or writing transaction of a
vote. The audit entry says that the person voted in the round: no choice, no IP address.
"""

from __future__ import annotations

import contextlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import rules
from ballots.models import Ballot, Elector, Item, Round, RoundStatus
from common.audit import log_action
from common.context import current_ip


class BallotError(ValueError):
    """A refused change; ``errors`` maps form fields ("__all__" for the round) to messages."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


def default_min_voters() -> int:
    return int(settings.ZHIBU.get("BALLOT_MIN_VOTERS", 3))


@contextlib.contextmanager
def _without_ip():
    """The vote's audit entry carries no client address: it would tell where a voter sat."""
    token = current_ip.set(None)
    try:
        yield
    finally:
        current_ip.reset(token)


def create_round(
    *,
    unit,
    title: str,
    options: list[str],
    items: list[dict],
    electors: list[dict],
    actor,
    min_voters: int | None = None,
) -> Round:
    """A draft round. ``items``: [{"key", "label", "member_id"?}]; ``electors``: [{"name",
    "user_id"?, "member_id"?}] — the electorate, fixed here."""
    with transaction.atomic():
        rnd = Round.objects.create(
            unit=unit,
            title=title[:200],
            options=list(options),
            min_voters=default_min_voters() if min_voters is None else min_voters,
        )
        Item.objects.bulk_create(
            Item(round=rnd, key=str(i["key"]), label=i["label"][:200], member_id=i.get("member_id"), position=n)
            for n, i in enumerate(items)
        )
        Elector.objects.bulk_create(
            Elector(round=rnd, name=e["name"][:100], user_id=e.get("user_id"), member_id=e.get("member_id"))
            for e in sorted(electors, key=lambda e: e["name"])
        )
        log_action(
            "ballots.round.created",
            actor=actor,
            obj=rnd,
            unit=unit,
            data={"electors": len(electors), "items": len(items), "min_voters": rnd.min_voters},
        )
    return rnd


def open_round(rnd: Round, *, actor) -> Round:
    if rnd.status != RoundStatus.DRAFT:
        raise BallotError(_("只有准备中的投票可以开始。"))
    with transaction.atomic():
        rnd.status, rnd.opened_at = RoundStatus.OPEN, timezone.now()
        rnd.save(update_fields=["status", "opened_at"])
        log_action("ballots.round.opened", actor=actor, obj=rnd, unit=rnd.unit)
    return rnd


def close_round(rnd: Round, *, actor) -> Round:
    if rnd.status != RoundStatus.OPEN:
        raise BallotError(_("该投票不在进行中。"))
    with transaction.atomic():
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, timezone.now()
        rnd.save(update_fields=["status", "closed_at"])
        log_action("ballots.round.closed", actor=actor, obj=rnd, unit=rnd.unit, data={"voters": voter_count(rnd)})
    return rnd


def elector_of(rnd: Round, *, user=None, member=None) -> Elector | None:
    """The elector ``member`` (a party member) or ``user`` (a login, or the login of a member)."""
    if member is not None:
        return rnd.electors.filter(member=member).first()
    if user is None or not getattr(user, "pk", None):
        return None
    return rnd.electors.filter(Q(user_id=user.pk) | Q(member__user_id=user.pk)).first()


def items_for(rnd: Round, elector: Elector | None) -> list[Item]:
    """The items ``elector`` votes on: all but the one about themselves."""
    items = list(rnd.items.order_by("position", "id"))
    if elector is not None and elector.member_id is not None:
        items = [i for i in items if i.member_id != elector.member_id]
    return items


def cast_vote(rnd: Round, choices: dict[str, str], *, actor, member=None) -> int:
    """Put the marks {item key: option} of one voter in the box (blanks abstain). The voter is
    ``member`` if given, else the acting user. Returns the number of marks."""
    elector = elector_of(rnd, member=member, user=actor if member is None else None)
    if rnd.status != RoundStatus.OPEN:
        raise BallotError(_("该投票不在进行中。"))
    if elector is None:
        raise BallotError(_("投票：您不在本次投票的投票人名单中。"))
    items = {i.key: i for i in items_for(rnd, elector)}
    choices = {str(k): v for k, v in choices.items()}
    errors = rules.choice_errors(choices, options=rnd.options, items={k: i.label for k, i in items.items()})
    if errors:
        raise BallotError(errors)
    marks = [(items[k].pk, v) for k, v in choices.items() if v]
    with transaction.atomic():
        # One voter at a time per round: the box is read and rewritten whole.
        Round.objects.select_for_update().filter(pk=rnd.pk).first()
        # Conditional update: of two submissions at once, only one finds voted=False.
        if not Elector.objects.filter(pk=elector.pk, voted=False).update(voted=True):
            raise BallotError(_("您已参加过本次投票，每人只能投一次。"))
        _deal(rnd, marks)
        with _without_ip():
            log_action("ballots.vote.cast", actor=actor, obj=rnd, unit=rnd.unit)
    return len(marks)


def _deal(rnd: Round, new_marks: list[tuple[int, str]]) -> None:
    """Rewrite the round's whole box, the new marks among the old, in random order with fresh
    random keys: storage order, key order and the writing transaction are the same for every
    mark, so none of them points at a voter."""
    box = list(Ballot.objects.filter(round=rnd).values_list("item_id", "choice")) + list(new_marks)
    secrets.SystemRandom().shuffle(box)
    Ballot.objects.filter(round=rnd).delete()
    Ballot.objects.bulk_create(Ballot(round=rnd, item_id=item_id, choice=choice) for item_id, choice in box)


# ---------------------------------------------------------------------------------------------
# Reading: turnout for everybody who reads the round, names for the organiser, counts after close.


def voter_count(rnd: Round) -> int:
    return rnd.electors.filter(voted=True).count()


def turnout(rnd: Round) -> dict:
    """``electors`` and ``voters`` (numbers only)."""
    row = rnd.electors.aggregate(electors=Count("id"), voters=Count("id", filter=Q(voted=True)))
    return {"electors": row["electors"], "voters": row["voters"]}


def not_voted(rnd: Round) -> list[str]:
    """Names of the electors who have not voted yet, for the organiser's reminder."""
    return list(rnd.electors.filter(voted=False).order_by("name", "id").values_list("name", flat=True))


def voted_member_ids(rnd: Round) -> set[int]:
    """Members who voted (the appraisal's quorum counts them). Who, never how."""
    return set(rnd.electors.filter(voted=True, member__isnull=False).values_list("member_id", flat=True))


def has_voted(rnd: Round, *, user=None, member=None) -> bool:
    elector = elector_of(rnd, user=user, member=member)
    return bool(elector and elector.voted)


def voted_in(round_ids, *, user) -> set[int]:
    """Of the rounds ``round_ids``, those in which ``user`` (or their member record) has voted."""
    if not getattr(user, "pk", None):
        return set()
    return set(
        Elector.objects.filter(round_id__in=list(round_ids), voted=True)
        .filter(Q(user_id=user.pk) | Q(member__user_id=user.pk))
        .values_list("round_id", flat=True)
    )


def results(rnd: Round) -> rules.Results:
    """Turnout always; the breakdown only once closed and with enough voters (``rules.results``)."""
    return results_for([rnd])[rnd.pk]


def results_for(rounds) -> dict[int, rules.Results]:
    """``results`` of many rounds in three queries, whatever their number: {round id: Results}."""
    rounds = list(rounds)
    ids = [r.pk for r in rounds]
    counts = {
        row["round_id"]: row
        for row in Elector.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(electors=Count("id"), voters=Count("id", filter=Q(voted=True)))
        .order_by()
    }
    countable = [
        r.pk
        for r in rounds
        if r.status == RoundStatus.CLOSED and counts.get(r.pk, {}).get("voters", 0) >= max(r.min_voters, 1)
    ]
    marks: dict[int, dict] = {}
    for round_id, key, choice, n in (
        Ballot.objects.filter(round_id__in=countable)
        .values_list("round_id", "item__key", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        marks.setdefault(round_id, {})[(key, choice)] = n
    items: dict[int, list] = {}
    for round_id, key, label in (
        Item.objects.filter(round_id__in=ids).order_by("position", "id").values_list("round_id", "key", "label")
    ):
        items.setdefault(round_id, []).append((key, label))
    return {
        r.pk: rules.results(
            closed=r.status == RoundStatus.CLOSED,
            electors=counts.get(r.pk, {}).get("electors", 0),
            voters=counts.get(r.pk, {}).get("voters", 0),
            min_voters=r.min_voters,
            options=r.options,
            items=items.get(r.pk, []),
            marks=marks.get(r.pk, {}),
        )
        for r in rounds
    }
