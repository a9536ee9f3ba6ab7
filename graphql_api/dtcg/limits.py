"""Limits that keep the engine bounded on hostile input (uploads, pull requests, fuzzing).

Every limit is a constant of this module, read when it is needed (``limits.MAX_DEPTH``,
never copied at import), so a deployment or a test may change one by assigning it.
Passing a limit is reported with a code of the catalogue (:mod:`graphql_api.dtcg.errors`),
naming the file and JSON Pointer, never as another exception, a hang or a blow-up. The
defaults are far above what real design systems need (Primer's primitives: 1,488 tokens,
paths of at most 6 segments and 55 characters, values of at most about 1 KB of JSON,
files under 210 KB, 16 contexts) and far below what would exhaust a server; they are
guards, not performance targets.

===============================  ===============  =====================================
Limit                            Default          Reported as
===============================  ===============  =====================================
:data:`MAX_FILE_BYTES`           32 MiB           ``INVALID_JSON`` (reader)
:data:`MAX_DEPTH`                100 levels       ``INVALID_JSON`` (reader),
                                                  ``INVALID_NODE`` (parser),
                                                  ``INVALID_VALUE`` (resolved values),
                                                  ``INVALID_RESOLVER`` (``$ref`` chains)
:data:`MAX_JSON5_FALLBACK_BYTES` 256 KiB          ``INVALID_JSON`` (reader)
:data:`MAX_PATH_LENGTH`          1000 characters  ``INVALID_NAME`` (parser)
:data:`MAX_RESOLVED_SIZE`        100,000,000      ``INVALID_VALUE`` (resolver)
:data:`MAX_INTERPOLATED_LENGTH`  100,000 chars    ``INVALID_VALUE`` (resolver)
:data:`MAX_EXTENDS_DEPTH`        64 groups        ``INVALID_EXTENDS``
:data:`MAX_EXTENDED_TOKENS`      100,000          ``INVALID_EXTENDS``
:data:`MAX_SOURCE_TOKENS`        5,000,000        ``INVALID_RESOLVER`` (loading)
:data:`MAX_RESOLUTIONS`          5,000,000        ``INVALID_RESOLVER`` (validation)
:data:`LOOP_SEARCHES`            100              (message detail only)
:data:`MAX_TEXT_LENGTH`          4000 characters  (error texts are cut)
:data:`BRIEF_LENGTH`             200 characters   (values quoted in messages are cut)
===============================  ===============  =====================================
"""

from __future__ import annotations

#: Largest file the reader reads, in bytes. A larger file is refused before it is read,
#: and no more than this is ever read (a device or a growing file cannot make the reader
#: allocate without bound).
MAX_FILE_BYTES = 32 * 1024 * 1024

#: Deepest nesting of objects and arrays: in a file, in the data given to the parser
#: (groups, and values below their token), in a resolved value (references copy their
#: target's nesting into the value that uses them), and of ``$ref`` expansions in a
#: resolver document. Later stages walk values recursively, and Python's recursion limit
#: (1000 frames, shared with the caller) must never be reached.
MAX_DEPTH = 100

#: Largest text, in characters, given to the complete ``json5`` parser, which reads
#: about 100 KB per second. Larger files are read as JSON or with the common JSON5 forms
#: (comments, unquoted keys, single quotes, trailing commas), which are fast.
MAX_JSON5_FALLBACK_BYTES = 256 * 1024

#: Longest dotted token or group path, in characters. Every token below a group stores
#: the group's path: a megabyte-long group name over a thousand tokens would hold a
#: gigabyte of paths.
MAX_PATH_LENGTH = 1000

#: Largest total size of the resolved values of one theme (one resolution), counted as
#: JSON nodes plus string characters, i.e. about the length of the JSON text written
#: out in full (what ``tokens export`` and the API's ``resolvedValue`` produce). A
#: reference shares its target's value, so 30 levels of tokens that each reference the
#: previous level twice cost nothing to resolve but 2**30 leaves to write out.
MAX_RESOLVED_SIZE = 100_000_000

#: Longest string an interpolation (``"{a} {a}"``, tolerated) may produce, unless the
#: string as written is longer. Interpolation builds new strings, so chains of them
#: double in length at every level.
MAX_INTERPOLATED_LENGTH = 100_000

#: Longest chain of groups that ``$extends`` one another (a group whose target extends
#: another group, and so on, including groups nested in extending groups).
MAX_EXTENDS_DEPTH = 64

#: Most tokens and groups ``$extends`` may copy in one document: groups that each extend
#: the level before twice double the tokens at every level.
MAX_EXTENDED_TOKENS = 100_000

#: Most tokens merged while a resolver document's sources are flattened (a source listed
#: many times, or a file referenced by thousands of sources, is merged every time).
MAX_SOURCE_TOKENS = 5_000_000

#: Most token resolutions validation may do: theme combinations checked times the tokens
#: of their layers (thousands of contexts each listing one big file).
MAX_RESOLUTIONS = 5_000_000

#: Shortest-loop searches per strongly connected component when reporting circular
#: references; the tokens left after that are reported with the component's size
#: instead of a loop, so a dense cycle cannot take quadratic time.
LOOP_SEARCHES = 100

#: Longest message, file, pointer or path an error keeps (longer texts are cut).
MAX_TEXT_LENGTH = 4000

#: Characters of a value an error message quotes (:func:`graphql_api.dtcg.errors.brief`).
BRIEF_LENGTH = 200
