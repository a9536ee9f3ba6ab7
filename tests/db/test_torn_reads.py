"""A write committed while a request is reading is never half seen (no torn read).

The write is made deterministically from inside ``repository.load_layers`` (between the
request's revision read and its layer reads) by another app instance, as another process
would. The response must be consistent with the revision it reports: the old revision
with the old value. The next request sees the new data.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from graphql_api.store import repository
from tests.helpers import data_of, import_tokens, write_themed

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest
    from flask import Flask

QUERY = (
    '{ revision token(path: "size.unit") { resolvedValue } '
    'dark: token(path: "size.gap", theme: [{modifier: "theme", context: "dark"}]) '
    "{ resolvedValue } }"
)


def read(app: Flask) -> tuple[int, Any, Any]:
    data = data_of(app.test_client().post("/graphql", json={"query": QUERY}).get_json())
    return data["revision"], data["token"]["resolvedValue"], data["dark"]["resolvedValue"]


def test_a_write_during_a_read_is_not_seen_half(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = make_app(RESPONSE_CACHE_BYTES=0), make_app()
    import_tokens(writer.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    real = repository.load_layers
    writes: list[int] = []

    def load_during_a_write(session: Any, layers: Any, *paths: Any) -> Any:
        if not writes:  # the first load of the request: another process commits now
            writes.append(1)
            new = write_themed(tmp_path / "v2", 8, ("light", "dark"))
            # A thread of its own: no app context of the reader's request leaks into it.
            thread = threading.Thread(target=import_tokens, args=(writer.test_cli_runner(), new))
            thread.start()
            thread.join()
        return real(session, layers, *paths)

    monkeypatch.setattr(repository, "load_layers", load_during_a_write)
    # revision 1 everywhere: unit 4px, and dark's gap 2 x 4 = 8px (not 16px from v2)
    assert read(reader) == (1, {"value": 4, "unit": "px"}, {"value": 8, "unit": "px"})
    assert writes == [1]
    assert read(reader) == (2, {"value": 8, "unit": "px"}, {"value": 16, "unit": "px"})
