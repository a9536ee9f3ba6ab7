"""The revision watcher and the subscription resolvers in-process (both databases)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.live.service import LiveUpdates
from graphql_api.live.watcher import RevisionEvent, ThemeEvent, theme_topic
from graphql_api.schema import schema
from graphql_api.schema.request_context import RequestContext
from graphql_api.store import db
from graphql_api.store.notify import parse_payload
from graphql_api.store.snapshots import snapshot_store
from tests.writing import DARK

if TYPE_CHECKING:
    from flask import Flask

    from tests.writing import Writer


def drain(sub: Any) -> list[Any]:
    items = []
    while not sub.queue.empty():
        items.append(sub.queue.get_nowait())
    return items


def test_check_publishes_each_revision_with_its_paths(app: Flask, writer: Writer) -> None:
    live = LiveUpdates(app)

    async def scenario() -> list[Any]:
        sub = live.revisions()
        assert live.watcher.check() == writer.revision()  # the first check only starts
        await asyncio.sleep(0)
        assert drain(sub) == []
        first = writer.call(
            "renameToken", "RenameTokenInput", path="color.gray.1", newPath="color.gray.light"
        )["revision"]
        second = writer.call(
            "updateToken", "UpdateTokenInput", path="size.unit", value={"value": 5, "unit": "px"}
        )["revision"]
        assert live.watcher.check() == second
        await asyncio.sleep(0)
        events = drain(sub)
        sub.close()
        assert [e.revision for e in events] == [first, second]
        return events

    events = asyncio.run(scenario())
    assert all(isinstance(e, RevisionEvent) for e in events)
    assert events[0].changed_paths == ("color.gray.1", "color.gray.light")  # old and new
    assert events[1].changed_paths == ("size.unit",)
    assert events[1].author == "designer"
    assert events[1].as_json()["changedPaths"] == ["size.unit"]


def test_a_theme_that_can_no_longer_be_resolved_ends_with_the_reason(
    app: Flask, writer: Writer
) -> None:
    live = LiveUpdates(app)

    async def scenario() -> list[Any]:
        live.watcher.check()
        selection = await live.selection({"theme": "dark"})
        sub = await live.theme(selection)
        payload = writer.call("deleteContext", "DeleteContextInput", modifier="theme", name="dark")
        assert payload["__typename"] == "ModifierSuccess", payload
        live.watcher.check()
        await asyncio.sleep(0)
        return drain(sub)

    events = asyncio.run(scenario())
    assert len(events) == 1
    assert isinstance(events[0], ThemeEvent)
    assert events[0].snapshot is None
    assert events[0].error is not None
    assert "dark" in events[0].error


def test_a_recreated_database_restarts_the_count_without_events(app: Flask, writer: Writer) -> None:
    live = LiveUpdates(app)

    async def scenario() -> list[Any]:
        sub = live.revisions()
        live.watcher.revision = writer.revision() + 100  # as if the old database went further
        assert live.watcher.check() == writer.revision()
        await asyncio.sleep(0)
        return drain(sub)

    assert asyncio.run(scenario()) == []
    assert live.watcher.revision == writer.revision()


def test_a_theme_topic_without_subscribers_is_forgotten(app: Flask, writer: Writer) -> None:
    live = LiveUpdates(app)

    async def scenario() -> None:
        live.watcher.check()
        selection = await live.selection({})
        async with await live.theme(selection):
            assert theme_topic(selection) in live.watcher._baselines
        writer.call(
            "updateToken", "UpdateTokenInput", path="size.unit", value={"value": 6, "unit": "px"}
        )
        live.watcher.check()
        assert live.watcher._baselines == {}

    asyncio.run(scenario())


def subscription_context(app: Flask, live: LiveUpdates | None) -> RequestContext:
    return RequestContext(
        session=db.get_state(app).sessionmaker(), snapshots=snapshot_store(app), live=live
    )


def test_resolvers_refuse_a_bad_theme_and_the_wsgi_context(app: Flask, writer: Writer) -> None:
    async def first_result(live: LiveUpdates | None, query: str) -> Any:
        with app.app_context():
            context = subscription_context(app, live)
            stream = await schema.subscribe(query, context_value=context)
            assert hasattr(stream, "__anext__"), stream
            result = await anext(stream)
            await stream.aclose()
            context.session.close()
            return result

    bad = (
        'subscription { tokensChanged(theme: [{modifier: "theme", context: "nope"}]) { revision } }'
    )
    result = asyncio.run(first_result(LiveUpdates(app), bad))
    assert result.errors[0].extensions["code"] == "UNKNOWN_CONTEXT"
    assert "light" in result.errors[0].message  # names the valid ones

    result = asyncio.run(first_result(None, "subscription { revisionChanged { revision } }"))
    assert result.errors[0].extensions["code"] == "SUBSCRIPTIONS_UNAVAILABLE"


def test_resolver_turns_theme_events_into_tokens(app: Flask, writer: Writer) -> None:
    live = LiveUpdates(app)
    query = """subscription($t: [ThemeSelection!]) {
      tokensChanged(theme: $t, pathPrefix: "border") {
        revision removedPaths tokens { path resolvedValue }
      }
    }"""

    async def scenario() -> Any:
        live.watcher.check()
        with app.app_context():
            context = subscription_context(app, live)
            stream = await schema.subscribe(
                query, variable_values={"t": DARK}, context_value=context
            )
            assert hasattr(stream, "__anext__")
            pending = asyncio.ensure_future(anext(stream))
            while live.hub.count(theme_topic({"theme": "dark"})) == 0:
                await asyncio.sleep(0.01)
            await asyncio.to_thread(
                writer.call, "updateToken", "UpdateTokenInput", path="color.red.5", value="#010203"
            )
            await asyncio.to_thread(live.watcher.check)
            result = await asyncio.wait_for(pending, 5)
            await stream.aclose()
            context.session.close()  # ends its read transaction (the schema is dropped next)
            return result

    result = asyncio.run(scenario())
    assert result.errors is None
    change = result.data["tokensChanged"]
    assert change["revision"] == writer.revision()
    assert change["tokens"] == [
        {
            "path": "border.focus",
            "resolvedValue": {
                "color": "#010203",
                "width": {"value": 2, "unit": "px"},
                "style": "solid",
            },
        }
    ]
    assert live.hub.count() == 0  # closing the stream left the topic


@pytest.mark.parametrize(
    ("payload", "parsed"),
    [
        ("public:12", ("public", 12)),
        ("t_ab:cd:7", ("t_ab:cd", 7)),
        ("12", None),
        ("public:x", None),
        ("", None),
    ],
)
def test_notification_payloads(payload: str, parsed: tuple[str, int] | None) -> None:
    assert parse_payload(payload) == parsed


def test_theme_topics_ignore_order_and_tell_selections_apart() -> None:
    assert theme_topic({"b": "2", "a": "1"}) == theme_topic({"a": "1", "b": "2"})
    assert theme_topic({"a": "1"}) != theme_topic({"a": "2"})
    assert theme_topic({"a": "1"}) != theme_topic({"b": "1"})
