"""Storage: what the database holds and what a process keeps of it.

- :mod:`.db`: engine, sessions per request, the declarative base, the write lock.
- :mod:`.models`: the ORM tables (sets, modifiers and their contexts, tokens, value layers,
  aliases, revisions, the change log, releases, API keys, persisted queries, usage).
- :mod:`.repository`: every SELECT of the application, returning plain objects (and the
  inserts of a release and of a revision with its change log).
- :mod:`.token_rows`: the one mapping of tokens and groups to rows and back (reads,
  writes and the release format derive from it) and every write of token, value, group
  and alias rows.
- Other writes by subject: :mod:`.structure` (sets, modifiers, contexts; clearing before an
  import),
  :mod:`.persisted_queries` (allow-list and APQ documents), :mod:`.api_keys`, :mod:`.usage`.
- :mod:`.health`: ``SELECT 1``, the migration state, what a database fault means.
- :mod:`.release_format`: a release's frozen resolver as one JSON value.
- :mod:`.notify`: PostgreSQL ``NOTIFY`` of each new revision.
- :mod:`.snapshots`: resolved theme snapshots cached per (revision, theme selection).
- :mod:`.response_cache`: serialised GraphQL responses cached per (revision, request).
"""
