"""Cross-check the Style Dictionary 5 oracle against the owners' own build of the same version.

Usage: python3 check_owner_build.py   (needs npm and coloraide; reads no code of this repository)

Downloads ``@launchpad-ui/tokens`` at the manifest's version. ``dist/tokens.json`` holds
every token of the default theme with its ``path`` and its built ``$value`` (colours as
``rgb()``, sizes in rem of 16 px); ``dist/themes.css`` holds the dark theme as a
``[data-theme='dark']`` block of custom properties (``--lp-<name>``, ``var()`` references
resolved here against the dark block, then ``:root``). Every colour and dimension of
``oracle/default.json`` and every colour of ``oracle/dark.json`` that the build outputs is
compared (colours by sRGB value, sizes by px). Prints the counts; exits 1 on a difference.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from coloraide import Color

HERE = Path(__file__).resolve().parent
MANIFEST = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
PACKAGE = f"@launchpad-ui/tokens@{MANIFEST['version']}"
_SIZE = re.compile(r"^(-?[\d.]+)(px|rem)?$")


def built() -> tuple[list[dict], str]:
    with tempfile.TemporaryDirectory() as tmp:
        npm = ["npm", "pack", PACKAGE, "--silent"]
        out = subprocess.run(npm, cwd=tmp, check=True, capture_output=True, text=True)
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package/dist"
        tokens = json.loads((dist / "tokens.json").read_text(encoding="utf-8"))
        css = (dist / "themes.css").read_text(encoding="utf-8")
    return [t for group in tokens.values() for t in group], css


def colour(v: object) -> Color | None:
    try:
        return Color(str(v).strip()).convert("srgb")
    except ValueError:
        return None


def same_colour(a: Color, b: Color) -> bool:
    pairs = zip([*a.coords(), a.alpha()], [*b.coords(), b.alpha()], strict=True)
    return all(abs(p - q) <= 0.5 / 255 for p, q in pairs)


def px(v: object) -> float | None:
    m = _SIZE.match(str(v).strip())
    return None if m is None else float(m.group(1)) * (16 if m.group(2) == "rem" else 1)


def agree(oracle: object, build: object) -> bool | None:
    """None when the value is neither a colour nor a size."""
    if isinstance(oracle, str) and oracle.startswith("#"):
        a, b = colour(oracle), colour(build)
        return a is not None and b is not None and same_colour(a, b)
    if isinstance(oracle, (int, float)) or (isinstance(oracle, str) and _SIZE.match(oracle)):
        a, b = px(oracle), px(build)
        return a is not None and b is not None and abs(a - b) < 1e-6
    return None


def dark_values(css: str, names: dict[str, str]) -> dict[str, str]:
    blocks = {
        sel.strip(): dict(re.findall(r"--([\w-]+):\s*([^;]+);", body))
        for sel, body in re.findall(r"([^{}/]+)\{([^}]*)\}", css)
    }
    root = next(v for k, v in blocks.items() if k.startswith(":root"))
    dark = next(v for k, v in blocks.items() if "dark" in k)

    def value(name: str) -> str:
        v = dark.get(name, root.get(name, ""))
        m = re.fullmatch(r"var\(--([\w-]+)\)", v.strip())
        return value(m.group(1)) if m else v

    return {names[n]: value(n) for n in dark if n in names}


def main() -> int:
    tokens, css = built()
    default = {".".join(t["path"]): t["$value"] for t in tokens}
    names = {"lp-" + t["name"]: ".".join(t["path"]) for t in tokens}
    checked = bad = 0
    for combo, build in (("default", default), ("dark", dark_values(css, names))):
        oracle = json.loads((HERE / f"oracle/{combo}.json").read_text(encoding="utf-8"))
        for path, value in build.items():
            ok = agree(oracle.get(path), value) if path in oracle else None
            if ok is None:
                continue
            checked += 1
            if not ok:
                bad += 1
                print(f"{combo} {path}: oracle {oracle[path]!r}, owners' build {value!r}")  # noqa: T201
    print(f"{checked} values checked against the owners' build, {bad} differ")  # noqa: T201
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
