"""The generic registry behind every extension point (common.registry)."""

from dataclasses import dataclass

from common.registry import Panel, Registry, shown_panels


@dataclass(frozen=True)
class Item:
    key: str
    order: int = 100


def test_entries_come_by_order_then_by_registration():
    r = Registry("test")
    r.register(Item("b"))
    r.register(Item("a", order=10))
    r.register(Item("c"))
    assert [e.key for e in r] == ["a", "b", "c"]


def test_registering_a_key_again_replaces_the_entry_in_place():
    r = Registry("test")
    r.register(Item("a"))
    r.register(Item("b"))
    r.register(Item("a"))
    assert [e.key for e in r] == ["a", "b"] and len(r) == 2 and "a" in r
    r.unregister("a")
    r.unregister("missing")
    assert [e.key for e in r] == ["b"]


def test_a_panel_whose_context_is_none_does_not_show():
    r = Registry("panels")
    r.register(Panel("shown", "x.html", lambda user: {"who": user}, order=20))
    r.register(Panel("hidden", "y.html", lambda user: None, order=10))
    r.register(Panel("empty", "z.html", lambda user: {}, order=30))
    shown = shown_panels(r, "alice")
    assert [(p.key, p.context) for p in shown] == [("shown", {"who": "alice"}), ("empty", {})]
