"""Where the time of workload (a) goes, when the query is executed (response cache off).

A SIGALRM sampler (:class:`Sampler`) watches K requests through the Flask test client;
each sample goes to the package whose code ran: Strawberry, graphql-core, our schema layer
(``graphql_api/schema``: resolvers and types), our other code (HTTP layer, snapshots,
repository), SQLAlchemy and its driver, Flask/Werkzeug, and JSON encoding (orjson /
json). Standard-library and C functions count for their caller (``base64`` called by our
cursor code is ours). The ms per bucket are shares of the unprofiled time per request.
Writes, for reading, pyinstrument's call tree (``profile-a-tree.txt``) and the self time
per function, sampled and by cProfile (``profile-a-functions.txt``), to the results folder.

Also splits graphql-core's own work on plain dicts (parse, validate, execute, encode) for
(a), (b), (c), which tells what any GraphQL server on graphql-core pays at least.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import signal
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import orjson
from graphql import parse, validate
from graphql.execution import execute
from pyinstrument import Profiler

from .common import ROOT, median
from .inproc import new_app

if TYPE_CHECKING:
    from pathlib import Path
    from types import FrameType

    from .gql_peer import Peer
    from .workloads import Request

BUCKETS = (
    ("/strawberry/", "Strawberry"),
    ("/graphql/", "graphql-core"),
    ("/graphql_api/schema/execution.py", "ours: schema/execution.py (leaf fast path)"),
    ("/graphql_api/schema/", "ours: schema (resolvers, types)"),
    ("/graphql_api/", "ours: HTTP layer, snapshots, repository"),
    ("/sqlalchemy/", "SQLAlchemy + driver"),
    ("/psycopg", "SQLAlchemy + driver"),
    ("/sqlite3/", "SQLAlchemy + driver"),
    ("/flask/", "Flask/Werkzeug"),
    ("/werkzeug/", "Flask/Werkzeug"),
    ("/cross_web/", "Flask/Werkzeug"),
)
JSON_BUCKET = "JSON encoding (orjson/json)"
#: Functions whose samples are JSON encoding (orjson is C: its time shows in its caller).
JSON_FUNCTIONS = frozenset({"encode_json", "dumps", "encode", "iterencode"})


def bucket_of(frame: FrameType | None) -> str:
    """The bucket of a sampled stack: the innermost frame that belongs to one.

    Standard-library frames (and C functions, which have no frame) count for their caller.
    """
    while frame is not None:
        code = frame.f_code
        if code.co_name in JSON_FUNCTIONS:
            return JSON_BUCKET
        for key, name in BUCKETS:
            if key in code.co_filename:
                return name
        frame = frame.f_back
    return "other"


def short(frame: FrameType) -> str:
    """``package/module.py:function`` of a frame."""
    path = frame.f_code.co_filename.split("site-packages/")[-1].removeprefix(str(ROOT) + "/")
    return f"{path}:{frame.f_code.co_name}"


class Sampler:
    """A statistical profiler: SIGALRM every ``interval`` s of wall time, stack → bucket.

    Unlike tracing profilers (cProfile, and pyinstrument's call hooks), it adds no cost
    per call, so call-heavy code (graphql-core) does not look more expensive than it is.
    """

    def __init__(self, interval: float = 0.0005) -> None:
        self.interval = interval
        self.samples: Counter[str] = Counter()

        self.functions: Counter[str] = Counter()

    def _on_signal(self, _signum: int, frame: FrameType | None) -> None:
        self.samples[bucket_of(frame)] += 1
        if frame is not None:
            name = short(frame)
            if frame.f_code.co_filename == "<string>" and frame.f_back is not None:
                name += f" (generated, e.g. a namedtuple's __new__; by {short(frame.f_back)})"
            self.functions[name] += 1

    def __enter__(self) -> Sampler:
        self._old = signal.signal(signal.SIGALRM, self._on_signal)
        signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)
        return self

    def __exit__(self, *_exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, self._old)


def profile(url: str, req: Request, *, requests: int, out_dir: Path) -> dict[str, Any]:
    """Buckets for ``requests`` executions of ``req`` (warm snapshot, no response cache)."""
    client = new_app(url, RESPONSE_CACHE_BYTES=0).test_client()
    for _ in range(3):
        req.send(client)
    t0 = time.perf_counter()
    for _ in range(requests):
        req.send(client)
    plain_ms = (time.perf_counter() - t0) * 1000 / requests
    with Sampler() as sampler:
        t0 = time.perf_counter()
        for _ in range(requests):
            req.send(client)
        sampled_ms = (time.perf_counter() - t0) * 1000 / requests
    total = sum(sampler.samples.values())
    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(max(3, requests // 3)):
        req.send(client)
    profiler.stop()
    (out_dir / "profile-a-tree.txt").write_text(profiler.output_text(unicode=True, color=False))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(max(3, requests // 3)):
        req.send(client)
    prof.disable()
    text = io.StringIO()
    text.write(
        f"Self time per function, {total} samples of the innermost frame (C calls count "
        f"for their caller), {requests} requests of (a), response cache off:\n"
    )
    for name, count in sampler.functions.most_common(40):
        text.write(
            f"{100 * count / total:6.1f} %  {plain_ms * count / total:7.2f} ms/req  {name}\n"
        )
    text.write("\ncProfile (tracing: adds a cost per call), by own time:\n")
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(30)
    (out_dir / "profile-a-functions.txt").write_text(text.getvalue())
    return {
        "requests": requests,
        "ms_per_request": plain_ms,
        "ms_per_request_sampled": sampled_ms,
        "samples": total,
        "buckets": {
            k: {"ms_per_request": plain_ms * v / total, "share": v / total}
            for k, v in sampler.samples.most_common()
        },
    }


def graphql_core_split(peer: Peer, requests: list[Request], *, n: int) -> dict[str, Any]:
    """graphql-core on plain dicts: parse / validate / execute / encode, median ms."""
    out = {}
    for req in (r for r in requests if r.method == "POST"):
        body = json.loads(req.body)
        times: dict[str, list[float]] = {"parse": [], "validate": [], "execute": [], "encode": []}
        for _ in range(n):
            t0 = time.perf_counter()
            doc = parse(body["query"])
            t1 = time.perf_counter()
            errors = validate(peer.schema, doc)
            t2 = time.perf_counter()
            result = execute(
                peer.schema, doc, root_value=peer.root, variable_values=body["variables"]
            )
            t3 = time.perf_counter()
            orjson.dumps({"data": result.data})  # type: ignore[union-attr]
            t4 = time.perf_counter()
            if errors:
                raise RuntimeError(f"{req.name}: {errors}")
            for k, a, b in (
                ("parse", t0, t1),
                ("validate", t1, t2),
                ("execute", t2, t3),
                ("encode", t3, t4),
            ):
                times[k].append((b - a) * 1000)
        out[req.name] = {k: median(v) for k, v in times.items()}
    return out
