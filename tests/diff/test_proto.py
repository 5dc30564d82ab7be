"""Protocol edge cases and bad inputs (bad-inputs.md, Redis's protocol.tcl).

Raw bytes go to both servers on fresh connections. The reply bytes must be
identical; after a protocol error the server must close the connection, stay
up, and keep serving a client that was connected all along.
"""

import socket
import time

import pytest

from respwire import Conn, encode

SENTINEL = b"*2\r\n$4\r\nECHO\r\n$8\r\nsentinel\r\n"


def _read_until(conn: Conn, suffix: bytes, limit: float = 10.0) -> bytes:
    data = b""
    deadline = time.monotonic() + limit
    while not data.endswith(suffix) and time.monotonic() < deadline:
        conn.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = conn.sock.recv(1 << 16)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def run_raw(pair, data: bytes, closes: bool, proto: int = 2) -> dict:
    """Send data on a fresh connection to each server; return the reply bytes.

    A bystander connection opened first must still work afterwards.
    """
    out = {}
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port) as bystander, Conn(srv.port, proto=proto) as c:
            bystander.call("SET", "bystander", "1")
            try:
                c.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            if closes:
                got, closed = c.read_until_closed(10)
                assert closed, f"{srv.label} did not close the connection; got {got[:200]!r}"
            else:
                c.send(SENTINEL)
                got = _read_until(c, b"$8\r\nsentinel\r\n")
                assert got.endswith(b"$8\r\nsentinel\r\n"), f"{srv.label}: connection unusable; got {got[:300]!r}"
            assert srv.alive(), f"{srv.label} died"
            assert bystander.call("GET", "bystander").value == b"1", f"{srv.label}: bystander broken"
            bystander.call("DEL", "bystander")
        out[srv.label] = got
    assert out["redis"] == out["vermilion"], f"redis {out['redis'][:300]!r}\nvermilion {out['vermilion'][:300]!r}"
    return out


CLOSING = {
    "invalid-multibulk-length": b"*3000000000\r\n",
    "multibulk-length-not-a-number": b"*abc\r\n",
    "multibulk-length-int-max-plus": b"*2147483648\r\n",
    "expected-dollar": b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
    "expected-dollar-first": b"*1\r\nfoo\r\n",
    "negative-bulk-length": b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n",
    "bulk-length-minus-one": b"*1\r\n$-1\r\n",
    "bulk-length-too-big": b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n",
    "bulk-length-over-512mb": b"*1\r\n$536870913\r\n",
    "bulk-length-not-a-number": b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n",
    "unbalanced-quotes": b'set """test-key""" test-value\r\nping\r\n',
    "unbalanced-single-quote": b"ECHO 'abc\r\n",
    "quote-not-followed-by-space": b'ECHO "a"b\r\n',
    "too-big-inline-request": b"A" * (70 * 1024),
    "too-big-mbulk-count-string": b"*" + b"1" * (70 * 1024),
    "too-big-bulk-count-string": b"*1\r\n$" + b"1" * (70 * 1024),
    "error-then-pipelined-commands-dropped": b"*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n",
}

NOT_CLOSING = {
    "empty-query": b"\r\n",
    "negative-multibulk-count": b"*-10\r\n",
    "zero-multibulk-count": b"*0\r\n",
    "minus-one-multibulk-count": b"*-1\r\n",
    "inline-ping": b"PING\r\n",
    "inline-ping-lf-only": b"PING\n",
    "inline-lower-case": b"ping\r\n",
    "inline-wrong-arity": b"PING x y z\r\n",
    "inline-spaces": b"   SET    k    v   \r\nGET k\r\n",
    "inline-quoted-args": b'SET "a b" "c\\x41\\n"\r\nGET "a b"\r\nECHO \'single \\\' quoted\'\r\nECHO ""\r\n',
    "inline-escapes": b'ECHO "\\t\\r\\n\\b\\a\\\\\\"\\x7a\\xZZ"\r\n',
    "inline-unknown-command": b"NOSUCHCMD a b\r\n",
    "inline-then-multibulk": b"PING\r\n*1\r\n$4\r\nPING\r\n",
    "inline-tabs": b"ECHO\ta\r\n",
    "empty-command-name": b"*1\r\n$0\r\n\r\n",
    "unknown-command-args-shown": b"*3\r\n$7\r\nnosuchc\r\n$1\r\na\r\n$1\r\nb\r\n",
    "command-name-case": b"*1\r\n$4\r\nPiNg\r\n",
}


@pytest.mark.parametrize("name", sorted(CLOSING))
def test_protocol_error_closes(pair, name):
    run_raw(pair, CLOSING[name], closes=True)


@pytest.mark.parametrize("name", sorted(NOT_CLOSING))
@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_tolerated_input(pair, name, proto):
    run_raw(pair, NOT_CLOSING[name], closes=False, proto=proto)


