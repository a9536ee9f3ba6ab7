"""Storage: what the database holds and what a process keeps of it.

- :mod:`.db`: engine, sessions per request, the declarative base, the write lock.
- :mod:`.models`: the ORM tables (sets, modifiers and their contexts, tokens, value layers,
  aliases, revisions, the change log, releases, API keys, persisted queries, usage).
- :mod:`.repository`: every SELECT of the application, returning plain objects (and the
  insert of a release).
- Writes by subject: :mod:`.structure` (sets, modifiers, contexts; clearing before an
  import), :mod:`.token_rows` (tokens and groups an import writes),
  :mod:`.persisted_queries` (allow-list and APQ documents), :mod:`.api_keys`, :mod:`.usage`.
- :mod:`.health`: ``SELECT 1``, the migration state, what a database fault means.
- :mod:`.release_format`: a release's frozen resolver as one JSON value.
- :mod:`.notify`: PostgreSQL ``NOTIFY`` of each new revision.
- :mod:`.snapshots`: resolved theme snapshots cached per (revision, theme selection).
- :mod:`.response_cache`: serialised GraphQL responses cached per (revision, request).
"""
