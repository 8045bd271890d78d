"""What lifemeetings adds to a meeting's detail page (``meetings.registry``), registered on
import from ``LifeMeetingsConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lifemeetings import permissions
from meetings.models import BuiltinKind
from meetings.registry import register_detail_link


@register_detail_link(order=20)
def life_meeting_page(user, meeting, kinds):
    """The 组织生活会 package page of this sitting (talks, criticism, problems), if the reader may open it."""
    if any(k.code == BuiltinKind.LIFE_MEETING for k in kinds) and permissions.can(user, "package.view", meeting):
        return reverse("lifemeetings:meeting.detail", args=[meeting.pk]), _("组织生活会：批评与自我批评、查摆问题")
    return None
