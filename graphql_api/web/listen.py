"""``python -m graphql_api.web.listen --host H --port P``: check where the server will listen.

``make serve`` runs it first, before the migrations and the demo import write anything, so
a bad ``HOST``/``PORT`` or a port already taken fails at once, with nothing changed.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

__all__ = ["ListenError", "check_listen", "main"]

#: Highest TCP port number.
MAX_PORT = 65535


class ListenError(ValueError):
    """The address cannot be listened on; the message says why and what to do."""


def parse_port(text: str) -> int:
    """A TCP port number from text.

    Raises:
        ListenError: not a whole number from 1 to 65535.
    """
    stripped = text.strip()
    if not stripped.isdigit() or not 1 <= int(stripped) <= MAX_PORT:
        raise ListenError(f"PORT must be a number from 1 to {MAX_PORT}, got {text!r}")
    return int(stripped)


def check_listen(host: str, port: int) -> None:
    """Bind ``host:port`` for a moment (TCP), as the server will, then release it.

    Args:
        host: an IP address or a host name (``127.0.0.1``, ``0.0.0.0``, ``::1``,
            ``localhost``).
        port: 1-65535.

    Raises:
        ListenError: the host does not resolve, the port is taken, or binding is refused.
    """
    if not host.strip():
        raise ListenError("HOST is empty: give an address such as 127.0.0.1 or 0.0.0.0")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ListenError(f"HOST {host!r} is not an address this machine knows: {exc}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                msg = f"port {port} on {host} is already in use: choose another, e.g. PORT=8080"
            else:
                msg = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            raise ListenError(msg) from None


def main(argv: list[str] | None = None) -> int:
    """Check ``--host`` and ``--port``; exit status 0 when the server can listen there."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", required=True)
    args = parser.parse_args(argv)
    try:
        check_listen(args.host, parse_port(args.port))
    except ListenError as exc:
        print(f"make serve: {exc}. Nothing was changed.", file=sys.stderr)  # noqa: T201
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
