"""Locust users for the soak and spike tests (``bench/soak.py`` starts it; see bench/README.md).

Readers (weights out of 100): 80 component queries (one of ~100 fixed documents, each up to
10 ``token(path:, theme:)`` fields with path-derived aliases and a few value fields),
15 whole themes (``tokens(theme:)``, every edge with typed ``value`` fragments), 3
``GET /tokens.json?theme=`` and 2 ``GET /tokens.css?theme=``; every request picks one of
the theme contexts at random. Writers (``--writers``, a fixed number of users, one write
each ``--write-interval`` seconds): ``{ revision }``, then ``updateToken`` of a base colour in
one theme context with ``expectedRevision``, read again and retried on ``Conflict``.

An error is any non-200 answer, a GraphQL ``errors`` member, a missing or null field, a
whole theme with another token count than at the start, an export that is not the
format asked for, or a mutation payload other than ``TokenSuccess``/``Conflict``.

Standalone, against any server loaded with Primer::

    .venv/bin/locust -f bench/locustfile.py --headless -H http://127.0.0.1:8000
        -u 30 -r 10 -t 2m --write-key tk_…   (one line)

``bench/soak.py`` also sets ``SOAK_STAGES`` (a JSON list of ``[seconds, readers,
spawn_rate, label]``: a load shape) and ``SOAK_SAMPLES`` (where every request's start time,
kind, latency and error are written when the test stops).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import urllib.request
from collections import defaultdict
from typing import Any

import orjson
from locust import FastHttpUser, LoadTestShape, between, constant_pacing, events, task

#: Typed fields of a token's value that the queries select (a few per type).
VALUE = (
    "value { __typename ... on ColorValue { hex } ... on DimensionValue { px rem } "
    "... on DurationValue { ms } ... on NumberValue { value } ... on FontWeightValue { weight } "
    "... on FontFamilyValue { families } ... on BorderValue { css } ... on ShadowValue { css } "
    "... on TypographyValue { css } ... on CubicBezierValue { css } }"
)
THEME_QUERY = (
    "query Theme($theme: [ThemeSelection!]) { tokens(theme: $theme) { totalCount "
    f"edges {{ node {{ path type {VALUE} }} }} }} }}"
)
DISCOVER = (
    "{ revision modifiers { name default contexts { name } } "
    "tokens { totalCount edges { node { path type } } } }"
)
REVISION = "query Revision { revision }"
UPDATE = (
    "mutation Write($path: String!, $value: JSON!, $ctx: ThemeSelection, $rev: Int) "
    "{ updateToken(input: {path: $path, value: $value, context: $ctx, expectedRevision: $rev}) "
    "{ __typename ... on TokenSuccess { revision } ... on Conflict { code currentRevision } "
    "... on ValidationError { message } ... on NotFound { message } } }"
)
#: First path segments that are not components (palettes, scales, data).
NOT_COMPONENTS = {"base", "display", "color", "prettylights", "data", "ansi", "codeMirror"}
COMPONENT_SIZE = 10
MAX_RETRIES = 20
JSON_HEADERS = {"Content-Type": "application/json"}

#: Filled in by :func:`discover` when the test starts.
DATA: dict[str, Any] = {}
#: Write outcomes (successes, conflicts, gave_up), dumped with the samples.
WRITES: dict[str, int] = defaultdict(int)
_SAMPLES: list[tuple[float, str, float, str | None]] = []
_T0: list[float] = []


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    group = parser.add_argument_group("soak (bench/locustfile.py)")
    group.add_argument(
        "--write-key",
        default=os.environ.get("SOAK_WRITE_KEY", ""),
        help="API key with scope write (no key: no writers)",
    )
    group.add_argument("--writers", type=int, default=2, help="writer users (fixed count)")
    group.add_argument(
        "--write-interval", type=float, default=2.0, help="seconds between one writer's writes"
    )
    group.add_argument(
        "--think", default="0.5,1.5", help="a reader's wait between requests, 'min,max' seconds"
    )


def alias(path: str) -> str:
    """A GraphQL alias for a token path (``button.primary.bgColor.rest`` → ``button_primary_…``)."""
    return re.sub(r"\W", "_", path)


def components(nodes: list[dict[str, Any]]) -> list[str]:
    """Fixed component documents: the tokens of each component prefix, ~10 per document."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        head = node["path"].split(".")[0]
        if head not in NOT_COMPONENTS:
            groups[head].append(node["path"])
    docs = []
    for head, paths in sorted(groups.items()):
        for i in range(0, len(paths), COMPONENT_SIZE):
            chunk = paths[i : i + COMPONENT_SIZE]
            fields = " ".join(
                f"{alias(p)}: token(path: {json.dumps(p)}, theme: $theme) {{ type {VALUE} }}"
                for p in chunk
            )
            docs.append(f"query {alias(head)}{i}($theme: [ThemeSelection!]) {{ {fields} }}")
    return docs


