# Every submitted duty report gets its anonymous ballot: DutyBallot rows (who voted) become
# electors who voted, DutyTally counts become marks in the box (random keys, random order), so
# the totals are kept exactly. An open report's electorate is completed as the service would
# fix it at submission (the branch's members with a login and the staff and inspectors over the
# branch, never the reporter), so the not-yet-voted list is right; a closed one keeps its voters.

import secrets

from django.conf import settings
from django.db import migrations

CHOICES = ["satisfied", "basically", "unsatisfied"]
SCORERS = ("committee_staff", "inspector")
PATH_STEP = 7


def _name(user, members):
    member = members.get(user.pk)
    if member is not None:
        return member.name, member.pk
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.username, None


def forward(apps, schema_editor):
    DutyReport = apps.get_model("assessments", "DutyReport")
    DutyBallot = apps.get_model("assessments", "DutyBallot")
    DutyTally = apps.get_model("assessments", "DutyTally")
    Member = apps.get_model("members", "Member")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    Round = apps.get_model("ballots", "Round")
    Item = apps.get_model("ballots", "Item")
    Elector = apps.get_model("ballots", "Elector")
    Ballot = apps.get_model("ballots", "Ballot")
    min_voters = int(settings.ZHIBU.get("BALLOT_MIN_VOTERS", 3))
    shuffle = secrets.SystemRandom().shuffle
    reports = DutyReport.objects.filter(ballot__isnull=True).exclude(status="draft").select_related("unit", "reporter")
    for report in reports.order_by("pk"):
        ballot = Round.objects.create(
            unit_id=report.unit_id,
            title=f"{report.unit.name} {report.year}年度书记抓党建述职"[:200],
            options=CHOICES,
            status="open" if report.status == "open" else "closed",
            min_voters=min_voters,
            opened_at=report.submitted_at,
            closed_at=report.closed_at if report.status != "open" else None,
        )
        item = Item.objects.create(round=ballot, key="report", label=report.title[:200], position=0)
        voted = {b.voter_id: b.voter for b in DutyBallot.objects.filter(report=report).select_related("voter")}
        people = dict(voted)
        if report.status == "open":
            branch = Member.objects.filter(
                archived_at__isnull=True,
                branch_memberships__unit=report.unit,
                branch_memberships__end_on__isnull=True,
                user__isnull=False,
            ).exclude(pk=report.reporter_id)
            for member in branch.select_related("user"):
                people.setdefault(member.user_id, member.user)
            path = report.unit.path
            ancestors = [path[: i + PATH_STEP] for i in range(0, len(path), PATH_STEP)]
            grants = RoleGrant.objects.filter(
                revoked_at__isnull=True, role__in=SCORERS, unit__path__in=ancestors, user__is_active=True
            ).select_related("user")
            for grant in grants:
                if grant.user_id != report.reporter.user_id:
                    people.setdefault(grant.user_id, grant.user)
        members = {m.user_id: m for m in Member.objects.filter(user_id__in=list(people))}
        electors = []
        for user_id, user in people.items():
            name, member_id = _name(user, members)
            electors.append(
                Elector(round=ballot, name=name[:100], user_id=user_id, member_id=member_id, voted=user_id in voted)
            )
        electors.sort(key=lambda e: e.name)
        Elector.objects.bulk_create(electors)
        marks = [
            choice
            for choice, count in DutyTally.objects.filter(report=report).values_list("choice", "count")
            for _n in range(count)
        ]
        shuffle(marks)
        Ballot.objects.bulk_create([Ballot(round=ballot, item=item, choice=c) for c in marks])
        report.ballot = ballot
        report.save(update_fields=["ballot"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_admin_roles_account_security"),
        ("members", "0001_initial"),
        ("organizations", "0001_initial"),
        ("assessments", "0002_dutyreport_ballot"),
    ]

    # No way back: who voted and the counts are kept, nothing more ever was.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
