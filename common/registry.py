"""Extension points: ordered registries that higher apps fill from their ``AppConfig.ready()``.

A lower app defines a registry and reads it; it never imports the apps that fill it. Each entry
has a ``key`` (registering the same key again replaces the entry, so a repeated ``ready()`` adds
nothing) and an ``order`` (entries are read by ascending order, then by registration).

The registries that have no better home live here (the composition app ``portal`` reads them):

- ``home_panels``: sections of the home page (:class:`Panel`);
- ``navigation``: entries of the main navigation bar (:class:`NavEntry`).

Others live with the type they are about: the branch page's links, panels, member counts and
dissolution guards in ``organizations.registry``, the member page's panels in
``members.registry``, periodic jobs in ``notifications.services.register_periodic`` and the audit
labels in ``common.logdisplay``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar


class Entry(Protocol):
    key: str
    order: int


E = TypeVar("E", bound=Entry)


class Registry(Generic[E]):
    """An ordered set of entries, keyed by ``entry.key``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, E] = {}

    def register(self, entry: E) -> E:
        # A replaced entry keeps its place among those of the same order.
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[E]:
        positions = {key: i for i, key in enumerate(self._entries)}
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, positions[e.key])))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries)}>"


@dataclass(frozen=True)
class Panel:
    """A section of a composed page: ``context(...)`` returns the template's context, or None
    when the panel is not shown to this reader. The arguments depend on the page (home page:
    ``(user, today)``; branch page: ``(request, unit, today)``; member page: ``(request, member)``)."""

    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation bar.

    ``visible(nav)`` decides from the navigation flags of ``accounts.context_processors.roles``
    (``is_officer``, ``is_committee_staff``, …) whether the reader sees it; entries of a
    business ``group`` show only to users with a business role. ``active(app, url_name)`` marks
    the entry of the current page (default: any page of ``app``).
    """

    key: str
    label: str
    url_name: str
    group: str
    order: int = 100
    visible: Callable[[dict[str, Any]], bool] = field(default=lambda nav: True)
    active: Callable[[str, str], bool] | None = None
    app: str = ""
    aria_current: bool = False  # the active entry also says aria-current="page"

    def is_active(self, app: str, url_name: str) -> bool:
        if self.active is not None:
            return self.active(app, url_name)
        return app == (self.app or self.url_name.split(":", 1)[0])


@dataclass(frozen=True)
class ShownPanel:
    """A panel with the context it was given for one page view (``{% render_panel %}`` draws it)."""

    key: str
    template: str
    context: dict[str, Any]
    order: int = 100


def shown_panels(registry: Registry[Panel], *args: Any) -> list[ShownPanel]:
    """The panels of ``registry`` that show for these arguments, in order."""
    out = []
    for panel in registry:
        context = panel.context(*args)
        if context is not None:
            out.append(ShownPanel(panel.key, panel.template, context, panel.order))
    return out


# The groups of the navigation bar, in order. ``business``: shown only with a business role.
NAV_GROUPS: tuple[tuple[str, bool], ...] = (
    ("organization", True),
    ("work", True),
    ("study", True),
    ("judgement", True),
    ("admin", False),
)

home_panels: Registry[Panel] = Registry("home_panels")
navigation: Registry[NavEntry] = Registry("navigation")


def add_nav(
    label,
    url_name: str,
    group: str,
    order: int,
    *,
    flags: tuple[str, ...] = (),
    key: str = "",
    **options: Any,
) -> NavEntry:
    """Register the navigation entry of the page ``url_name`` in one call.

    ``flags``: the navigation flags of which the reader needs one (none: every reader of the
    group); ``key`` defaults to the URL name spelt ``app.entity_view``
    (``"accounts:account.list"`` → ``"accounts.account_list"``); ``options``: the other fields
    of :class:`NavEntry` (``active``, ``aria_current``)."""
    if flags:
        options["visible"] = lambda nav: any(nav[flag] for flag in flags)
    app, _, name = url_name.partition(":")
    return navigation.register(
        NavEntry(
            key=key or f"{app}.{name.replace('.', '_')}",
            label=label,
            url_name=url_name,
            group=group,
            order=order,
            **options,
        )
    )
