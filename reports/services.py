"""Exporting documents: build the file and write the audit entry (who exported what, when)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.audit import log_action
from meetings.models import Meeting
from organizations.models import Unit
from reports import minutes_book, notice
from reports.minutes_book import Export


def _export(actor) -> Export:
    name = (actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else ""
    return Export(by=name or "—", at=timezone.now())


def export_minutes_book(unit: Unit, year: int, *, actor) -> tuple[bytes, int]:
    """The unit's minutes book (会议记录本) for ``year``: (.docx bytes, number of meetings)."""
    content, count = minutes_book.build_minutes_book(unit, year, export=_export(actor))
    with transaction.atomic():
        log_action(
            "reports.minutes_book.exported",
            actor=actor,
            obj=unit,
            unit=unit,
            data={"year": year, "meetings": count},
        )
    return content, count


def export_notice(meeting: Meeting, *, actor) -> bytes:
    """The meeting notice (会议通知) of ``meeting`` as .docx."""
    content = notice.build_notice(meeting, export=_export(actor))
    with transaction.atomic():
        log_action(
            "reports.notice.exported",
            actor=actor,
            obj=meeting,
            unit=meeting.unit,
            data={"date": meeting.date.isoformat(), "topic": meeting.topic},
        )
    return content
