"""``revisionChanged(since:)`` and ``tokensChanged(since:)``: read, then subscribe, lose nothing.

A real uvicorn process serves; this process writes (both databases). The writes happen
before the subscription starts: only the replay can tell the client about them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tests.live.clients import WsClient
from tests.live.test_server import set_value, wait_subscribers
from tests.writing import DARK

if TYPE_CHECKING:
    from tests.live.conftest import LiveServer
    from tests.writing import Writer

REVISIONS = "subscription($s: Int) { revisionChanged(since: $s) { revision changedPaths } }"
TOKENS = """subscription($s: Int, $theme: [ThemeSelection!], $prefix: String) {
  tokensChanged(since: $s, theme: $theme, pathPrefix: $prefix) {
    revision removedPaths tokens { path resolvedValue }
  }
}"""


async def messages(ws: WsClient, n: int) -> list[dict[str, Any]]:
    return [await ws.message() for _ in range(n)]


def test_revision_changed_since_replays_then_goes_live(live: LiveServer, writer: Writer) -> None:
    read_at = writer.revision()
    first = set_value(writer, "color.red.5", "#ff0000")  # written after the client's read
    second = set_value(writer, "color.blue.5", "#00ff00")

    async def scenario() -> None:
        ws = WsClient(live.url)
        assert (await ws.connect())["type"] == "connection_ack"
        await ws.subscribe("rev", REVISIONS, {"s": read_at})
        replayed = [m["payload"]["data"]["revisionChanged"] for m in await messages(ws, 2)]
        assert replayed == [
            {"revision": first, "changedPaths": ["color.red.5"]},
            {"revision": second, "changedPaths": ["color.blue.5"]},
        ]
        await wait_subscribers(live, 1)
        third = await asyncio.to_thread(set_value, writer, "color.gray.1", "#dddddd")
        live_event = (await ws.message())["payload"]["data"]["revisionChanged"]
        assert live_event == {"revision": third, "changedPaths": ["color.gray.1"]}
        await ws.close()

    asyncio.run(scenario())


def test_tokens_changed_since_lists_what_changed_in_the_theme(
    live: LiveServer, writer: Writer
) -> None:
    read_at = writer.revision()
    # red.5 is referenced by dark's accent.fg, and accent.fg by dark's border.focus.
    changed_at = set_value(writer, "color.red.5", "#ff0000")

    async def scenario() -> None:
        ws = WsClient(live.url)
        assert (await ws.connect())["type"] == "connection_ack"
        await ws.subscribe("dark", TOKENS, {"s": read_at, "theme": DARK})
        await ws.subscribe("accent", TOKENS, {"s": read_at, "theme": DARK, "prefix": "accent"})
        await ws.subscribe("now", TOKENS, {"s": changed_at, "theme": DARK})
        got = {m["id"]: m["payload"]["data"]["tokensChanged"] for m in await messages(ws, 2)}
        dark = got["dark"]
        assert dark["revision"] == changed_at
        values = {t["path"]: t["resolvedValue"] for t in dark["tokens"]}
        assert list(values) == ["accent.fg", "border.focus", "color.red.5"]
        assert values["accent.fg"] == "#ff0000"
        assert values["border.focus"]["color"] == "#ff0000"
        assert dark["removedPaths"] == []
        assert [t["path"] for t in got["accent"]["tokens"]] == ["accent.fg"]
        # "now" read at the latest revision: nothing to replay; the next write comes live.
        await wait_subscribers(live, 3)
        later = await asyncio.to_thread(set_value, writer, "color.red.5", "#aa0000")
        live_events = {
            m["id"]: m["payload"]["data"]["tokensChanged"] for m in await messages(ws, 3)
        }
        assert {e["revision"] for e in live_events.values()} == {later}
        await ws.close()

    asyncio.run(scenario())


def test_a_negative_since_is_refused(live: LiveServer) -> None:
    async def scenario() -> None:
        ws = WsClient(live.url)
        assert (await ws.connect())["type"] == "connection_ack"
        await ws.subscribe("rev", REVISIONS, {"s": -1})
        msg = await ws.message()  # a result with the error (as for an unknown theme)
        assert msg["type"] == "next"
        assert msg["payload"]["data"] is None
        assert [e["extensions"]["code"] for e in msg["payload"]["errors"]] == ["INVALID_SINCE"]
        await ws.close()

    asyncio.run(scenario())
