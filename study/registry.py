"""Extension points of the study pages. Apps above ``study`` fill them from their
``AppConfig.ready()``; ``study`` names none of them.

- Dashboard panels: a function ``(request) -> str | None`` returns a card of safe HTML
  (``render_to_string``, ``format_html``; a plain ``str`` is escaped) for the study dashboard
  (学习情况汇总), or None when it has nothing for the reader (compliance: the study-day rule, for
  the rule managers).
"""

from __future__ import annotations

from collections.abc import Callable

DashboardPanel = Callable[..., "str | None"]

_dashboard_panels: list[DashboardPanel] = []


def register_dashboard_panel(panel: DashboardPanel) -> DashboardPanel:
    """Add ``panel`` to the study dashboard (usable as a decorator; registering the same function
    twice keeps one)."""
    if panel not in _dashboard_panels:
        _dashboard_panels.append(panel)
    return panel


def dashboard_panels(request) -> list[str]:
    """The cards the registered apps show ``request.user`` on the study dashboard, in order."""
    return [html for panel in _dashboard_panels if (html := panel(request)) is not None]
