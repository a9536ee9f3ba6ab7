"""Regenerate oracle/*.json from Spectrum's own build (dist/json/variables.json).

Usage: python3 make_oracle.py   (needs npm; reads nothing from this repository's code)

It runs ``npm pack @adobe/spectrum-tokens@VERSION`` in a temporary folder, checks that
the package's src/*.json are the files committed here, and for each theme combination
writes ``{token name: value}`` where value is the build's value with every ``sets``
object (at the token or inside a composite member) replaced by its entry for the
combination, and every ``{"value": …}`` wrapper the build leaves around a referenced
token replaced by that value. Nothing else is changed: values stay as the build
wrote them ("rgb(…)", "8px", "0.4", {x, y, blur, spread, color} …).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
PACKAGE = MANIFEST["source"].removeprefix("npm:")


def pick(value, contexts):
    """The build's value for one combination (``contexts``: set names to choose)."""
    if isinstance(value, dict) and "sets" in value:
        [chosen] = [name for name in value["sets"] if name in contexts]
        return pick(value["sets"][chosen], contexts)
    if isinstance(value, dict) and "value" in value:
        return pick(value["value"], contexts)
    if isinstance(value, dict):
        return {k: pick(v, contexts) for k, v in value.items()}
    if isinstance(value, list):
        return [pick(v, contexts) for v in value]
    return value


def unresolved(value):
    """True when a reference ``{…}`` is left in the value."""
    if isinstance(value, str):
        return value.startswith("{") and value.endswith("}")
    if isinstance(value, dict):
        return any(unresolved(v) for v in value.values())
    if isinstance(value, list):
        return any(unresolved(v) for v in value)
    return False


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        npm = ["npm", "pack", PACKAGE, "--silent"]
        out = subprocess.run(npm, cwd=tmp, check=True, capture_output=True, text=True)
        tgz = out.stdout.strip().splitlines()[-1]
        with tarfile.open(Path(tmp) / tgz) as tar:
            tar.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        for f in sorted((pkg / "src").glob("*.json")):
            if f.read_bytes() != (HERE / "src" / f.name).read_bytes():
                print(f"src/{f.name} differs from {PACKAGE}", file=sys.stderr)  # noqa: T201
                return 1
        built = json.loads((pkg / "dist/json/variables.json").read_text(encoding="utf-8"))
    (HERE / "oracle").mkdir(exist_ok=True)
    for combo in MANIFEST["combinations"]:
        contexts = set(combo["input"].values())
        oracle = {name: pick(token, contexts) for name, token in sorted(built.items())}
        left = sorted(name for name, v in oracle.items() if unresolved(v))
        if left:
            print(f"{combo['id']}: the build leaves references in {left}")  # noqa: T201
        text = json.dumps(oracle, indent=1, ensure_ascii=False) + "\n"
        (HERE / combo["oracle"]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
