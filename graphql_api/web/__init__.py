"""HTTP: everything between a socket and the GraphQL schema.

- :mod:`.views`: the Strawberry view on Flask and the app's routes.
- :mod:`.graphql_http`: the front door of ``/graphql`` (persisted queries, ETag/304, the
  response cache) and :mod:`.http_cache` (ETags, ``Cache-Control``).
- :mod:`.persisted_queries`: Apollo APQ and the operator's allow-list.
- :mod:`.graphiql`: GraphiQL served offline.
- :mod:`.export_endpoints`: ``GET /tokens.{json,css,scss,js,ts}``.
- :mod:`.cors`, :mod:`.auth` (API keys and scopes), :mod:`.observability` (request ids,
  access log, security headers, health, database faults).
- :mod:`.asgi`: the ASGI router (WebSockets, SSE, ``/events``, the rest to Flask), with
  :mod:`.body_limit`; :mod:`.subscriptions` (graphql-transport-ws and GraphQL over SSE),
  :mod:`.events` (``GET /events``), :mod:`.key_watch` (API keys on live connections);
  :mod:`.gunicorn_conf`.
"""
