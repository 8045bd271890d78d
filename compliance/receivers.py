"""What tells the kept standings (``compliance.standings``) that a cell may have changed.

Extension points only: the rules themselves live in the engine. Each receiver raises the
stamp of the rows concerned inside the transaction that made the change.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from committees.models import CommitteeTerm, TermMember
from compliance import standings
from compliance.models import AnnualDeadline, Rule
from meetings.counts import counts_changed
from organizations.models import Unit


def on_counts_changed(sender, unit_ids, years, **kwargs):
    """Meetings recorded, edited, archived or restored (``meetings.counts.refresh``)."""
    standings.mark(unit_ids, years)


def on_unit_saved(sender, instance, **kwargs):
    """Founded, renamed, dissolved, archived or restored: the unit's branch (all years)."""
    standings.mark([instance.pk])


def on_term_changed(sender, instance, **kwargs):
    """A term or its seats: who was secretary on a 党课's date, whether the branch has a 支委会."""
    standings.mark([instance.unit_id])


def on_seat_changed(sender, instance, **kwargs):
    unit_id = CommitteeTerm.objects.filter(pk=instance.term_id).values_list("unit_id", flat=True).first()
    if unit_id is not None:
        standings.mark([unit_id])


def on_rule_changed(sender, instance, **kwargs):
    """A rule added, tightened or retired: every row."""
    standings.mark()


def on_deadline_changed(sender, instance, **kwargs):
    """The day a 年度's 组织生活会 is judged at: that year's rows."""
    standings.mark(years=[instance.year])


def connect():
    counts_changed.connect(on_counts_changed, dispatch_uid="compliance.standings.counts")
    post_save.connect(on_unit_saved, sender=Unit, dispatch_uid="compliance.standings.unit")
    post_save.connect(on_term_changed, sender=CommitteeTerm, dispatch_uid="compliance.standings.term")
    post_delete.connect(on_term_changed, sender=CommitteeTerm, dispatch_uid="compliance.standings.term_deleted")
    post_save.connect(on_seat_changed, sender=TermMember, dispatch_uid="compliance.standings.seat")
    post_delete.connect(on_seat_changed, sender=TermMember, dispatch_uid="compliance.standings.seat_deleted")
    post_save.connect(on_rule_changed, sender=Rule, dispatch_uid="compliance.standings.rule")
    post_delete.connect(on_rule_changed, sender=Rule, dispatch_uid="compliance.standings.rule_deleted")
    post_save.connect(on_deadline_changed, sender=AnnualDeadline, dispatch_uid="compliance.standings.deadline")
    post_delete.connect(on_deadline_changed, sender=AnnualDeadline, dispatch_uid="compliance.standings.deadline_del")


def refresh_standings(today, units):
    """``run_periodic``: judge the whole committee ahead of the day's first request."""
    return standings.refresh_committee(today)
