"""Extension points of the meeting pages. Apps above ``meetings`` fill them from their
``AppConfig.ready()``; ``meetings`` names none of them.

- Detail links: a function ``(user, meeting, kinds) -> (url, label) | None`` adds a button to a
  meeting's detail page (lifemeetings: the 组织生活会 page of a sitting of that kind). ``kinds``
  is the meeting's list of kinds, already loaded by the page.
"""

from __future__ import annotations

from collections.abc import Callable

DetailLink = Callable[..., "tuple[str, str] | None"]

_detail_links: list[DetailLink] = []


def register_detail_link(link: DetailLink) -> DetailLink:
    """Add ``link`` to every meeting's detail page (usable as a decorator; registering the same
    function twice keeps one)."""
    if link not in _detail_links:
        _detail_links.append(link)
    return link


def detail_links(user, meeting, kinds) -> list[tuple[str, str]]:
    """The ``(url, label)`` buttons the registered apps offer ``user`` on ``meeting``'s page."""
    return [found for link in _detail_links if (found := link(user, meeting, kinds)) is not None]
