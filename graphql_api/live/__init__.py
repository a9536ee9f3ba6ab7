"""Live updates: new revisions pushed to subscribers (GraphQL subscriptions, ``/events``).

- :mod:`.changes`: pure — which tokens of a theme changed between two resolved snapshots.
- :mod:`.hub`: pure asyncio — fan-out of events to subscriber queues, from any thread.
- :mod:`.watcher`: the database side — notices new revisions (PostgreSQL ``LISTEN/NOTIFY``,
  SQLite polling), reads what they changed and publishes events to the hub.
- :mod:`.service`: what the ASGI layer and the subscription resolvers use (one per process).
"""
