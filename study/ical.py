"""The fixed study days as an iCalendar feed (all-day events), beside the meetings feed."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from meetings.planning import fold_line, ical_escape


def build(branch, dates: list[datetime.date], *, now: datetime.datetime, host: str = "zhibu") -> str:
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Zhibu//支部工作台//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ical_escape(_("%(unit)s 固定学习日") % {"unit": branch.name}),
    ]
    for d in dates:
        lines += [
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
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
