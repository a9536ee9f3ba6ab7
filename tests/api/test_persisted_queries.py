"""Persisted queries on SQLite and PostgreSQL: APQ as Apollo Client speaks it, the
operator's allow-list (``tokens queries register`` / ``list``) and the ``off`` mode.

Apollo's ``createPersistedQueryLink`` sends ``extensions.persistedQuery = {version: 1,
sha256Hash}`` without the document; on ``PersistedQueryNotFound`` it retries with hash and
document (POST), which registers the document; later GETs carry only the hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.store import db
from graphql_api.store import persisted_queries as stored_documents
from graphql_api.web import persisted_queries
from tests.helpers import (
    SMALL_EXAMPLE,
    assert_num_queries,
    clock_caught_up,
    data_of,
    import_tokens,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    MakeApp = Callable[..., Flask]

QUERY = (
    "query Page($first: Int) { tokens(first: $first) { totalCount edges { node { path type } } } }"
)
OTHER = "query Count { tokens { totalCount } }"
VARIABLES = {"first": 3}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pq(digest: str) -> dict[str, Any]:
    """``extensions`` of an APQ request."""
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def post(
    client: FlaskClient,
    *,
    query: str | None = None,
    digest: str | None = None,
    variables: dict[str, Any] | None = None,
) -> TestResponse:
    body: dict[str, Any] = {}
    if query is not None:
        body["query"] = query
    if digest is not None:
        body["extensions"] = pq(digest)
    if variables is not None:
        body["variables"] = variables
    return client.post("/graphql", json=body)


def get_by_hash(
    client: FlaskClient,
    digest: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> TestResponse:
    args = {"extensions": json.dumps(pq(digest))}
    if variables is not None:
        args["variables"] = json.dumps(variables)
    return client.get("/graphql", query_string=args, headers=headers or {})


def error_code(response: TestResponse) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "data" not in body or body["data"] is None
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def registered(app: Flask) -> list[str]:
    """Hashes in the database (allow-list and APQ), read afresh, sorted."""
    with db.get_state(app).sessionmaker() as session:
        listed = [h for h, _ in stored_documents.all_documents(session)]
        return sorted(listed + stored_documents.apq_documents(session))


def register(app: Flask, *paths: Path) -> Result:
    return app.test_cli_runner().invoke(args=["tokens", "queries", "register", *map(str, paths)])


def list_hashes(app: Flask) -> Result:
    return app.test_cli_runner().invoke(args=["tokens", "queries", "list"])


def manifest(path: Path, operations: list[dict[str, Any]]) -> Path:
    """An Apollo persisted-query manifest (``generate-persisted-query-manifest``)."""
    body = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def operation(name: str, body: str, *, digest: str | None = None) -> dict[str, Any]:
    return {"id": digest or sha256(body), "name": name, "type": "query", "body": body}


# --------------------------------------------------------------------------- APQ


def test_apq_round_trip_as_apollo_client_does_it(
    small_example: Flask, client: FlaskClient, executions: list[str]
) -> None:
    digest = sha256(QUERY)
    expected = data_of(post(client, query=QUERY, variables=VARIABLES).get_json())
    executions.clear()

    # 1. hash only: unknown
    miss = post(client, digest=digest, variables=VARIABLES)
    assert error_code(miss) == persisted_queries.NOT_FOUND == "PERSISTED_QUERY_NOT_FOUND"
    assert miss.get_json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert executions == []
    assert digest not in registered(small_example)

    # 2. hash and document: runs and registers
    hit = post(client, query=QUERY, digest=digest, variables=VARIABLES)
    assert data_of(hit.get_json()) == expected
    assert registered(small_example) == [digest]

    # 3. hash only, by GET: the same data as the full query
    by_get = get_by_hash(client, digest, VARIABLES)
    assert by_get.status_code == 200
    assert by_get.mimetype == "application/json"
    assert data_of(by_get.get_json()) == expected
    assert "ETag" in by_get.headers
    # other variables with the same hash
    two = data_of(get_by_hash(client, digest, {"first": 2}).get_json())
    assert len(two["tokens"]["edges"]) == 2


def test_hash_only_get_is_the_same_resource_as_the_full_query(
    small_example: Flask, client: FlaskClient, executions: list[str]
) -> None:
    digest = sha256(QUERY)
    post(client, query=QUERY, digest=digest, variables=VARIABLES)
    full = client.get("/graphql", query_string={"query": QUERY, "variables": json.dumps(VARIABLES)})
    by_hash = get_by_hash(client, digest, VARIABLES)
    assert by_hash.headers["ETag"] == full.headers["ETag"]
    assert by_hash.get_data() == full.get_data()
    done = len(executions)
    again = get_by_hash(client, digest, VARIABLES, {"If-None-Match": full.headers["ETag"]})
    assert again.status_code == 304
    assert len(executions) == done


@pytest.mark.parametrize("accept", ["*/*", "text/html,application/json;q=0.9", None])
def test_hash_only_get_runs_whatever_the_accept_header(
    make_app: MakeApp, accept: str | None
) -> None:
    # Without a ``query`` parameter Strawberry would render GraphiQL for browsers (curl
    # and fetch() send */*); a persisted query is still a GraphQL request.
    app = make_app(RESPONSE_CACHE_BYTES=0)  # really executed each time
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    digest = sha256(OTHER)
    post(client, query=OTHER, digest=digest)
    response = get_by_hash(client, digest, headers={"Accept": accept} if accept else None)
    assert response.mimetype == "application/json"
    assert data_of(response.get_json()) == {"tokens": {"totalCount": 56}}


def test_graphiql_is_still_served_without_a_document(
    small_example: Flask, client: FlaskClient
) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_uppercase_hash_is_the_same_document(small_example: Flask, client: FlaskClient) -> None:
    digest = sha256(OTHER)
    post(client, query=OTHER, digest=digest.upper())
    assert registered(small_example) == [digest]
    assert data_of(post(client, digest=digest.upper()).get_json())["tokens"]["totalCount"] == 56


def test_hash_mismatch_is_refused_and_registers_nothing(
    small_example: Flask, client: FlaskClient, executions: list[str]
) -> None:
    response = post(client, query=QUERY, digest=sha256(OTHER), variables=VARIABLES)
    assert error_code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert executions == []
    assert registered(small_example) == []
    assert error_code(post(client, digest=sha256(OTHER))) == "PERSISTED_QUERY_NOT_FOUND"


def test_persisted_query_errors_are_not_cacheable(
    small_example: Flask, client: FlaskClient
) -> None:
    miss = get_by_hash(client, sha256(QUERY))
    assert error_code(miss) == "PERSISTED_QUERY_NOT_FOUND"
    assert "ETag" not in miss.headers
    assert miss.headers["Cache-Control"] == "no-store"


def test_registering_twice_is_harmless(small_example: Flask, client: FlaskClient) -> None:
    digest = sha256(OTHER)
    for _ in range(2):
        assert data_of(post(client, query=OTHER, digest=digest).get_json())
    assert registered(small_example) == [digest]


def test_hash_only_costs_one_lookup_when_cached(small_example: Flask, client: FlaskClient) -> None:
    digest = sha256(QUERY)
    post(client, query=QUERY, digest=digest, variables=VARIABLES)
    get_by_hash(client, digest, VARIABLES)
    clock_caught_up(small_example, known=True)
    with assert_num_queries(db.get_engine(small_example), 1):  # the document (revision: known)
        assert data_of(get_by_hash(client, digest, VARIABLES).get_json())


def test_registration_is_visible_to_another_app_instance(
    small_example: Flask, client: FlaskClient, make_app: MakeApp
) -> None:
    other = make_app()  # another process's worth of state on the same database
    digest = sha256(QUERY)
    other_client = other.test_client()
    assert error_code(get_by_hash(other_client, digest, VARIABLES)) == "PERSISTED_QUERY_NOT_FOUND"
    expected = data_of(post(client, query=QUERY, digest=digest, variables=VARIABLES).get_json())
    response = get_by_hash(other_client, digest, VARIABLES)
    assert data_of(response.get_json()) == expected


def test_tokens_queries_list_prints_the_hashes(
    small_example: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    empty = list_hashes(small_example)
    assert empty.exit_code == 0
    assert empty.output.strip() == ""
    for name, query in (("page.graphql", QUERY), ("count.graphql", OTHER)):
        (tmp_path / name).write_text(query, encoding="utf-8")
    assert (
        register(small_example, tmp_path / "page.graphql", tmp_path / "count.graphql").exit_code
        == 0
    )
    apq_only = 'query Gray { token(path: "color.gray.1") { path } }'
    post(client, query=apq_only, digest=sha256(apq_only))  # a client's: not the operator's list
    result = list_hashes(small_example)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == sorted([sha256(QUERY), sha256(OTHER)])
    assert any("query Count" in line for line in lines)


# --------------------------------------------------------------------------- allow-list


@pytest.fixture
def allowlist(make_app: MakeApp) -> Flask:
    app = make_app(PERSISTED_QUERIES="allowlist")
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    return app


def test_allowlist_refuses_unregistered_documents(allowlist: Flask, executions: list[str]) -> None:
    client = allowlist.test_client()
    plain = post(client, query=QUERY, variables=VARIABLES)
    assert error_code(plain) == "PERSISTED_QUERY_NOT_ALLOWED"
    with_hash = post(client, query=QUERY, digest=sha256(QUERY), variables=VARIABLES)
    assert error_code(with_hash) == "PERSISTED_QUERY_NOT_ALLOWED"
    by_get = client.get("/graphql", query_string={"query": QUERY})
    assert error_code(by_get) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert error_code(post(client, digest=sha256(QUERY))) == "PERSISTED_QUERY_NOT_FOUND"
    assert executions == []
    assert registered(allowlist) == []  # clients cannot register anything
    assert list_hashes(allowlist).output.strip() == ""


def test_allowlist_runs_a_registered_graphql_file(allowlist: Flask, tmp_path: Path) -> None:
    path = tmp_path / "page.graphql"
    path.write_text(QUERY + "\n", encoding="utf-8")
    document = path.read_text(encoding="utf-8")
    result = register(allowlist, path)
    assert result.exit_code == 0, result.output
    digest = sha256(document)
    assert digest in result.output
    assert registered(allowlist) == [digest]

    client = allowlist.test_client()
    by_text = data_of(post(client, query=document, variables=VARIABLES).get_json())
    by_hash = data_of(get_by_hash(client, digest, VARIABLES).get_json())
    by_both = data_of(post(client, query=document, digest=digest, variables=VARIABLES).get_json())
    assert by_text == by_hash == by_both
    assert by_text["tokens"]["totalCount"] == 56
    # Only that exact text: another document is still refused.
    assert error_code(post(client, query=OTHER)) == "PERSISTED_QUERY_NOT_ALLOWED"


def test_allowlist_runs_documents_of_an_apollo_manifest(allowlist: Flask, tmp_path: Path) -> None:
    path = manifest(
        tmp_path / "persisted-query-manifest.json",
        [operation("Page", QUERY), operation("Count", OTHER)],
    )
    result = register(allowlist, path)
    assert result.exit_code == 0, result.output
    assert registered(allowlist) == sorted([sha256(QUERY), sha256(OTHER)])
    listed = list_hashes(allowlist)
    assert [line.split()[0] for line in listed.output.strip().splitlines()] == sorted(
        [sha256(QUERY), sha256(OTHER)]
    )

    client = allowlist.test_client()
    page = data_of(get_by_hash(client, sha256(QUERY), VARIABLES).get_json())
    assert len(page["tokens"]["edges"]) == 3
    count = data_of(post(client, digest=sha256(OTHER)).get_json())
    assert count == {"tokens": {"totalCount": 56}}
    assert data_of(post(client, query=OTHER).get_json()) == count


def test_manifest_with_a_wrong_id_fails_and_registers_nothing(
    allowlist: Flask, tmp_path: Path
) -> None:
    good = tmp_path / "good.graphql"
    good.write_text(OTHER, encoding="utf-8")
    bad = manifest(
        tmp_path / "bad.json",
        [operation("Count", OTHER), operation("Page", QUERY, digest=sha256(OTHER))],
    )
    result = register(allowlist, good, bad)
    assert result.exit_code != 0
    assert "Page" in result.output
    assert registered(allowlist) == []  # all or nothing
    client = allowlist.test_client()
    assert error_code(post(client, query=OTHER)) == "PERSISTED_QUERY_NOT_ALLOWED"


def test_register_is_idempotent(allowlist: Flask, tmp_path: Path) -> None:
    path = tmp_path / "count.graphql"
    path.write_text(OTHER, encoding="utf-8")
    for _ in range(2):
        assert register(allowlist, path).exit_code == 0
    assert registered(allowlist) == [sha256(OTHER)]


def test_registration_by_cli_is_visible_to_a_running_instance(
    allowlist: Flask, make_app: MakeApp, tmp_path: Path
) -> None:
    client = allowlist.test_client()
    assert error_code(post(client, query=OTHER)) == "PERSISTED_QUERY_NOT_ALLOWED"
    path = tmp_path / "count.graphql"
    path.write_text(OTHER, encoding="utf-8")
    operator = make_app(PERSISTED_QUERIES="allowlist")  # e.g. `flask tokens queries register`
    assert register(operator, path).exit_code == 0
    assert data_of(post(client, query=OTHER).get_json()) == {"tokens": {"totalCount": 56}}


# --------------------------------------------------------------------------- off


def test_off_mode_does_not_support_hashes(make_app: MakeApp, executions: list[str]) -> None:
    app = make_app(PERSISTED_QUERIES="off")
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    assert error_code(post(client, digest=sha256(OTHER))) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert error_code(get_by_hash(client, sha256(OTHER))) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert executions == []
    # Plain queries run; a document sent with its hash runs too, and is not registered.
    assert data_of(post(client, query=OTHER).get_json()) == {"tokens": {"totalCount": 56}}
    assert data_of(post(client, query=OTHER, digest=sha256(OTHER)).get_json())
    assert registered(app) == []


# --------------------------------------------------------------------------- every operation


MUTATION = 'mutation { deleteToken(input: {path: "size.unit"}) { __typename } }'


def test_allowlist_applies_to_each_operation_of_a_batch(
    allowlist: Flask, executions: list[str]
) -> None:
    """A batch of one unregistered document is refused like the document alone."""
    client = allowlist.test_client()
    response = client.post("/graphql", json=[{"query": OTHER}, {"query": MUTATION}])
    assert response.status_code == 200
    codes = [r["errors"][0]["extensions"]["code"] for r in response.get_json()]
    assert codes == ["PERSISTED_QUERY_NOT_ALLOWED"] * 2
    assert executions == []
    assert registered(allowlist) == []


def test_apq_hashes_work_inside_a_batch(small_example: Flask, client: FlaskClient) -> None:
    first = client.post("/graphql", json=[{"query": OTHER, "extensions": pq(sha256(OTHER))}])
    assert data_of(first.get_json()[0])["tokens"]["totalCount"] == 56
    by_hash = client.post("/graphql", json=[{"extensions": pq(sha256(OTHER))}])
    assert data_of(by_hash.get_json()[0])["tokens"]["totalCount"] == 56
    assert registered(small_example) == [sha256(OTHER)]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/jsonp",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json-seq; charset=utf-8",
    ],
)
def test_a_body_the_front_door_does_not_read_is_415(
    allowlist: Flask, executions: list[str], content_type: str
) -> None:
    """Strawberry reads any type containing application/json; the modes must not be bypassed."""
    client = allowlist.test_client()
    for body in ({"query": MUTATION}, [{"query": MUTATION}]):
        response = client.post(
            "/graphql", data=json.dumps(body), headers={"Content-Type": content_type}
        )
        assert response.status_code == 415
        assert response.get_json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert executions == []


def test_no_batches_cannot_be_bypassed_by_content_type(
    make_app: MakeApp, executions: list[str]
) -> None:
    client = make_app(MAX_BATCH_SIZE=0).test_client()
    response = client.post(
        "/graphql",
        data=json.dumps([{"query": "{ revision }"}]),
        headers={"Content-Type": "application/jsonp"},
    )
    assert response.status_code == 415
    charset = client.post(
        "/graphql",
        data=json.dumps([{"query": "{ revision }"}]),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 400
    assert executions == []


# --------------------------------------------------------------------------- what APQ stores


@pytest.fixture
def make(make_app: MakeApp) -> MakeApp:
    """``make(**settings)``: an app on the test database, the small example imported once."""
    imported: list[bool] = []

    def build(**settings: Any) -> Flask:
        app = make_app(**settings)
        if not imported:
            import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
            imported.append(True)
        return app

    return build


@pytest.mark.parametrize("document", ["{ revision", "{ nope }", "x" * 1000])
def test_apq_stores_only_documents_that_parse_and_validate(
    small_example: Flask, client: FlaskClient, document: str
) -> None:
    """Any text was stored before it was parsed, by POST and by GET."""
    by_post = post(client, query=document, digest=sha256(document))
    assert by_post.get_json()["errors"]
    args = {"query": document, "extensions": json.dumps(pq(sha256(document)))}
    by_get = client.get("/graphql", query_string=args)
    assert by_get.get_json()["errors"]
    assert registered(small_example) == []


def test_documents_clients_registered_do_not_run_in_allowlist_mode(make: MakeApp) -> None:
    """One table held both: switching apq → allowlist kept anonymous registrations runnable."""
    apq = make()
    post(apq.test_client(), query=OTHER, digest=sha256(OTHER))
    assert registered(apq) == [sha256(OTHER)]
    strict = make(PERSISTED_QUERIES="allowlist").test_client()
    assert error_code(post(strict, digest=sha256(OTHER))) == "PERSISTED_QUERY_NOT_FOUND"
    assert error_code(post(strict, query=OTHER)) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert error_code(post(strict, query=OTHER, digest=sha256(OTHER))) == (
        "PERSISTED_QUERY_NOT_ALLOWED"
    )


def test_the_apq_store_is_bounded_oldest_first(make: MakeApp) -> None:
    client = make(APQ_MAX_DOCUMENTS=2).test_client()
    documents = [f'query Q{i} {{ token(path: "color.gray.{i}") {{ path }} }}' for i in (1, 2, 3)]
    for document in documents:
        assert post(client, query=document, digest=sha256(document)).status_code == 200
    app = client.application
    assert registered(app) == sorted(sha256(d) for d in documents[1:])
    assert error_code(post(client, digest=sha256(documents[0]))) == "PERSISTED_QUERY_NOT_FOUND"
