"""Extension points of the member page, filled by the apps above from ``AppConfig.ready()``.

``member_panels``: sections of the 职务与职责 tab of a member's page (committees: the seats the
member holds and their duties; recognition: the member's 五带头 cards). Each is a
``common.registry.Panel`` whose ``context(request, member)`` returns the template's context, or
None when it does not show."""

from __future__ import annotations

from common.registry import Panel, Registry

member_panels: Registry[Panel] = Registry("member_panels")
