# Every appraisal round gets its anonymous ballot: the roll becomes the electorate (voted or not),
# each graded member an item, each vote a mark in the box — dealt in random order with random
# keys, so the link between a voter and their grades (AppraisalVote.voter) is dropped here.
# Totals per member and grade are kept exactly.

import secrets

from django.conf import settings
from django.db import migrations

GRADES = ["excellent", "qualified", "basic", "unqualified"]
STATUS = {"draft": "draft", "voting": "open", "closed": "closed", "decided": "closed"}


def forward(apps, schema_editor):
    AppraisalRound = apps.get_model("rectification", "AppraisalRound")
    AppraisalResult = apps.get_model("rectification", "AppraisalResult")
    AppraisalVote = apps.get_model("rectification", "AppraisalVote")
    Round = apps.get_model("ballots", "Round")
    Item = apps.get_model("ballots", "Item")
    Elector = apps.get_model("ballots", "Elector")
    Ballot = apps.get_model("ballots", "Ballot")
    min_voters = int(settings.ZHIBU.get("BALLOT_MIN_VOTERS", 3))
    shuffle = secrets.SystemRandom().shuffle
    for rnd in AppraisalRound.objects.filter(ballot__isnull=True).select_related("unit").order_by("pk"):
        ballot = Round.objects.create(
            unit_id=rnd.unit_id,
            title=f"{rnd.unit.name} {rnd.year}年度民主评议党员",
            options=GRADES,
            status=STATUS.get(rnd.status, "closed"),
            min_voters=min_voters,
            opened_at=rnd.created_at if rnd.status != "draft" else None,
            closed_at=rnd.decided_at if rnd.status == "decided" else None,
        )
        results = list(
            AppraisalResult.objects.filter(round=rnd).select_related("member").order_by("member__name", "member_id")
        )
        votes = list(AppraisalVote.objects.filter(round=rnd).values_list("voter_id", "appraisee_id", "grade"))
        voters = {v for v, _a, _g in votes}
        items = {}
        graded = [r for r in results if r.graded]
        # A vote for somebody no longer graded still counts: give them an item too.
        extra = {a for _v, a, _g in votes} - {r.member_id for r in graded}
        names = {r.member_id: r.member.name for r in results}
        for n, (member_id, label) in enumerate(
            [(r.member_id, r.member.name) for r in graded] + [(m, names.get(m, str(m))) for m in sorted(extra)]
        ):
            items[member_id] = Item.objects.create(
                round=ballot, key=str(member_id), label=label[:200], member_id=member_id, position=n
            )
        on_roll = {r.member_id for r in results}
        Elector.objects.bulk_create(
            [
                Elector(
                    round=ballot,
                    name=r.member.name[:100],
                    member_id=r.member_id,
                    user_id=r.member.user_id,
                    voted=r.member_id in voters,
                )
                for r in results
            ]
        )
        Member = apps.get_model("members", "Member")
        for member in Member.objects.filter(pk__in=voters - on_roll).order_by("name", "pk"):
            Elector.objects.create(
                round=ballot, name=member.name[:100], member_id=member.pk, user_id=member.user_id, voted=True
            )
        marks = [(items[a].pk, g) for _v, a, g in votes]
        shuffle(marks)
        Ballot.objects.bulk_create([Ballot(round=ballot, item_id=i, choice=g) for i, g in marks])
        rnd.ballot = ballot
        rnd.save(update_fields=["ballot"])


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
        ("rectification", "0002_appraisalround_ballot"),
    ]

    # No way back: the link between a voter and their grades is gone on purpose.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