def test_request_split_across_writes(pair):
    """A request that arrives one byte at a time is parsed the same."""
    req = encode("SET", "split", "value") + encode("GET", "split") + b"ECHO inline\r\n"
    out = {}
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port) as c:
            for i in range(len(req)):
                c.send(req[i:i + 1])
                time.sleep(0.0005)
            c.send(SENTINEL)
            out[srv.label] = _read_until(c, b"$8\r\nsentinel\r\n")
            c.call("DEL", "split")
    assert out["redis"] == out["vermilion"] and out["redis"].endswith(b"sentinel\r\n"), out


@pytest.mark.parametrize("seq", [b"\x00", b"*\x00", b"$\x00"], ids=["nul", "star-nul", "dollar-nul"])
def test_desync_closes_within_30s(pair, seq):
    """protocol.tcl desync regression: then an endless stream of 1 KB chunks."""
    out = {}
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port) as c:
            c.send(seq)
            chunk = b"A" * 1024
            deadline = time.monotonic() + 30
            got = b""
            while time.monotonic() < deadline:
                try:
                    c.sock.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                c.sock.settimeout(0)
                try:
                    data = c.sock.recv(1 << 16)
                    got += data
                    if not data or b"\r\n" in got:
                        break
                except (BlockingIOError, socket.timeout):
                    pass
                finally:
                    c.sock.settimeout(10)
            rest, closed = c.read_until_closed(max(0.1, deadline - time.monotonic()))
            got += rest
            assert closed, f"{srv.label} did not close within 30 s"
            assert b"Protocol error" in got, (srv.label, got[:200])
        assert srv.alive()
        out[srv.label] = got
    assert out["redis"] == out["vermilion"], out


def test_pipeline_10000_commands_in_one_write(d):
    cmds = []
    for i in range(10000):
        cmds.append([("SET", f"p{i % 100}", i), ("INCR", "counter"), ("GET", f"p{i % 100}"),
                     ("PING",), ("APPEND", "log", "x"), ("EXISTS", f"p{i % 7}")][i % 6])
    data = b"".join(encode(*c) for c in cmds)
    d.ref.send(data)
    d.tgt.send(data)
    for i, c in enumerate(cmds):
        a, b = d.ref.read(), d.tgt.read()
        assert a.raw == b.raw, (i, c, a, b)
    d.run("GET counter\nSTRLEN log")


def test_pipeline_inline_10000(d):
    data = b"".join(b"INCR inl\r\n" for _ in range(10000))
    d.ref.send(data)
    d.tgt.send(data)
    for i in range(10000):
        a, b = d.ref.read(), d.tgt.read()
        assert a.raw == b.raw, (i, a, b)


def test_mset_20002_args(d):
    args = ["MSET"]
    for i in range(10001):
        args += [f"key:{i}", f"value:{i}"]
    d.check(*args)
    d.run("""
        DBSIZE
        GET key:10000
        GET key:0
    """)
    d.check("MGET", *[f"key:{i}" for i in range(0, 10001, 7)])


def test_large_values(d):
    big = b"v" * (4 * 1024 * 1024)
    d.check("SET", "big", big)
    d.check("STRLEN", "big")
    d.check("GETRANGE", "big", "-10", "-1")
    d.check("APPEND", "big", big)
    d.check("STRLEN", "big")


def test_srandmember_nonexisting_key(d):
    d.check("SRANDMEMBER", "nonexisting_key")


def test_blpop_pipelined_twice_then_pushes(pair):
    """protocol.tcl #16: no crash when blocked twice in one read."""
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port) as blocked, Conn(srv.port) as pusher:
            r = pusher.call("LPUSH", "probe-list", "x")
            if r.is_error and r.text().startswith("ERR unknown command"):
                pytest.skip("vermilion lacks lists (not in issue 2)")
            pusher.call("DEL", "probe-list")
            blocked.send(encode("BLPOP", "nolist", "0") * 2)
            time.sleep(0.1)
            pusher.call("LPUSH", "nolist", "a")
            pusher.call("LPUSH", "nolist", "b")
            assert blocked.read().py() == [b"nolist", b"a"], srv.label
            assert blocked.read().py() == [b"nolist", b"b"], srv.label
            assert pusher.call("PING").raw == b"+PONG\r\n"
        assert srv.alive()


def test_many_connections_and_abrupt_disconnects(pair):
    """Bounded churn: 200 connections, half of them dropped mid-request."""
    for srv in (pair.ref, pair.tgt):
        conns = []
        for i in range(200):
            c = Conn(srv.port)
            c.send(b"*3\r\n$3\r\nSET\r\n$1\r\n" if i % 2 else encode("PING"))
            conns.append(c)
        for c in conns:
            c.close()
        with Conn(srv.port) as c:
            assert c.call("PING").raw == b"+PONG\r\n", srv.label
