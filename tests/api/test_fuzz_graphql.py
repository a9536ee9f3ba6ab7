"""Schemathesis fuzzing of the GraphQL endpoint (every query and mutation field).

Schemathesis generates documents from the live schema (arguments of every type, JSON
values included) and sends them through the WSGI app, with a write key so mutations get
past authentication. Every response must be a GraphQL response: never a 5xx, always
JSON with ``data`` or ``errors`` (GraphQL over HTTP §7.1). Example counts are bounded and
the run is derandomized, so CI runs the same cases every time.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import graphql
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from graphql_api import create_app
from graphql_api.store import db
from graphql_api.store.models import Base
from tests.helpers import SMALL_EXAMPLE, import_tokens
from tests.writing import make_key

nodes = schemathesis.graphql.nodes


def _json_nodes() -> st.SearchStrategy[graphql.ValueNode]:
    """GraphQL literals of arbitrary JSON (the ``JSON`` scalar)."""
    leaves = st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(-(10**6), 10**6).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.booleans().map(nodes.Boolean),
        st.just(graphql.NullValueNode()),
    )

    def extend(children: st.SearchStrategy[graphql.ValueNode]) -> Any:
        fields = st.lists(
            st.tuples(st.from_regex(r"\A[A-Za-z_$][A-Za-z0-9_]{0,8}\Z"), children), max_size=4
        ).map(
            lambda pairs: nodes.Object(
                [
                    graphql.ObjectFieldNode(
                        name=graphql.NameNode(value=k.replace("$", "_")), value=v
                    )
                    for k, v in pairs
                ]
            )
        )
        return st.one_of(st.lists(children, max_size=4).map(nodes.List), fields)

    return st.recursive(leaves, extend, max_leaves=12)


schemathesis.graphql.scalar("JSON", _json_nodes())
schemathesis.graphql.scalar("DateTime", st.just("2026-11-21T00:00:00+00:00").map(nodes.String))


def _fuzz_app(folder: Path) -> Any:
    """An app on its own SQLite file in ``folder`` (made at import: Schemathesis reads the
    schema when the module is collected; the data and the key come with the first case)."""
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}"})
    Base.metadata.create_all(db.get_engine(app))
    return app


FOLDER = Path(tempfile.mkdtemp(prefix="tokens-fuzz-"))
# Every pytest-xdist worker collects (so imports) this module, but only one runs it: the
# folder goes when the process ends, whichever it is.
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
APP = _fuzz_app(FOLDER)
_READY: dict[str, str] = {}
schema = schemathesis.graphql.from_wsgi("/graphql", APP)


def _key() -> str:
    """Import the data and make the key once, when the first case runs (not at collection)."""
    if not _READY:
        import_tokens(APP.test_cli_runner(), SMALL_EXAMPLE)
        _READY["key"] = make_key(APP, "fuzzer", "write")
    return _READY["key"]


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_field_answers_a_graphql_response(case: Any) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_key()}"})
    assert response.status_code < 500, response.text[:1000]
    headers = {k.lower(): v for k, v in response.headers.items()}
    content_type = headers["content-type"]  # schemathesis lists a header's values
    first = content_type[0] if isinstance(content_type, list) else content_type
    assert first.startswith("application/json"), response.text[:300]
    body = response.json()
    assert isinstance(body, dict)
    assert "data" in body or "errors" in body
    for error in body.get("errors") or ():
        assert "Traceback" not in error["message"]
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", (case.body, error)
