"""Extension points of the meeting pages. Apps above ``meetings`` fill them from their
``AppConfig.ready()``; ``meetings`` names none of them.

- Detail links: a function ``(user, meeting, kinds) -> (url, label) | None`` adds a button to a
  meeting's detail page (reports: the meeting notice; lifemeetings: the 组织生活会 page of a
  sitting of that kind). ``kinds`` is the meeting's list of kinds, already loaded by the page.
  Buttons are shown by ``order``, then in the order registered.
- Detail notes: a function ``(request, meeting) -> str | None`` returns safe HTML
  (``render_to_string``, ``format_html``; a plain ``str`` is escaped) shown under the meeting's
  heading (integrity: the record's integrity signals).
"""

from __future__ import annotations

from collections.abc import Callable

DetailLink = Callable[..., "tuple[str, str] | None"]
DetailNote = Callable[..., "str | None"]

_detail_links: list[tuple[int, DetailLink]] = []
_detail_notes: list[DetailNote] = []


def register_detail_link(link: DetailLink | None = None, *, order: int = 100):
    """Add ``link`` to every meeting's detail page; usable as ``@register_detail_link`` or
    ``@register_detail_link(order=10)``. Registering the same function twice keeps one."""

    def add(func: DetailLink) -> DetailLink:
        if all(f is not func for _o, f in _detail_links):
            _detail_links.append((order, func))
            _detail_links.sort(key=lambda pair: pair[0])  # stable: equal orders keep registration order
        return func

    return add if link is None else add(link)


def detail_links(user, meeting, kinds) -> list[tuple[str, str]]:
    """The ``(url, label)`` buttons the registered apps offer ``user`` on ``meeting``'s page."""
    return [found for _order, link in _detail_links if (found := link(user, meeting, kinds)) is not None]


def register_detail_note(note: DetailNote) -> DetailNote:
    """Add ``note`` under the heading of every meeting's detail page (usable as a decorator;
    registering the same function twice keeps one)."""
    if note not in _detail_notes:
        _detail_notes.append(note)
    return note


def detail_notes(request, meeting) -> list[str]:
    """The notes the registered apps show ``request.user`` on ``meeting``'s page."""
    return [html for note in _detail_notes if (html := note(request, meeting)) is not None]
