"""``tokens`` pages list paths in natural order (``2, 12, 16, 112, 128``); cursors keep working."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.api.conftest import SharedDB

#: Primer's base sizes (src/tokens/base/size/size.json5), written out by hand.
BASE_SIZES = [
    f"base.size.{n}"
    for n in (2, 4, 6, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 64, 80, 96, 112, 128)
]

PAGE = """query($after: String) {
  tokens(filter: {pathPrefix: "base.size"}, first: 5, after: $after) {
    edges { cursor node { path } } pageInfo { hasNextPage endCursor }
  }
}"""


def test_primer_sizes_come_in_natural_order_page_by_page(primer: SharedDB) -> None:
    seen: list[str] = []
    after = None
    for _ in range(10):
        conn = primer.gql(PAGE, {"after": after})["data"]["tokens"]
        seen += [e["node"]["path"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen[: len(BASE_SIZES)] == BASE_SIZES  # numbers first, by value
    negatives = seen[len(BASE_SIZES) :]  # then base.size.negative-2, negative-4, …
    assert negatives
    assert all(p.startswith("base.size.negative-") for p in negatives)
    numbers = [int(p.rsplit("-", 1)[1]) for p in negatives]
    assert numbers == sorted(numbers)


def test_a_cursor_names_a_path_and_the_next_page_starts_after_it(primer: SharedDB) -> None:
    first = primer.gql(PAGE, {"after": None})["data"]["tokens"]
    cursor_of_12 = next(e["cursor"] for e in first["edges"] if e["node"]["path"] == "base.size.12")
    page = primer.gql(PAGE, {"after": cursor_of_12})["data"]["tokens"]
    assert [e["node"]["path"] for e in page["edges"]] == BASE_SIZES[5:10]