def discover(host: str) -> None:
    """Read the modifiers and tokens once; build the documents and the writers' targets."""
    body = json.dumps({"query": DISCOVER}).encode()
    req = urllib.request.Request(host + "/graphql", body, JSON_HEADERS)  # noqa: S310
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
        data = orjson.loads(resp.read())["data"]
    mods = {m["name"]: m for m in data["modifiers"]}
    theme = mods.get("theme") or next(iter(mods.values()))
    nodes = [e["node"] for e in data["tokens"]["edges"]]
    DATA.update(
        modifier=theme["name"],
        contexts=[c["name"] for c in theme["contexts"]],
        total=data["tokens"]["totalCount"],
        components=components(nodes),
        colours=[
            n["path"]
            for n in nodes
            if n["type"] == "color" and re.fullmatch(r"base\.color\.\w+\.\d", n["path"])
        ],
    )


@events.test_start.add_listener
def _start(environment: Any, **_: Any) -> None:
    _T0.append(time.time())
    if not DATA:
        discover(environment.host.rstrip("/"))


@events.init.add_listener
def _init(environment: Any, **_: Any) -> None:
    opts = environment.parsed_options
    if opts is None:
        return
    lo, hi = (float(x) for x in opts.think.split(","))
    Reader.wait_time = between(lo, hi)
    Writer.wait_time = constant_pacing(opts.write_interval)
    Writer.fixed_count = opts.writers
    Writer.key = opts.write_key
    if not opts.write_key or opts.writers <= 0:
        environment.user_classes = [c for c in environment.user_classes if c is not Writer]


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kw: Any) -> None:
    started = kw.get("start_time") or time.time() - response_time / 1000
    start = started - (_T0[0] if _T0 else 0.0)
    _SAMPLES.append(
        (
            round(start, 3),
            name,
            round(response_time, 2),
            None if exception is None else str(exception)[:300],
        )
    )


@events.test_stop.add_listener
def _dump(**_: Any) -> None:
    path = os.environ.get("SOAK_SAMPLES")
    if not path:
        return
    with open(path, "wb") as out:  # noqa: PTH123 - a plain file write at the end
        out.write(
            orjson.dumps(
                {"t0": _T0[0] if _T0 else None, "writes": dict(WRITES), "samples": _SAMPLES}
            )
        )


def graphql_errors(body: dict[str, Any]) -> str | None:
    """The first GraphQL error's message and code, if any."""
    errors = body.get("errors")
    if not errors:
        return None
    first = errors[0]
    return f"GraphQL error {first.get('extensions', {}).get('code')}: {first.get('message')}"


