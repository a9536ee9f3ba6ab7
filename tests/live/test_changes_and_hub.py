"""The pure parts of live updates: snapshot diffs and the subscriber hub."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from graphql_api.dtcg.parse import TokenNode
from graphql_api.dtcg.references import ResolvedToken
from graphql_api.live.changes import TokenChanges, diff_snapshots, path_under
from graphql_api.live.hub import Hub, SubscriberLagging


def tok(path: str, value: Any, type_: str | None = "color") -> ResolvedToken:
    node = TokenNode(path=path, value=value, type=type_)
    return ResolvedToken(
        node=node, type=type_, value=value, deprecated=None, references=(), alias_of=None
    )


def test_diff_lists_changed_added_and_removed_paths_sorted() -> None:
    old = {"b": tok("b", "#000"), "a": tok("a", "#111"), "gone": tok("gone", 1, "number")}
    new = {"b": tok("b", "#000"), "a": tok("a", "#222"), "new": tok("new", "#333")}
    assert diff_snapshots(old, new) == TokenChanges(("a", "new"), ("gone",))


def test_a_type_change_with_an_equal_value_is_a_change() -> None:
    old = {"x": tok("x", 4, "number")}
    new = {"x": tok("x", 4, "fontWeight")}
    assert diff_snapshots(old, new).changed == ("x",)


def test_equal_composite_values_are_not_changes() -> None:
    value = {"color": "#000", "width": {"value": 1, "unit": "px"}, "style": "solid"}
    old = {"b": tok("b", value, "border")}
    new = {"b": tok("b", {**value, "width": {"value": 1, "unit": "px"}}, "border")}
    changes = diff_snapshots(old, new)
    assert not changes
    assert changes == TokenChanges()


@pytest.mark.parametrize(
    ("path", "prefix", "under"),
    [
        ("color", "color", True),
        ("color.bg", "color", True),
        ("color.bg", "color.", True),
        ("colorful", "color", False),
        ("a.color", "color", False),
    ],
)
def test_prefix_is_segment_wise(path: str, prefix: str, under: bool) -> None:
    assert path_under(path, prefix) is under


def test_under_filters_both_lists() -> None:
    changes = TokenChanges(("accent.fg", "color.blue", "colorful"), ("color.gone", "x"))
    assert changes.under("color") == TokenChanges(("color.blue",), ("color.gone",))
    assert changes.under(None) is changes
    assert not changes.under("nothing")


def test_hub_delivers_from_another_thread_in_order() -> None:
    async def scenario() -> list[int]:
        hub = Hub()
        async with hub.subscribe("t") as sub:
            other = hub.subscribe("other")
            assert (hub.count("t"), hub.count()) == (1, 2)
            thread = threading.Thread(target=lambda: [hub.publish("t", i) for i in range(5)])
            thread.start()
            got = [await asyncio.wait_for(anext(sub), 5) for _ in range(5)]
            thread.join()
            other.close()
            assert other.queue.empty()  # nothing published on its topic
        assert (hub.count(), hub.topics()) == (0, [])
        return got

    assert asyncio.run(scenario()) == [0, 1, 2, 3, 4]


def test_a_subscriber_that_falls_behind_is_ended_and_freed() -> None:
    async def scenario() -> None:
        hub = Hub(max_queue=3)
        sub = hub.subscribe("t")
        for i in range(10):
            hub.publish("t", i)
        await asyncio.sleep(0)  # let call_soon_threadsafe run
        with pytest.raises(SubscriberLagging):
            await anext(sub)
        assert hub.count() == 0
        assert sub.queue.empty()

    asyncio.run(scenario())


def test_close_ends_every_subscription() -> None:
    async def scenario() -> list[Any]:
        hub = Hub()
        sub = hub.subscribe("t")
        hub.publish("t", "last")
        hub.close()
        return [item async for item in sub]

    assert asyncio.run(scenario()) == ["last"]


def test_publish_to_a_subscriber_whose_loop_is_gone_drops_it() -> None:
    hub = Hub()

    async def subscribe() -> None:
        hub.subscribe("t")

    asyncio.run(subscribe())  # the loop closes with the subscriber still registered
    assert hub.count() == 1
    assert hub.publish("t", 1) == 1
    assert hub.count() == 0
