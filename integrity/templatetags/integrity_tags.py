"""``{% integrity_badge meeting %}``: a record's integrity signals in one line (meeting detail page).

Renders nothing unless the reader may see integrity signals on the record."""

from django import template

from integrity import permissions, views

register = template.Library()


@register.inclusion_tag("integrity/_signals_badge.html", takes_context=True)
def integrity_badge(context, meeting):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can(user, "meeting.view", meeting):
        return {"meeting": meeting, "integrity_signals": []}
    findings = views.meeting_findings(meeting)
    paths = views._readable_paths(user)
    return {
        "meeting": meeting,
        "integrity_signals": [views._present(s, findings, paths) for s in findings.for_meeting(meeting.pk)],
    }