def post(
    client: Any,
    name: str,
    payload: dict[str, Any],
    check: Any,
    headers: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """POST a GraphQL request; its ``data``, or None after marking the request failed.

    Failed: not a 200, not JSON, a GraphQL error, or ``check(data)`` returned a reason.
    """
    with client.post(
        "/graphql",
        data=orjson.dumps(payload),
        name=name,
        catch_response=True,
        headers={**JSON_HEADERS, **(headers or {})},
    ) as resp:
        if resp.status_code != 200:
            resp.failure(f"HTTP {resp.status_code}")
            return None
        try:
            body = orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            resp.failure("not JSON")
            return None
        data = body.get("data")
        problem = graphql_errors(body) or check(data)
        if problem:
            resp.failure(problem)
            return None
        return data  # type: ignore[no-any-return]


def revision_check(data: dict[str, Any] | None) -> str | None:
    """``{ revision }`` answered with an integer."""
    return None if isinstance((data or {}).get("revision"), int) else "no revision"


def payload_check(data: dict[str, Any] | None) -> str | None:
    """``updateToken`` answered ``TokenSuccess`` or a stale-revision ``Conflict``."""
    payload = (data or {}).get("updateToken") or {}
    kind = payload.get("__typename")
    if kind == "TokenSuccess" or (kind == "Conflict" and payload["code"] == "STALE_REVISION"):
        return None
    return f"unexpected payload {kind}: {payload}"


class Reader(FastHttpUser):
    """A client reading components, whole themes and exports in random themes."""

    wait_time = between(0.5, 1.5)

    def theme(self) -> list[dict[str, str]]:
        """A random theme context (other modifiers at their default)."""
        return [{"modifier": DATA["modifier"], "context": random.choice(DATA["contexts"])}]

    def query(self, name: str, query: str, check: Any) -> None:
        """POST a query in a random theme (see :func:`post`)."""
        post(self.client, name, {"query": query, "variables": {"theme": self.theme()}}, check)

    @task(80)
    def component(self) -> None:
        """~10 tokens of one component."""

        def check(data: dict[str, Any] | None) -> str | None:
            if not data:
                return "no data"
            missing = [k for k, v in data.items() if v is None or "__typename" not in v["value"]]
            return f"null tokens: {missing[:3]}" if missing else None

        self.query("component", random.choice(DATA["components"]), check)

    @task(15)
    def whole_theme(self) -> None:
        """Every token of a theme."""

        def check(data: dict[str, Any] | None) -> str | None:
            conn = (data or {}).get("tokens") or {}
            got = (conn.get("totalCount"), len(conn.get("edges") or []))
            return None if got == (DATA["total"], DATA["total"]) else f"tokens {got}"

        self.query("whole theme", THEME_QUERY, check)

    def export(self, fmt: str, weight_check: Any) -> None:
        """``GET /tokens.<fmt>?theme=<random context>``."""
        ctx = random.choice(DATA["contexts"])
        url = f"/tokens.{fmt}?theme={DATA['modifier']}:{ctx}"
        with self.client.get(url, name=f"export {fmt}", catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
            elif not weight_check(resp.content or b""):
                resp.failure(f"not {fmt}: {(resp.content or b'')[:80]!r}")

    @task(3)
    def export_json(self) -> None:
        """A DTCG document of one theme."""
        self.export("json", lambda b: b.startswith(b"{") and b.rstrip().endswith(b"}"))

    @task(2)
    def export_css(self) -> None:
        """CSS custom properties of one theme."""
        self.export("css", lambda b: b":root" in b[:400] and b.rstrip().endswith(b"}"))


class Writer(FastHttpUser):
    """Edits one base colour in one theme context, with optimistic concurrency."""

    wait_time = constant_pacing(2.0)
    fixed_count = 0
    key = ""

    def post(self, name: str, query: str, variables: dict[str, Any], check: Any) -> Any:
        """POST with the write key (see :func:`post`)."""
        headers = {"Authorization": f"Bearer {self.key}"}
        return post(self.client, name, {"query": query, "variables": variables}, check, headers)

    @task
    def write(self) -> None:
        """Read the revision, write with it, retry on ``Conflict``."""
        path = random.choice(DATA["colours"])
        variables = {
            "path": path,
            "value": f"#{random.randrange(0x1000000):06x}",
            "ctx": {"modifier": DATA["modifier"], "context": random.choice(DATA["contexts"])},
        }
        for _ in range(MAX_RETRIES):
            read = self.post("revision", REVISION, {}, revision_check)
            if read is None:
                return
            data = self.post(
                "updateToken", UPDATE, {**variables, "rev": read["revision"]}, payload_check
            )
            if data is None:
                return
            if data["updateToken"]["__typename"] == "TokenSuccess":
                WRITES["successes"] += 1
                return
            WRITES["conflicts"] += 1
        WRITES["gave_up"] += 1


if os.environ.get("SOAK_STAGES"):

    class Stages(LoadTestShape):
        """Readers per stage from ``SOAK_STAGES``, plus the fixed writers; then stop."""

        stages: list[tuple[float, int, float, str]] = json.loads(os.environ["SOAK_STAGES"])

        def tick(self) -> tuple[int, float] | None:
            """(users, spawn rate) for the current stage; None after the last one."""
            run_time = self.get_run_time()
            end = 0.0
            for seconds, readers, rate, _label in self.stages:
                end += seconds
                if run_time < end:
                    return readers + Writer.fixed_count, rate
            return None
