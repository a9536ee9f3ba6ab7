"""Exporters: small pure functions turning resolved tokens into files.

- :mod:`.dtcg_json`: a DTCG 2025.10 document (``/tokens.json``).
- :mod:`.files`: CSS, SCSS, JS and TS (``/tokens.css`` …), from :mod:`.naming` (names),
  :mod:`.css_values` (one formatter per ``$type``), :mod:`.variables` (name checks),
  :mod:`.stylesheet` and :mod:`.js_module` (file shapes) and :mod:`.themes` (theme arguments).
"""
