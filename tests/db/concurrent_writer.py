"""A writer process for ``test_concurrent_writes``: increments a counter token through GraphQL.

Run as ``python -m tests.db.concurrent_writer URL KEY MODE COUNT NAME``. Each increment
reads the revision and the value, then writes value + 1 with ``expectedRevision``; on a
``Conflict`` it reads again and retries (``MODE=counter``). ``MODE=blind`` creates COUNT
tokens of its own without ``expectedRevision``. Prints one JSON line of statistics.
"""

from __future__ import annotations

import json
import sys
import time

from graphql_api import create_app

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


def main(url: str, key: str, mode: str, count: int, name: str) -> None:
    """Do ``count`` writes; print ``{"writes", "conflicts", "seconds", "revisions"}``."""
    app = create_app({"DATABASE_URL": url})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}

    def post(query: str, variables: dict[str, object]) -> dict[str, object]:
        response = client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, object] = response.get_json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{response.status_code}: {body}")
        return body["data"]  # type: ignore[return-value]

    conflicts, revisions = 0, []
    started = time.perf_counter()
    for i in range(count):
        if mode == "blind":
            data = post(CREATE, {"p": f"blind.{name}.{i}"})
            assert data["createToken"]["__typename"] == "TokenSuccess", data  # type: ignore[index]
            continue
        while True:
            seen = post(READ, {})
            value = seen["token"]["resolvedValue"]  # type: ignore[index]
            result = post(UPDATE, {"v": value + 1, "r": seen["revision"]})["updateToken"]
            if result["__typename"] == "TokenSuccess":  # type: ignore[index]
                revisions.append(result["revision"])  # type: ignore[index]
                break
            assert result["__typename"] == "Conflict", result  # type: ignore[index]
            conflicts += 1
    elapsed = time.perf_counter() - started
    sys.stdout.write(
        json.dumps(
            {"writes": count, "conflicts": conflicts, "seconds": elapsed, "revisions": revisions}
        )
        + "\n"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
