"""CONFIG SET port / bind on a running server (issue 2: every implemented
directive is accepted from CONFIG SET too). Redis 7 rebinds at run time:
the server listens on the new address, stops listening on the old one,
keeps its connected clients, and when the new sockets cannot be opened it
fails with a fixed text and keeps listening where it was.
"""

import socket

import pytest

from respwire import Conn
from servers import free_port


def reachable(port: int) -> bool:
    try:
        c = Conn(port, timeout=2)
    except OSError:
        return False
    ok = c.call("PING").value == b"PONG"
    c.sock.close()
    return ok


def run_sequence(srv) -> list:
    """The same steps on one server; returns the replies that must match."""
    seen = []
    admin = Conn(srv.port)
    old = srv.port
    new = free_port()
    seen.append(admin.call("CONFIG", "SET", "port", str(new)).raw)
    srv.port = new  # so the harness still finds it
    assert reachable(new), srv.label
    assert not reachable(old), srv.label
    assert f"tcp_port:{new}" in admin.call("INFO", "server").value.decode(), srv.label
    seen.append(admin.call("CONFIG", "GET", "port").value)

    # A port somebody else listens on: refused, still listening where it was.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        seen.append(admin.call("CONFIG", "SET", "port", str(taken.getsockname()[1])).raw)
    assert reachable(new), srv.label
    seen.append(admin.call("CONFIG", "GET", "port").value)

    # An address this machine does not have: refused the same way.
    seen.append(admin.call("CONFIG", "SET", "bind", "10.255.255.1").raw)
    assert reachable(new), srv.label
    seen.append(admin.call("CONFIG", "GET", "bind").value)

    # Both at once, with an address list; the connected client was kept all along.
    last = free_port()
    seen.append(admin.call("CONFIG", "SET", "bind", "127.0.0.1 -::1", "port", str(last)).raw)
    srv.port = last
    assert reachable(last) and not reachable(new), srv.label
    seen.append(admin.call("CONFIG", "GET", "bind").value)
    seen.append(admin.call("PING").raw)
    admin.sock.close()
    return seen


def test_config_set_port_and_bind_rebind_at_run_time(server_pair):
    p = server_pair(["--bind", "127.0.0.1"])
    ref, tgt = run_sequence(p.ref), run_sequence(p.tgt)
    assert ref[0] == tgt[0] == b"+OK\r\n"
    assert ref[2] == tgt[2] == (b"-ERR CONFIG SET failed (possibly related to argument 'port') - "
                                b"Unable to listen on this port. Check server logs.\r\n")
    assert ref[4] == tgt[4] == (b"-ERR CONFIG SET failed (possibly related to argument 'bind') - "
                                b"Failed to bind to specified addresses.\r\n")
    # CONFIG GET port: the new port, and still it after the refusal.
    assert ref[1] == ref[3] and tgt[1] == tgt[3], (ref, tgt)
    assert ref[5] == tgt[5] and ref[6:] == tgt[6:], (ref, tgt)
