"""Cross-check the Style Dictionary 5 oracle against the owners' own build (dist/tokens.css).

Usage: python3 check_owner_css.py   (needs npm and coloraide; reads no code of this repository)

Downloads ``@serendie/design-token`` at the manifest's version, reads ``dist/tokens.css``
(``:where(:root,:host)`` then one ``[data-panda-theme=<theme>]`` block per colour theme;
typography as ``--…-<name>_<mode>: <weight> <size>/<lineHeight>``) and compares, for every
combination, each colour (by sRGB value) and each typography token (weight, size,
line height) of ``oracle/*.json`` with the owners' CSS custom property of the same name
(the token path with ``.`` → ``-``). Prints the counts; exits 1 on any disagreement.
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
PACKAGE = f"@serendie/design-token@{MANIFEST['version']}"


def owner_css() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        npm = ["npm", "pack", PACKAGE, "--silent"]
        out = subprocess.run(npm, cwd=tmp, check=True, capture_output=True, text=True)
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            tar.extractall(tmp, filter="data")
        return (Path(tmp) / "package/dist/tokens.css").read_text(encoding="utf-8")


def same_colour(a: str, b: str) -> bool:
    x, y = Color(a).convert("srgb"), Color(b.strip()).convert("srgb")
    pairs = zip([*x.coords(), x.alpha()], [*y.coords(), y.alpha()], strict=True)
    return all(abs(p - q) <= 0.5 / 255 for p, q in pairs)


def main() -> int:
    blocks = re.findall(r"([^{}]+)\{([^}]*)\}", owner_css())
    props = [dict(re.findall(r"--([\w-]+):\s*([^;]+);", body)) for _, body in blocks]
    themes = {
        re.search(r"theme=([\w-]+)", sel).group(1): p
        for (sel, _), p in zip(blocks[1:], props[1:], strict=True)
    }
    bad = checked = 0
    for combo in MANIFEST["combinations"]:
        css = {**props[0], **themes.get(combo["input"]["colorTheme"], {})}
        oracle = json.loads((HERE / combo["oracle"]).read_text(encoding="utf-8"))
        for path, value in oracle.items():
            name = path.replace(".", "-")
            if isinstance(value, str) and value.startswith("#") and name in css:
                ok = same_colour(value, css[name])
            elif isinstance(value, dict) and "fontSize" in value:
                built = css.get(f"{name}_{combo['input']['typography']}")
                if built is None:
                    continue
                ok = (
                    built.strip()
                    == f"{value['fontWeight']} {value['fontSize']}/{value['lineHeight']}"
                )
            else:
                continue
            checked += 1
            if not ok:
                bad += 1
                print(f"{combo['id']} {path}: oracle {value!r}, owners' CSS {css.get(name)!r}")  # noqa: T201
    print(f"{checked} values checked against the owners' CSS, {bad} differ")  # noqa: T201
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
