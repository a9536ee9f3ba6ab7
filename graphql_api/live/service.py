"""The live-updates service of one process: a hub and a revision watcher for one Flask app.

Made by the ASGI entry point (:mod:`graphql_api.web.asgi`), started and stopped with its
lifespan, and stored in ``app.extensions`` so the subscription resolvers (through the
GraphQL context) and ``/events`` find it. The WSGI deployment never makes one.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final

from ..dtcg.resolver import normalise_input
from ..store import db
from ..store.snapshots import snapshot_store
from .changes import replay_changes
from .hub import Hub, Subscription
from .watcher import REVISIONS, RevisionEvent, RevisionWatcher, ThemeEvent, theme_topic

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask

LIVE_KEY: Final = "tokens_live"


class LiveUpdates:
    """Subscriptions to new revisions and to the changed tokens of a theme.

    Settings (``app.config``): ``LIVE_POLL_SECONDS`` (SQLite's polling interval),
    ``LIVE_FALLBACK_SECONDS`` (PostgreSQL's check without a notification),
    ``LIVE_MAX_QUEUE`` (events a subscriber may fall behind before it is ended).
    """

    def __init__(self, app: Flask) -> None:
        cfg = app.config
        self.app = app
        self.hub = Hub(int(cfg["LIVE_MAX_QUEUE"]))
        self.watcher = RevisionWatcher(
            db.get_engine(app),
            snapshot_store(app),
            self.hub,
            poll_seconds=float(cfg["LIVE_POLL_SECONDS"]),
            fallback_seconds=float(cfg["LIVE_FALLBACK_SECONDS"]),
        )
        app.extensions[LIVE_KEY] = self

    def start(self) -> None:
        """Start watching the database (ASGI lifespan startup)."""
        self.watcher.start()

    def stop(self) -> None:
        """End every subscription and stop watching (ASGI lifespan shutdown)."""
        self.hub.close()
        self.watcher.stop()

    def revisions(self) -> Subscription:
        """Subscribe to every new revision (:class:`~.watcher.RevisionEvent`)."""
        return self.hub.subscribe(REVISIONS)

    async def theme(self, selection: Mapping[str, str]) -> Subscription:
        """Subscribe to the changed tokens of a normalised selection (``ThemeEvent``)."""
        sub = self.hub.subscribe(theme_topic(selection))
        try:
            await asyncio.to_thread(self.watcher.baseline, selection)
        except BaseException:
            sub.close()
            raise
        return sub

    async def selection(self, theme: Mapping[str, str]) -> dict[str, str]:
        """``theme`` normalised against the stored modifiers (defaults filled in).

        Raises:
            DTCGErrorGroup: ``UNKNOWN_MODIFIER`` / ``UNKNOWN_CONTEXT``.
        """
        return await asyncio.to_thread(self._selection, dict(theme))

    def _selection(self, theme: dict[str, str]) -> dict[str, str]:
        with self.watcher.sessions() as session:
            _revision, catalog = self.watcher.snapshots.current_catalog(session)
        return normalise_input(catalog.modifier_contexts(), theme)

    async def events_after(self, revision: int) -> list[RevisionEvent]:
        """Revisions committed after ``revision``, oldest first (``Last-Event-ID``)."""
        return await asyncio.to_thread(self.watcher.events_after, revision)

    async def replay(self, selection: Mapping[str, str], since: int) -> ThemeEvent | None:
        """What changed in a theme after revision ``since``, up to the topic's baseline.

        Call it after :meth:`theme` (subscribed): later revisions come as events, so
        nothing falls between the two (a token may come twice).

        Returns:
            A :class:`~.watcher.ThemeEvent` at the baseline's revision, or None when
            nothing was written after ``since`` (up to the baseline).
        """
        return await asyncio.to_thread(self._replay, dict(selection), since)

    def _replay(self, selection: dict[str, str], since: int) -> ThemeEvent | None:
        snap = self.watcher.baseline(selection)
        touched: set[str] = set()
        after = since
        while after < snap.revision:
            events = [e for e in self.watcher.events_after(after) if e.revision <= snap.revision]
            if not events:
                break
            for event in events:
                touched.update(event.changed_paths)
            after = events[-1].revision
        if after == since:
            return None
        changes = replay_changes(snap.tokens, snap.referenced_by, touched)
        return ThemeEvent(snap.revision, snap, changes)

    def stats(self) -> dict[str, int | bool | None]:
        """Subscribers held, revision seen, and whether PostgreSQL's LISTEN is connected."""
        return {
            "subscribers": self.hub.count(),
            "revision": self.watcher.revision,
            "listening": self.watcher.listening,
        }


def live_updates(app: Flask) -> LiveUpdates | None:
    """The app's live-updates service, or None (the WSGI deployment has none)."""
    service: LiveUpdates | None = app.extensions.get(LIVE_KEY)
    return service
