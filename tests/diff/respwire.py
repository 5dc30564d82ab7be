"""A raw-socket RESP2/RESP3 client that keeps every reply's exact bytes.

This is what the differential tests compare with: a reply is the parsed frame
*and* the bytes it came from, so two servers can be held to byte equality.
It is not a general client library: no reconnects, no pooling, no type
conversion beyond what the comparisons need. redis-py is deliberately not used
here because it normalises replies (types, errors, RESP3 maps) before we could
compare them.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

CRLF = b"\r\n"

# Frame type bytes of RESP2 and RESP3.
AGGREGATES = {b"*", b"%", b"~", b">", b"|"}
SIMPLE_LINES = {b"+", b"-", b":", b",", b"#", b"(", b"_"}
BLOBS = {b"$", b"!", b"="}


class Closed(Exception):
    """The peer closed the connection before a whole frame arrived."""


@dataclass
class Reply:
    """One RESP frame: its type byte, its value, and its exact bytes.

    value is bytes for line and blob types, None for nulls (`_`, `$-1`, `*-1`),
    a list of Reply for arrays/sets/pushes, and a list of (key, value) Reply
    pairs for maps and attributes.
    """

    kind: bytes
    value: object
    raw: bytes = b""
    attrs: list = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.kind in (b"-", b"!")

    @property
    def is_null(self) -> bool:
        return self.value is None

    def text(self) -> str:
        """The value of a line or blob frame as str (errors included); a RESP3
        verbatim string loses its 3-letter format prefix ("txt:")."""
        assert isinstance(self.value, (bytes, bytearray)), self
        data = bytes(self.value)
        if self.kind == b"=":
            data = data[4:]
        return data.decode("utf-8", "replace")

    def int(self) -> int:
        assert self.kind == b":", self
        return int(self.value)

    def items(self) -> list:
        assert isinstance(self.value, list), self
        return self.value

    def pairs(self) -> list:
        """Key/value pairs of a map, or of a flat RESP2 array of pairs."""
        if self.kind == b"%":
            return self.value
        vals = self.items()
        return [(vals[i], vals[i + 1]) for i in range(0, len(vals), 2)]

    def py(self):
        """A plain Python view: bytes, int, None, list, dict (for maps)."""
        if self.kind == b":":
            return int(self.value)
        if self.kind == b"%":
            return {k.py(): v.py() for k, v in self.value}
        if isinstance(self.value, list):
            return [x.py() for x in self.value]
        return self.value

    def __repr__(self) -> str:
        return f"Reply({self.raw!r})" if len(self.raw) < 400 else f"Reply({self.raw[:400]!r}...)"


def encode(*args) -> bytes:
    """Encode one command as a RESP multibulk request."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, int):
            a = str(a).encode()
        elif isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    """A blocking connection that reads whole frames and keeps their bytes."""

    def __init__(self, port: int, host: str = "127.0.0.1", proto: int = 2,
                 timeout: float = 10.0, source: str | None = None, auth=None,
                 tls=None, unix: str | None = None):
        if unix is not None:  # a unix socket path instead of host:port
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(unix)
        else:
            self.sock = socket.create_connection(
                (host, port), timeout=timeout,
                source_address=(source, 0) if source else None)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:  # an ssl.SSLContext: the handshake happens here
            self.sock = tls.wrap_socket(self.sock, server_hostname=host)
        self.buf = bytearray()
        self.pos = 0
        self.timeout = timeout
        self.proto = 2
        self.hello = None
        if proto == 3:
            args = ["HELLO", "3"] + (["AUTH", *auth] if auth else [])
            self.hello = self.call(*args)
            if self.hello.is_error:
                raise RuntimeError(f"HELLO 3 failed: {self.hello.raw!r}")
            self.proto = 3
        elif auth:
            r = self.call("AUTH", *auth)
            if r.is_error:
                raise RuntimeError(f"AUTH failed: {r.raw!r}")

    # -- sending -----------------------------------------------------------
    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_cmd(self, *args) -> None:
        self.send(encode(*args))

    def call(self, *args) -> Reply:
        self.send_cmd(*args)
        return self.read()

    def pipeline(self, cmds) -> list:
        self.send(b"".join(encode(*c) for c in cmds))
        return [self.read() for _ in cmds]

    # -- receiving ---------------------------------------------------------
    def _fill(self) -> None:
        if self.pos and self.pos > 1 << 20:
            del self.buf[: self.pos]
            self.pos = 0
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise Closed("connection closed by server")
        self.buf += chunk

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(CRLF, self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos:i])
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n: int) -> bytes:
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = bytes(self.buf[self.pos:self.pos + n])
        if self.buf[self.pos + n:self.pos + n + 2] != CRLF:
            raise ValueError("blob not followed by CRLF")
        self.pos += n + 2
        return data

    def read(self) -> Reply:
        """Read one frame (attributes are folded into the frame they precede)."""
        start = self.pos
        r = self._frame()
        r.raw = bytes(self.buf[start:self.pos])
        return r

    def _frame(self) -> Reply:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in SIMPLE_LINES:
            return Reply(kind, None if kind == b"_" else rest)
        if kind in BLOBS:
            n = int(rest)
            if n < 0:
                return Reply(kind, None)
            return Reply(kind, self._exact(n))
        if kind in AGGREGATES:
            n = int(rest)
            if n < 0:
                return Reply(kind, None)
            if kind in (b"%", b"|"):
                pairs = [(self._frame(), self._frame()) for _ in range(n)]
                if kind == b"|":
                    nxt = self._frame()
                    nxt.attrs = pairs
                    return nxt
                return Reply(kind, pairs)
            return Reply(kind, [self._frame() for _ in range(n)])
        raise ValueError(f"unknown RESP type byte in {line[:80]!r}")

    def read_available(self, wait: float = 0.3) -> bytes:
        """All bytes that arrive within `wait` seconds (for raw protocol tests)."""
        self.sock.settimeout(wait)
        data = bytes(self.buf[self.pos:])
        self.pos = len(self.buf)
        try:
            while True:
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        finally:
            self.sock.settimeout(self.timeout)
        return data

    def read_until_closed(self, limit: float = 5.0) -> tuple[bytes, bool]:
        """Read until the server closes; return (bytes, closed_within_limit)."""
        data = bytes(self.buf[self.pos:])
        self.pos = len(self.buf)
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return data, False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                return data, False
            except ConnectionResetError:
                return data, True
            if not chunk:
                return data, True
            data += chunk

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
