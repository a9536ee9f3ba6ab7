"""The in-memory caches and HTTP cache helpers, without a database.

- :class:`~graphql_api.store.response_cache.ResponseCache`: get/put, LRU eviction order, byte
  accounting, older revisions dropped, oversized bodies refused.
- :mod:`graphql_api.web.http_cache`: ``etag_matches``, ``etag``, ``request_key``,
  ``cache_control``.
- :class:`~graphql_api.store.snapshots.SnapshotStore`: driven through a fake repository
  (monkeypatched), so hits and misses are counted as calls to ``load_layers``.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pytest

from graphql_api import create_app
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.incremental import Sized
from graphql_api.dtcg.nodes import Document, TokenNode
from graphql_api.store import carry, layer_cache, snapshots
from graphql_api.store.repository import Catalog, ContextInfo, ModifierInfo
from graphql_api.store.response_cache import RESPONSE_CACHE_KEY, ResponseCache, TokenReads
from graphql_api.store.snapshots import SnapshotStore
from graphql_api.web.http_cache import cache_control, etag, etag_matches, request_key

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

KEY_A, KEY_B, KEY_C, KEY_D = "a" * 64, "b" * 64, "c" * 64, "d" * 64


# --------------------------------------------------------------------------- ResponseCache


def test_get_of_unknown_entry_is_none() -> None:
    cache = ResponseCache(100)
    assert cache.get(1, KEY_A) is None
    assert (cache.size, len(cache)) == (0, 0)


def test_put_then_get_returns_the_same_bytes() -> None:
    cache = ResponseCache(100)
    cache.put(1, KEY_A, b'{"data":1}')
    assert cache.get(1, KEY_A) == b'{"data":1}'
    assert cache.get(1, KEY_B) is None  # another request
    assert cache.get(2, KEY_A) is None  # the same request at another revision
    assert (cache.size, len(cache)) == (10, 1)


def test_size_counts_the_bytes_held() -> None:
    cache = ResponseCache(100)
    cache.put(1, KEY_A, b"x" * 10)
    cache.put(1, KEY_B, b"y" * 25)
    assert (cache.size, len(cache)) == (35, 2)


def test_replacing_an_entry_counts_its_bytes_once() -> None:
    cache = ResponseCache(100)
    cache.put(1, KEY_A, b"x" * 30)
    cache.put(1, KEY_A, b"y" * 20)
    assert cache.get(1, KEY_A) == b"y" * 20
    assert (cache.size, len(cache)) == (20, 1)


def test_least_recently_stored_entry_is_evicted_first() -> None:
    cache = ResponseCache(30)
    cache.put(1, KEY_A, b"a" * 10)
    cache.put(1, KEY_B, b"b" * 10)
    cache.put(1, KEY_C, b"c" * 10)
    cache.put(1, KEY_D, b"d" * 10)  # 40 > 30: A goes
    assert cache.get(1, KEY_A) is None
    assert [cache.get(1, k) for k in (KEY_B, KEY_C, KEY_D)] == [b"b" * 10, b"c" * 10, b"d" * 10]
    assert cache.size == 30


def test_get_makes_an_entry_recently_used() -> None:
    cache = ResponseCache(30)
    cache.put(1, KEY_A, b"a" * 10)
    cache.put(1, KEY_B, b"b" * 10)
    cache.put(1, KEY_C, b"c" * 10)
    assert cache.get(1, KEY_A) is not None  # A is now the most recent; B the oldest
    cache.put(1, KEY_D, b"d" * 10)
    assert cache.get(1, KEY_B) is None
    assert cache.get(1, KEY_A) == b"a" * 10


def test_a_large_entry_evicts_as_many_as_needed() -> None:
    cache = ResponseCache(30)
    for key in (KEY_A, KEY_B, KEY_C):
        cache.put(1, key, b"z" * 10)
    cache.put(1, KEY_D, b"d" * 25)
    assert [cache.get(1, k) for k in (KEY_A, KEY_B, KEY_C)] == [None, None, None]
    assert cache.get(1, KEY_D) == b"d" * 25
    assert (cache.size, len(cache)) == (25, 1)


def test_body_of_exactly_the_budget_is_stored() -> None:
    cache = ResponseCache(10)
    cache.put(1, KEY_A, b"a" * 10)
    assert cache.get(1, KEY_A) == b"a" * 10
    assert cache.size == 10


def test_oversized_body_is_not_stored_and_evicts_nothing() -> None:
    cache = ResponseCache(10)
    cache.put(1, KEY_A, b"a" * 5)
    cache.put(1, KEY_B, b"b" * 11)
    assert cache.get(1, KEY_B) is None
    assert cache.get(1, KEY_A) == b"a" * 5
    assert (cache.size, len(cache)) == (5, 1)


@pytest.mark.parametrize("budget", [0, -5])
def test_zero_budget_stores_nothing(budget: int) -> None:
    cache = ResponseCache(budget)
    cache.put(1, KEY_A, b"{}")
    assert cache.get(1, KEY_A) is None
    assert (cache.max_bytes, cache.size, len(cache)) == (0, 0, 0)


def test_storing_a_newer_revision_drops_older_ones() -> None:
    cache = ResponseCache(1000)
    cache.put(1, KEY_A, b"a" * 10)
    cache.put(1, KEY_B, b"b" * 10)
    cache.put(2, KEY_C, b"c" * 10)
    cache.put(2, KEY_D, b"d" * 10)
    assert cache.get(1, KEY_A) is None
    assert cache.get(1, KEY_B) is None
    assert cache.get(2, KEY_C) == b"c" * 10
    assert (cache.size, len(cache)) == (20, 2)
    cache.put(5, KEY_A, b"a" * 7)  # revisions need not be consecutive
    assert (cache.size, len(cache)) == (7, 1)


READS: TokenReads = {(("theme", "dark"),): frozenset({"a.b"})}


def test_an_entry_that_says_what_it_read_outlives_its_revision() -> None:
    cache = ResponseCache(1000)
    cache.put(1, KEY_A, b"a" * 10, base="base-a", reads=READS)
    cache.put(1, KEY_B, b"b" * 10)
    cache.put(2, KEY_C, b"c" * 10)
    assert cache.get(1, KEY_A) == b"a" * 10
    assert cache.get(1, KEY_B) is None
    entry = cache.latest("base-a")
    assert entry is not None
    assert (entry.revision, entry.key, entry.reads) == (1, KEY_A, READS)
    assert (cache.size, len(cache)) == (20, 2)


def test_storing_a_newer_revision_of_a_request_replaces_the_older_one() -> None:
    cache = ResponseCache(1000)
    cache.put(1, KEY_A, b"a" * 10, base="base", reads=READS)
    cache.put(2, KEY_B, b"a" * 10, base="base", reads=READS)
    assert cache.get(1, KEY_A) is None
    latest = cache.latest("base")
    assert latest is not None
    assert (latest.revision, latest.key) == (2, KEY_B)
    assert (cache.size, len(cache)) == (10, 1)


def test_a_discarded_or_evicted_entry_is_no_longer_the_latest() -> None:
    cache = ResponseCache(25)
    cache.put(1, KEY_A, b"a" * 10, base="base-a", reads=READS)
    cache.put(1, KEY_B, b"b" * 10, base="base-b", reads=READS)
    found = cache.latest("base-a")
    assert found is not None
    cache.discard(found)
    assert cache.latest("base-a") is None
    cache.put(1, KEY_C, b"c" * 20)  # evicts KEY_B
    assert cache.latest("base-b") is None
    assert (cache.size, len(cache)) == (20, 1)


def test_without_reads_an_entry_is_not_kept_for_later_revisions() -> None:
    cache = ResponseCache(1000)
    cache.put(1, KEY_A, b"a", base="base-a")
    assert cache.latest("base-a") is None


def test_size_never_exceeds_the_budget() -> None:
    cache = ResponseCache(100)
    for i in range(200):
        cache.put(1, f"{i:064x}", b"x" * (1 + i % 37))
        assert cache.size <= cache.max_bytes
    held = sum(len(cache.get(1, f"{i:064x}") or b"") for i in range(200))
    assert held == cache.size  # the accounting matches what is really held


def test_concurrent_puts_keep_the_accounting_right() -> None:
    """Six threads forced to switch every microsecond: without the cache's lock, puts race
    (``OrderedDict mutated during iteration``, sizes counted twice); with it, none does."""
    cache = ResponseCache(500)
    failures: list[BaseException] = []

    def fill(worker: int) -> None:
        try:
            for i in range(2000):
                cache.put(1, f"{worker}-{i % 50}", b"x" * (1 + (i * worker) % 23))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=fill, args=(w,)) for w in range(1, 7)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    held = sum(len(cache.get(1, f"{w}-{i}") or b"") for w in range(1, 7) for i in range(50))
    assert held == cache.size <= cache.max_bytes


# --------------------------------------------------------------------------- etag_matches

TAG = '"r3-0123456789abcdef01234567"'


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(TAG, id="exact"),
        pytest.param(f"W/{TAG}", id="weak"),
        pytest.param("*", id="star"),
        pytest.param(f'"r2-0123456789abcdef01234567", {TAG}', id="list"),
        pytest.param(f'"x",W/{TAG},"y"', id="list-no-spaces"),
        pytest.param(f'  "x" ,   {TAG}  ', id="list-padded"),
    ],
)
def test_etag_matches(header: str) -> None:
    assert etag_matches(header, TAG)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="absent"),
        pytest.param("", id="empty"),
        pytest.param('"r3-ffffffffffffffffffffffff"', id="other-tag"),
        pytest.param('"r2-0123456789abcdef01234567"', id="other-revision"),
        pytest.param(TAG.strip('"'), id="unquoted"),
        pytest.param('W/"other"', id="weak-other"),
        pytest.param('"a", "b"', id="list-without-it"),
        pytest.param(f"w/{TAG}", id="lowercase-weak-prefix"),  # RFC 9110: "W/" is case-sensitive
    ],
)
def test_etag_does_not_match(header: str | None) -> None:
    assert not etag_matches(header, TAG)


def test_etag_is_a_quoted_strong_tag_of_revision_and_key() -> None:
    tag = etag(7, KEY_A)
    assert tag.startswith('"')
    assert tag.endswith('"')  # quoted, and strong (no W/)
    assert "r7" in tag
    assert etag(8, KEY_A) != tag
    assert etag(7, KEY_B) != tag
    assert etag_matches(tag, tag)


# --------------------------------------------------------------------------- request_key


def test_request_key_is_stable_under_variable_key_order() -> None:
    q = "query($a: Int, $b: String) { x }"
    one = request_key(q, {"a": 1, "b": "x", "c": {"y": [1, 2], "z": None}}, None)
    two = request_key(q, {"c": {"z": None, "y": [1, 2]}, "b": "x", "a": 1}, None)
    assert one == two
    assert re.fullmatch("[0-9a-f]{64}", one)


def test_request_key_tells_requests_apart() -> None:
    q = "query A { x } query B { y }"
    keys = {
        request_key(q, None, "A"),
        request_key(q, None, "B"),
        request_key(q, None, None),
        request_key(q, {"first": 1}, "A"),
        request_key(q, {"first": 2}, "A"),
        request_key(q, {"first": "1"}, "A"),
        request_key(q + " ", None, "A"),
        request_key(q, {"list": [1, 2]}, "A"),
        request_key(q, {"list": [2, 1]}, "A"),  # list order matters
    }
    assert len(keys) == 9


def test_request_key_treats_no_variables_as_empty_variables() -> None:
    assert request_key("{ x }", None, None) == request_key("{ x }", {}, None)


def test_request_key_accepts_integers_beyond_64_bits() -> None:
    # Variables come from JSON, which has no integer limit; orjson refuses such integers.
    big = request_key("query($n: Int) { x }", {"n": 2**70}, None)
    other = request_key("query($n: Int) { x }", {"n": 2**70 + 1}, None)
    assert big != other
    assert big == request_key("query($n: Int) { x }", {"n": 2**70}, None)


# --------------------------------------------------------------------------- cache_control


def test_cache_control() -> None:
    assert cache_control(60) == "public, max-age=60, must-revalidate"
    assert cache_control(0) == "public, max-age=0, must-revalidate"
    assert cache_control(-10) == "public, max-age=0, must-revalidate"
    assert cache_control(5, private=True).startswith("private, max-age=5")


# --------------------------------------------------------------------------- SnapshotStore


def _catalog() -> Catalog:
    contexts = tuple(ContextInfo(10 + i, name, None) for i, name in enumerate("abcdef"))
    return Catalog(
        sets=((1, "base", 0),),
        modifiers={"theme": ModifierInfo(1, "theme", None, "a", 1, contexts)},
    )


@dataclass
class FakeRepository:
    """Stands in for :mod:`graphql_api.store.repository` in :mod:`graphql_api.store.snapshots`."""

    revision: int = 1
    catalog_loads: int = 0
    layer_loads: list[list[tuple[str, int]]] = field(default_factory=list)
    #: revisions handed out after each ``load_layers`` (a write landing during a load)
    bump_during_load: int = 0

    def current_revision(self, _session: Any) -> int:
        return self.revision

    def load_catalog(self, _session: Any) -> Catalog:
        self.catalog_loads += 1
        return _catalog()

    def load_layers(self, _session: Any, layers: Any) -> tuple[list[Any], dict[str, int]]:
        self.layer_loads.append(list(layers))
        if self.bump_during_load:
            self.bump_during_load -= 1
            self.revision += 1
        return [], {}


@dataclass
class FakeLayerCache:
    """Stands in for :mod:`graphql_api.store.layer_cache`: keeps nothing, loads every time."""

    repo: FakeRepository

    def load(self, session: Any, _revision: int, keys: Any) -> tuple[list[Any], dict[Any, Any]]:
        self.repo.load_layers(session, keys)
        return [Document() for _ in keys], {}

    def kept(self, *_args: Any) -> dict[Any, Any]:
        return {}

    def put(self, *_args: Any) -> None:
        pass

    def clear(self) -> None:
        pass


@pytest.fixture
def repo(monkeypatch: pytest.MonkeyPatch) -> FakeRepository:
    fake = FakeRepository()
    monkeypatch.setattr(snapshots, "repository", fake)
    monkeypatch.setattr(snapshots, "layer_cache", FakeLayerCache(fake))
    # No real layers: resolution of an empty document gives no tokens and no errors.
    monkeypatch.setattr(snapshots, "flatten", lambda docs: {})
    monkeypatch.setattr(snapshots, "resolve_sized", lambda flat: (Sized({}, {}, {}, False), []))
    # Nothing to carry forward without a database: a newer revision rebuilds.
    monkeypatch.setattr(carry, "forward", lambda *_args: None)
    # No engine to key the write check's size totals by (``store.resolved_totals``).
    monkeypatch.setattr(snapshots, "_learn_total", lambda *_args: None)
    return fake


def _theme(ctx: str) -> dict[str, str]:
    return {"theme": ctx}


def test_hit_loads_nothing(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    first = store.get(None, _theme("b"))  # type: ignore[arg-type]
    again = store.get(None, _theme("b"))  # type: ignore[arg-type]
    assert again is first
    assert len(repo.layer_loads) == 1
    assert repo.layer_loads[0] == [("set", 1), ("theme", 11)]
    assert repo.catalog_loads == 1


def test_defaults_and_explicit_default_share_a_snapshot(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    implicit = store.get(None, None)  # type: ignore[arg-type]
    explicit = store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert explicit is implicit
    assert implicit.selection == {"theme": "a"}
    assert len(repo.layer_loads) == 1


@pytest.mark.parametrize("size", [1, 2, 3])
def test_store_holds_at_most_max_size_snapshots(repo: FakeRepository, size: int) -> None:
    store = SnapshotStore(size)
    for ctx in "abcdef":
        store.get(None, _theme(ctx))  # type: ignore[arg-type]
        assert len(store._snapshots) <= size
    assert len(store._snapshots) == size
    loads = len(repo.layer_loads)
    store.get(None, _theme("f"))  # type: ignore[arg-type]  # the newest is kept
    assert len(repo.layer_loads) == loads
    store.get(None, _theme("a"))  # type: ignore[arg-type]  # the oldest was dropped
    assert len(repo.layer_loads) == loads + 1


def test_store_evicts_the_least_recently_used(repo: FakeRepository) -> None:
    store = SnapshotStore(2)
    store.get(None, _theme("a"))  # type: ignore[arg-type]
    store.get(None, _theme("b"))  # type: ignore[arg-type]
    store.get(None, _theme("a"))  # type: ignore[arg-type]  # a is recent again; b the oldest
    store.get(None, _theme("c"))  # type: ignore[arg-type]  # evicts b
    loads = len(repo.layer_loads)
    store.get(None, _theme("a"))  # type: ignore[arg-type]
    store.get(None, _theme("c"))  # type: ignore[arg-type]
    assert len(repo.layer_loads) == loads
    store.get(None, _theme("b"))  # type: ignore[arg-type]
    assert len(repo.layer_loads) == loads + 1


def test_zero_size_keeps_one(repo: FakeRepository) -> None:
    store = SnapshotStore(0)
    assert store.max_size == 1
    first = store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert store.get(None, _theme("a")) is first  # type: ignore[arg-type]


def test_newer_revision_replaces_the_selection_s_older_snapshot(repo: FakeRepository) -> None:
    store = SnapshotStore(10)
    old = {ctx: store.get(None, _theme(ctx)) for ctx in "abc"}  # type: ignore[arg-type]
    assert len(store._snapshots) == 3
    repo.revision = 2
    new = store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert new is not old["a"]
    assert new.revision == 2
    # "a" keeps its newest snapshot only; "b" and "c" stay at revision 1, from where their
    # next read carries them forward.
    assert sorted(store._snapshots) == [
        (1, (("theme", "b"),)),
        (1, (("theme", "c"),)),
        (2, (("theme", "a"),)),
    ]
    assert repo.catalog_loads == 2  # the catalog is reloaded once per revision


def test_caller_revision_is_used_without_reading_it(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    store.get(None, _theme("a"), revision=1)  # type: ignore[arg-type]
    repo.revision = 99  # would be read if the store asked the database
    snap = store.get(None, _theme("a"), revision=1)  # type: ignore[arg-type]
    assert snap.revision == 1
    assert len(repo.layer_loads) == 1


def test_write_during_a_load_is_retried_at_the_new_revision(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    repo.bump_during_load = 1
    snap = store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert snap.revision == 2
    assert len(repo.layer_loads) == 2
    assert list(store._snapshots) == [(2, (("theme", "a"),))]  # the torn read was not kept


def test_data_changing_during_every_attempt_raises(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    repo.bump_during_load = 10
    with pytest.raises(RuntimeError):
        store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert len(store._snapshots) == 0


def test_bad_input_raises_and_stores_nothing(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    with pytest.raises(DTCGErrorGroup) as info:
        store.get(None, _theme("nope"))  # type: ignore[arg-type]
    assert info.value.errors[0].code == "UNKNOWN_CONTEXT"
    assert repo.layer_loads == []


def test_clear_forgets_snapshots_and_catalog(repo: FakeRepository) -> None:
    store = SnapshotStore(4)
    store.get(None, _theme("a"))  # type: ignore[arg-type]
    store.clear()
    store.get(None, _theme("a"))  # type: ignore[arg-type]
    assert (len(repo.layer_loads), repo.catalog_loads) == (2, 2)


# --------------------------------------------------------------------------- settings


def test_create_app_sizes_the_caches_from_its_settings(tmp_path: Path) -> None:
    # No request is made: the engine is created but never connects.
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "SNAPSHOT_CACHE_SIZE": 3,
            "RESPONSE_CACHE_BYTES": 1234,
        }
    )
    assert app.extensions[snapshots.SNAPSHOTS_KEY].max_size == 3
    assert app.extensions[RESPONSE_CACHE_KEY].max_bytes == 1234
    assert not (tmp_path / "unused.sqlite3").exists()


def _layer(tokens: int) -> Document:
    return Document({f"t.{i}": TokenNode(f"t.{i}", i) for i in range(tokens)})


def test_kept_layers_are_bounded_in_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``MAX_TOKENS`` the least recently used revision is forgotten, the newest kept."""
    monkeypatch.setattr(layer_cache, "database_of", lambda session: session)
    monkeypatch.setattr(layer_cache, "MAX_TOKENS", 10)
    monkeypatch.setattr(layer_cache, "_KEPT", layer_cache._Kept())
    one, two, big = _layer(4), _layer(4), _layer(30)
    db, other = cast("Session", "db"), cast("Session", "other")  # sessions stand for databases
    layer_cache.put(db, 1, {("set", 1): one})
    layer_cache.put(db, 2, {("set", 1): two})
    assert layer_cache.kept(db, 1, [("set", 1)]) == {("set", 1): one}  # 1 used last
    layer_cache.put(db, 3, {("set", 1): _layer(4)})  # 12 tokens: 2, the oldest, goes
    assert layer_cache.kept(db, 2, [("set", 1)]) == {}
    assert layer_cache.kept(db, 1, [("set", 1)]) == {("set", 1): one}
    layer_cache.put(other, 1, {("theme", 7): big})  # alone over the bound: kept alone
    assert layer_cache.kept(other, 1, [("theme", 7), ("set", 1)]) == {("theme", 7): big}
    assert layer_cache.kept(db, 1, [("set", 1)]) == {}
    layer_cache.carry(other, 1, 2, changed=[("theme", 7)])
    assert layer_cache.kept(other, 2, [("theme", 7)]) == {}  # a changed layer is not carried
