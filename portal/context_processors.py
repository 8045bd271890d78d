from django.urls import reverse

from accounts.context_processors import roles
from common.registry import NAV_GROUPS, navigation


def nav(request):
    """``nav_groups``: the main navigation bar, from ``common.registry.navigation``.

    A group of business pages shows only to users with a business role; the administrators'
    group always shows (possibly empty). Each entry's own test decides on the reader's flags
    (``accounts.context_processors.roles``: the scope is loaded once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    flags = roles(request)
    match = getattr(request, "resolver_match", None)
    app, url = (match.app_name or "", match.url_name or "") if match else ("", "")
    entries = list(navigation)
    groups = []
    for group, business in NAV_GROUPS:
        if business and not flags.get("has_business_role"):
            continue
        shown = []
        for entry in entries:
            if entry.group == group and entry.visible(flags):
                active = entry.is_active(app, url)
                shown.append(
                    {
                        "label": entry.label,
                        "url": reverse(entry.url_name),
                        "active": active,
                        "current": active and entry.aria_current,
                    }
                )
        groups.append({"key": group, "entries": shown})
    return {"nav_groups": groups}
