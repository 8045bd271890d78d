"""The fixed study days as an iCalendar feed (all-day events), beside the meetings feed."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from meetings.planning import ical_escape, vcalendar


def build(branch, dates: list[datetime.date], *, now: datetime.datetime, host: str = "zhibu") -> str:
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    events = []
    for d in dates:
        events += [
            "BEGIN:VEVENT",
            f"UID:studyday-{branch.pk}-{d:%Y%m%d}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d + datetime.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + ical_escape(_("【固定学习日】%(unit)s") % {"unit": branch.name}),
            "CATEGORIES:" + ical_escape(_("固定学习日")),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    return vcalendar(_("%(unit)s 固定学习日") % {"unit": branch.name}, events)
