"""The scheduling list of the test suite names modules that exist."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import LONG_MODULES

ROOT = Path(__file__).resolve().parents[2]


def test_every_long_module_exists() -> None:
    missing = [name for name in LONG_MODULES if not (ROOT / name).is_file()]
    assert missing == []
    assert len(set(LONG_MODULES)) == len(LONG_MODULES)
