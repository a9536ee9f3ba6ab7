"""A writer process for ``test_concurrent_writes``: increments a counter token through GraphQL.

:func:`write` runs in a process forked from the test (as gunicorn forks its workers): the
modules are imported already, so a writer starts in milliseconds instead of the seconds a
fresh interpreter takes to import them, and the writers overlap for their whole run. Each
makes an app of its own (engine, caches, revision clock) on the test database. Each
increment reads the revision and the value, then writes value + 1 with
``expectedRevision``; on a ``Conflict`` it reads again and retries (``mode="counter"``).
``mode="blind"`` creates ``count`` tokens of its own without ``expectedRevision``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from graphql_api import create_app

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.synchronize import Barrier

READ = '{ revision token(path: "counter") { resolvedValue } }'
UPDATE = (
    "mutation($v: JSON!, $r: Int) { updateToken(input: "
    '{path: "counter", value: $v, expectedRevision: $r}) '
    "{ __typename ... on TokenSuccess { revision } ... on Conflict { currentRevision } } }"
)
CREATE = (
    'mutation($p: String!) { createToken(input: {path: $p, value: 1, type: "number"}) '
    "{ __typename } }"
)


def write(
    url: str, key: str, mode: str, count: int, name: str, *, start: Barrier
) -> dict[str, Any]:
    """Do ``count`` writes once every writer is ready; ``{"conflicts", "seconds", "revisions"}``."""
    app = create_app({"DATABASE_URL": url})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}

    def post(query: str, variables: dict[str, object]) -> dict[str, Any]:
        response = client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, Any] = response.get_json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{response.status_code}: {body}")
        return body["data"]  # type: ignore[no-any-return]

    conflicts, revisions = 0, []
    start.wait()  # all writers begin together, so their writes interleave
    started = time.perf_counter()
    for i in range(count):
        if mode == "blind":
            data = post(CREATE, {"p": f"blind.{name}.{i}"})
            assert data["createToken"]["__typename"] == "TokenSuccess", data
            continue
        while True:
            seen = post(READ, {})
            value = seen["token"]["resolvedValue"]
            result = post(UPDATE, {"v": value + 1, "r": seen["revision"]})["updateToken"]
            if result["__typename"] == "TokenSuccess":
                revisions.append(result["revision"])
                break
            assert result["__typename"] == "Conflict", result
            conflicts += 1
    elapsed = time.perf_counter() - started
    return {"conflicts": conflicts, "seconds": elapsed, "revisions": revisions}


def child(send: Connection, start: Barrier, *args: Any) -> None:
    """Entry point of a forked writer: send :func:`write`'s statistics to the test.

    An error ends the child with its traceback on stderr (captured by pytest) and no
    statistics, which fails the test.
    """
    send.send(write(*args, start=start))
    send.close()
