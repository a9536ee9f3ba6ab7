"""The in-memory usage recorder, its helpers and the replay memo, without a database.

- :func:`~graphql_api.usage.recorder.theme_key` / ``parse_theme_key``: canonical text of a
  theme combination, escaping, round trip, over-long keys.
- :func:`~graphql_api.usage.recorder.normalise_client`, ``utc_today`` (kept per day).
- :class:`~graphql_api.usage.recorder.UsageRecorder`: counts per (day, path, theme, client),
  one count per request and token, sampling with weights, the bound on pending memory,
  thread safety.
- :class:`~graphql_api.usage.recorder.ReplayMemo` and ``merge_rows``.
- :mod:`graphql_api.usage.report`: the aggregation behind the reports.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphql_api.store.usage import DailyRow
from graphql_api.usage import report
from graphql_api.usage.recorder import (
    MAX_THEME_LENGTH,
    UNKNOWN_CLIENT,
    PathSet,
    ReplayMemo,
    UsageRecorder,
    group_reads,
    merge_rows,
    normalise_client,
    parse_theme_key,
    theme_key,
    utc_today,
)

DAY = date(2026, 11, 2)
LIGHT = "theme=light"
DARK = "theme=dark"


class Always(random.Random):
    """Draws that always sample."""

    def random(self) -> float:
        return 0.0


def recorder(**options: object) -> UsageRecorder:
    return UsageRecorder(today=lambda: DAY, **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- theme keys


def test_theme_key_sorts_by_modifier() -> None:
    assert theme_key({"theme": "dark", "pointer": "fine"}) == "pointer=fine,theme=dark"
    assert theme_key({}) == ""
    assert parse_theme_key("pointer=fine,theme=dark") == {"pointer": "fine", "theme": "dark"}
    assert parse_theme_key("") == {}


def test_theme_key_escapes_separators_in_names() -> None:
    key = theme_key({"a,b": "x=y", "c%": "d#e"})
    assert key == "a%2Cb=x%3Dy,c%25=d%23e"
    assert parse_theme_key(key) == {"a,b": "x=y", "c%": "d#e"}


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=5))
def test_theme_key_round_trips(selection: dict[str, str]) -> None:
    assert parse_theme_key(theme_key(selection)) == selection


def test_an_overlong_theme_key_is_cut_stays_distinct_and_does_not_parse() -> None:
    one = theme_key({"m": "x" * 2000})
    two = theme_key({"m": "x" * 1999 + "y"})
    assert len(one) == len(two) == MAX_THEME_LENGTH
    assert one != two
    assert parse_theme_key(one) is None


def test_a_malformed_key_does_not_parse() -> None:
    assert parse_theme_key("theme") is None


# --------------------------------------------------------------------------- client names


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("web", "web"),
        ("  web app  ", "web app"),
        ("", UNKNOWN_CLIENT),
        (None, UNKNOWN_CLIENT),
        ("   ", UNKNOWN_CLIENT),
        ("a\x00b\nc", "abc"),
        ("x" * 500, "x" * 200),
    ],
)
def test_normalise_client(given_name: str | None, expected: str) -> None:
    assert normalise_client(given_name) == expected


# --------------------------------------------------------------------------- recorder


def test_counts_per_day_path_theme_and_client() -> None:
    rec = recorder()
    rec.record([(LIGHT, ("a", "b")), (DARK, ("a",))], "web")
    rec.record([(LIGHT, ("a",))], "ios")
    rec.record([(LIGHT, ("a",))], "web", day=date(2026, 11, 1))

    assert rec.drain() == {
        (DAY, "a", LIGHT, "web"): 1,
        (DAY, "b", LIGHT, "web"): 1,
        (DAY, "a", DARK, "web"): 1,
        (DAY, "a", LIGHT, "ios"): 1,
        (date(2026, 11, 1), "a", LIGHT, "web"): 1,
    }
    assert rec.drain() == {}
    assert rec.pending == 0


def test_a_token_read_twice_by_one_request_counts_once() -> None:
    rec = recorder()
    rec.record([(LIGHT, ("a",)), (LIGHT, ("a", "b")), (LIGHT, ("a",))], "web")
    rec.record([(LIGHT, ("a",))], "web")
    assert rec.drain() == {(DAY, "a", LIGHT, "web"): 2, (DAY, "b", LIGHT, "web"): 1}


def test_the_same_request_repeated_is_one_pending_key() -> None:
    rec = recorder()
    for _ in range(100):
        rec.record([(LIGHT, ("a", "b", "c"))], "web")
    assert rec.pending == 3  # one key holding three paths, counted 100 times
    assert rec.drain() == {(DAY, p, LIGHT, "web"): 100 for p in "abc"}


def test_client_names_are_normalised() -> None:
    rec = recorder()
    rec.record([(LIGHT, ("a",))], "  web ")
    rec.record([(LIGHT, ("a",))], None)
    assert rec.drain() == {(DAY, "a", LIGHT, "web"): 1, (DAY, "a", LIGHT, UNKNOWN_CLIENT): 1}


def test_nothing_read_records_nothing() -> None:
    rec = recorder()
    assert rec.record([], "web") is False
    assert rec.record([(LIGHT, ())], "web") is False
    assert rec.drain() == {}


def test_sample_rate_zero_records_nothing() -> None:
    rec = recorder(sample_rate=0.0)
    for _ in range(50):
        assert rec.record([(LIGHT, ("a",))], "web") is False
    assert rec.drain() == {}


def test_sampled_requests_are_weighted_by_the_inverse_rate() -> None:
    rec = recorder(sample_rate=0.5, rng=random.Random(3))  # noqa: S311
    for _ in range(1000):
        rec.record([(LIGHT, ("a",))], "web")

    draws = random.Random(3)  # noqa: S311 - the same draws as the recorder's
    sampled = sum(draws.random() < 0.5 for _ in range(1000))
    assert 0 < sampled < 1000
    assert rec.drain() == {(DAY, "a", LIGHT, "web"): 2 * sampled}


def test_weighted_counts_are_rounded_half_up_at_the_drain() -> None:
    rec = recorder(sample_rate=0.4, rng=Always())
    rec.record([(LIGHT, ("a",))], "web")  # 2.5 → 3
    rec.record([(DARK, ("a",))], "web")
    rec.record([(DARK, ("a",))], "web")  # 5.0
    assert rec.drain() == {(DAY, "a", LIGHT, "web"): 3, (DAY, "a", DARK, "web"): 5}


def test_pending_memory_is_bounded_and_drops_are_counted() -> None:
    pressure: list[int] = []
    rec = recorder(max_pending=10, on_pressure=lambda: pressure.append(1))
    assert rec.record([(LIGHT, tuple("abcd"))], "web")
    assert not pressure  # 4 of 10
    assert rec.record([(DARK, tuple("abcde"))], "web")
    assert pressure  # 9 of 10: the flusher is woken
    assert not rec.record([(LIGHT, tuple("xy"))], "web")  # would hold 11
    assert rec.record([(LIGHT, tuple("abcd"))], "web")  # a known key still counts
    assert rec.dropped == 1
    assert rec.pending == 9
    assert rec.drain()[(DAY, "a", LIGHT, "web")] == 2


def test_concurrent_records_lose_nothing() -> None:
    rec = recorder()

    def work(n: int) -> None:
        for i in range(500):
            rec.record([(LIGHT, ("a", f"p{i % 7}"))], f"client{n % 3}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = rec.drain()
    assert sum(c for (_d, p, _t, _c), c in rows.items() if p == "a") == 8 * 500


def test_reset_forgets_pending() -> None:
    rec = recorder()
    rec.record([(LIGHT, ("a",))], "web")
    rec.reset()
    assert (rec.pending, rec.drain()) == (0, {})


def test_merge_rows_adds_and_bounds_new_keys() -> None:
    k1, k2, k3 = ((DAY, p, LIGHT, "web") for p in "abc")
    merged, dropped = merge_rows({k1: 2}, {k1: 3, k2: 1, k3: 1}, limit=2)
    assert merged[k1] == 5
    assert len(merged) == 2
    assert dropped == 1


# --------------------------------------------------------------------------- replay memo


def reads(*paths: str, theme: str = LIGHT) -> list[tuple[str, PathSet]]:
    return group_reads([(theme, paths)])


def test_group_reads_by_theme_in_reading_order() -> None:
    grouped = group_reads([(LIGHT, ["a"]), (DARK, ("b",)), (LIGHT, ("c", "a")), (DARK, ())])
    assert [(t, p.paths) for t, p in grouped] == [(LIGHT, ("a", "c", "a")), (DARK, ("b",))]
    assert group_reads([(LIGHT, ())]) == []


def test_path_sets_compare_by_content() -> None:
    one, two = PathSet(("a", "b")), PathSet(("a", "b"))
    assert one == two
    assert hash(one) == hash(two)
    assert one != PathSet(("b", "a"))
    assert len(one) == 2


def test_replayed_reads_count_like_the_original() -> None:
    rec = recorder()
    grouped = reads("a", "b")
    rec.record_reads(grouped, "web")
    rec.record_reads(grouped, "web")
    rec.record([(LIGHT, ["a", "b"])], "web")
    assert rec.pending == 2  # one key
    assert rec.drain() == {(DAY, "a", LIGHT, "web"): 3, (DAY, "b", LIGHT, "web"): 3}


def test_replay_memo_keeps_reads_per_revision_and_key() -> None:
    memo = ReplayMemo(max_paths=100)
    memo.put(1, "k", "Comp", reads("a", "b"))
    assert memo.get(1, "k") == ("Comp", reads("a", "b"))
    assert memo.get(2, "k") is None
    memo.put(2, "other", None, reads("a"))
    assert memo.get(1, "k") == ("Comp", reads("a", "b"))  # kept: it may be carried forward
    assert len(memo) == 2


def test_replay_memo_carries_an_entry_to_a_new_revision_and_key() -> None:
    memo = ReplayMemo(max_paths=100)
    memo.put(1, "k1", "Comp", reads("a", "b"))
    memo.carry((1, "k1"), (3, "k3"))
    memo.carry((1, "unknown"), (3, "k4"))
    assert memo.get(3, "k3") == ("Comp", reads("a", "b"))
    assert memo.get(3, "k4") is None


def test_replay_memo_is_bounded_by_paths() -> None:
    memo = ReplayMemo(max_paths=10)
    memo.put(1, "a", None, reads(*"abcd"))  # 5 with its entry
    memo.put(1, "b", None, reads(*"abcd"))
    memo.put(1, "c", None, reads(*"abcd"))  # evicts "a"
    memo.put(1, "huge", None, reads(*"abcdefghijk"))  # larger than the bound
    assert memo.get(1, "a") is None
    assert memo.get(1, "b") is not None
    assert memo.get(1, "c") is not None
    assert memo.get(1, "huge") is None


# --------------------------------------------------------------------------- reports


def row(day: int, path: str, theme: str, client: str, count: int) -> DailyRow:
    return DailyRow(date(2026, 11, day), path, theme, client, count)


def test_summarise_groups_by_client_day_and_theme() -> None:
    rows = [
        row(2, "a", LIGHT, "web", 3),
        row(2, "a", DARK, "web", 1),
        row(1, "a", LIGHT, "ios", 5),
        row(3, "a", LIGHT, "ios", 1),
        row(3, "b", LIGHT, "ios", 100),  # another path: ignored
    ]
    s = report.summarise("a", rows)
    assert (s.total, s.first_seen, s.last_seen) == (10, date(2026, 11, 1), date(2026, 11, 3))
    assert s.clients == [
        report.ClientCount("ios", 6, date(2026, 11, 3)),
        report.ClientCount("web", 4, date(2026, 11, 2)),
    ]
    assert [(d.day.day, d.client, d.count) for d in s.days] == [
        (1, "ios", 5),
        (2, "web", 4),
        (3, "ios", 1),
    ]
    assert s.themes == [report.ThemeCount(LIGHT, 9), report.ThemeCount(DARK, 1)]


def test_summarise_of_nothing() -> None:
    s = report.summarise("a", [])
    assert (s.total, s.first_seen, s.last_seen, s.clients, s.days) == (0, None, None, [], [])


def test_deprecated_uses_sorted_by_total_with_the_main_themes_reason() -> None:
    rows = [row(1, "a", LIGHT, "web", 1), row(2, "b", DARK, "ios", 4), row(2, "b", LIGHT, "ios", 1)]
    reasons = {(LIGHT, "a"): None, (DARK, "b"): "use c", (LIGHT, "b"): "old"}
    uses = report.deprecated_uses(rows, reasons)
    assert [(u.path, u.total, u.reason) for u in uses] == [("b", 5, "use c"), ("a", 1, None)]
    assert uses[0].last_seen == date(2026, 11, 2)


def test_deprecation_lookup_reads_each_themes_snapshot_once() -> None:
    class Tok:
        def __init__(self, deprecated: bool | str | None) -> None:
            self.deprecated = deprecated

    class Snap:
        def __init__(self, tokens: dict[str, Tok]) -> None:
            self.tokens = tokens

    asked: list[dict[str, str]] = []

    def snapshot(selection: dict[str, str]) -> Snap | None:
        asked.append(selection)
        if selection == {"theme": "gone"}:
            return None
        return Snap({"a": Tok("use b"), "b": Tok(None)})

    lookup = report.deprecation_lookup(snapshot)
    assert lookup(LIGHT, "a") == "use b"
    assert lookup(LIGHT, "b") is None
    assert lookup(LIGHT, "missing") is None
    assert lookup("theme=gone", "a") is None
    assert lookup("broken", "a") is None  # does not parse: no snapshot asked
    assert asked == [{"theme": "light"}, {"theme": "gone"}]


@pytest.mark.parametrize(
    "moments",
    [
        pytest.param(["2026-11-02T23:59:59.999", "2026-11-03T00:00:00"], id="midnight"),
        pytest.param(["2026-11-03T12:00", "2026-11-02T12:00", "2026-11-03T00:00"], id="backwards"),
        pytest.param(["2026-12-31T23:59:59", "2027-01-01T00:00:01"], id="new-year"),
    ],
)
def test_utc_today_follows_the_clock_across_midnight(
    monkeypatch: pytest.MonkeyPatch, moments: list[str]
) -> None:
    for moment in moments:
        at = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        monkeypatch.setattr("graphql_api.usage.recorder.time.time", at.timestamp)
        assert utc_today() == at.date()
        assert utc_today() == at.date()  # from the memo
