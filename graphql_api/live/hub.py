"""Fan-out of events to subscribers, each an asyncio queue on its own event loop (pure).

Publishers may run on any thread (the revision watcher runs on its own); each subscriber's
queue is filled on its loop with ``call_soon_threadsafe``, so no lock is held while a
subscriber runs. A subscriber that falls ``max_queue`` events behind is ended with
:class:`SubscriberLagging` instead of letting memory grow: the client reconnects and reads
the current state again. Leaving (``async with`` exit, ``aclose``, a cancelled task) removes
the subscriber at once, so a disconnected client holds nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from collections.abc import Hashable
    from types import TracebackType

#: Events a subscriber may be behind before it is ended.
DEFAULT_MAX_QUEUE = 256


class SubscriberLagging(Exception):  # noqa: N818 - reads as what happened to the subscriber
    """The subscriber did not keep up; it is ended and should resubscribe."""


class _End:
    """Queue marker: the stream ends (the hub closes, or the subscriber lagged)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class Subscription:
    """One subscriber to one topic: an async iterator of the events published to it.

    Use as ``async with hub.subscribe(topic) as events: async for event in events: …``.
    """

    def __init__(self, hub: Hub, topic: Hashable, max_queue: int) -> None:
        self.hub = hub
        self.topic = topic
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.max_queue = max_queue
        self.closed = False

    def deliver(self, item: Any) -> None:
        """Queue ``item`` (on the subscriber's loop); a full queue ends the subscriber."""
        if self.closed:
            return
        if isinstance(item, _End) or self.queue.qsize() < self.max_queue:
            self.queue.put_nowait(item)
            return
        self.closed = True
        while not self.queue.empty():  # free what it will never read
            self.queue.get_nowait()
        self.queue.put_nowait(
            _End(SubscriberLagging(f"more than {self.max_queue} events behind; subscribe again"))
        )

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Any:
        item = await self.queue.get()
        if isinstance(item, _End):
            self.close()
            if item.error is not None:
                raise item.error
            raise StopAsyncIteration
        return item

    def close(self) -> None:
        """Leave the topic (idempotent)."""
        self.closed = True
        self.hub.unsubscribe(self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Hub:
    """Topics → subscribers. Thread-safe; subscribing needs a running event loop."""

    def __init__(self, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        self.max_queue = max_queue
        self._lock = threading.Lock()
        self._topics: defaultdict[Hashable, set[Subscription]] = defaultdict(set)

    def subscribe(self, topic: Hashable) -> Subscription:
        """A new subscriber to ``topic``; it gets what is published from now on."""
        sub = Subscription(self, topic, self.max_queue)
        with self._lock:
            self._topics[topic].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Remove ``sub`` (no error if it already left)."""
        with self._lock:
            subs = self._topics.get(sub.topic)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._topics[sub.topic]

    def publish(self, topic: Hashable, item: Any) -> int:
        """Send ``item`` to every subscriber of ``topic``, from any thread.

        Returns:
            How many subscribers it was sent to.
        """
        with self._lock:
            subs = list(self._topics.get(topic, ()))
        for sub in subs:
            _call_soon(sub, sub.deliver, item)
        return len(subs)

    def topics(self) -> list[Hashable]:
        """The topics that have subscribers now."""
        with self._lock:
            return list(self._topics)

    def count(self, topic: Hashable | None = None) -> int:
        """Subscribers of ``topic``, or of every topic."""
        with self._lock:
            if topic is not None:
                return len(self._topics.get(topic, ()))
            return sum(len(s) for s in self._topics.values())

    def close(self) -> None:
        """End every subscription (server shutdown)."""
        with self._lock:
            subs = [s for group in self._topics.values() for s in group]
        for sub in subs:
            _call_soon(sub, sub.deliver, _End())


def _call_soon(sub: Subscription, func: Any, item: Any) -> None:
    try:
        sub.loop.call_soon_threadsafe(func, item)
    except RuntimeError:  # its loop is closed: the subscriber is gone
        sub.hub.unsubscribe(sub)
