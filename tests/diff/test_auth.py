"""Authentication and protected mode: requirepass, AUTH, HELLO AUTH, the
pre-auth request limits (CVE-2021-32675), AUTH without a password configured,
and the DENIED reply to non-loopback peers.

Protected mode is judged by the peer address: Redis treats only 127.0.0.1 and
::1 as local, so a client bound to source 127.0.0.2 (still loopback, never
leaving this machine) is "remote".
"""

import time

import pytest

from differ import Differ
from respwire import Conn, encode
from servers import Pair

PW = "s3cret pw"  # a space, to check quoting of the argument everywhere

NOAUTH = b"-NOAUTH Authentication required.\r\n"
WRONGPASS = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
NO_PASSWORD_SET = (b"-ERR AUTH <password> called without any password configured for the "
                   b"default user. Are you sure your configuration is correct?\r\n")


@pytest.fixture(scope="module")
def authpair():
    p = Pair(["--requirepass", PW], ["--requirepass", PW]).start()
    yield p
    p.cleanup()


@pytest.fixture
def da(authpair):
    """An unauthenticated Differ on the requirepass pair (RESP2 first; tests switch)."""
    authpair.ensure_running()
    dd = Differ(authpair.ref.port, authpair.tgt.port, 2)
    yield dd
    dd.close()


def test_noauth_text_byte_for_byte(da):
    a, b = da.check("GET", "k")
    assert b.raw == NOAUTH
    da.run("""
        SET k v
        PING
        ECHO x
        CLIENT ID
        SELECT 1
        INFO
        CONFIG GET maxmemory
        NOSUCHCOMMAND
    """)


def test_auth_wrong_password(da):
    a, b = da.check("AUTH", "wrong")
    assert b.raw == WRONGPASS
    da.run("""
        AUTH default wrong
        AUTH nosuchuser wrong
        AUTH a b c
        AUTH
        GET k
    """)


@pytest.mark.parametrize("form", [("AUTH", PW), ("AUTH", "default", PW)], ids=["password", "default-user"])
def test_auth_then_commands(da, form):
    a, b = da.check(*form)
    assert b.raw == b"+OK\r\n"
    da.run("""
        SET k v
        GET k
        DEL k
        AUTH wrong
        GET missing
    """)


def test_hello_requires_auth(da):
    da.run("""
        HELLO 3
        HELLO 2
        HELLO
        HELLO 3 AUTH default wrong
        HELLO 3 AUTH nosuchuser x
        GET k
    """)
    a, b = da.check("HELLO", "3", "AUTH", "default", PW, "SETNAME", "authed")
    assert b.kind == b"%", b
    da.ref.proto = da.tgt.proto = 3
    da.run("""
        CLIENT GETNAME
        GET missing
    """)


def test_hello_auth_resp2(da):
    da.check("HELLO", "2", "AUTH", "default", PW)
    da.check("GET", "missing")


def test_reset_keeps_authentication_state(da):
    da.check("AUTH", PW)
    da.run("""
        RESET
        GET missing
    """)


def test_quit_works_unauthenticated(da):
    da.raw(encode("QUIT"))
    for c in (da.ref, da.tgt):
        data, closed = c.read_until_closed(5)
        assert closed and data == b""


UNAUTH_CLOSING = {
    "multibulk-100": b"*100\r\n",
    "multibulk-11": b"*11\r\n",
    "bulk-100mb": b"*1\r\n$100000000\r\n",
    "bulk-16385": b"*1\r\n$16385\r\n",
}


@pytest.mark.parametrize("name", sorted(UNAUTH_CLOSING))
def test_preauth_limits_close(authpair, name):
    out = {}
    for srv in (authpair.ref, authpair.tgt):
        with Conn(srv.port) as c:
            c.send(UNAUTH_CLOSING[name])
            got, closed = c.read_until_closed(10)
            assert closed, f"{srv.label} kept the unauthenticated connection open: {got!r}"
        with Conn(srv.port, auth=(PW,)) as ok:
            assert ok.call("PING").raw == b"+PONG\r\n"
        out[srv.label] = got
    assert out["redis"] == out["vermilion"], out


def test_preauth_limits_are_lifted_after_auth(da):
    da.check("AUTH", PW)
    da.check("MSET", *[f"k{i}" for i in range(100)])
    da.check("SET", "big", "x" * 100000)
    da.check("STRLEN", "big")
    da.check("DEL", "big", *[f"k{i}" for i in range(0, 100, 2)])


def test_preauth_within_limits_gets_noauth(da):
    da.check("MSET", *[f"k{i}" for i in range(4)])      # 9 arguments: allowed, NOAUTH
    da.check("SET", "k", "x" * 16000)                      # bulk under 16 KB: NOAUTH


def test_unauthenticated_flood_is_bounded(authpair):
    """CVE-2025-21605 shape: pipelined commands whose NOAUTH replies are never read.
    Bounded to ~1 MB; the server must survive and serve others."""
    for srv in (authpair.ref, authpair.tgt):
        c = Conn(srv.port)
        c.sock.settimeout(5)
        try:
            for _ in range(50):
                c.sock.sendall(encode("GET", "k") * 1000)
        except OSError:
            pass  # disconnected by the server: fine
        c.close()
        with Conn(srv.port, auth=(PW,)) as ok:
            assert ok.call("PING").raw == b"+PONG\r\n", srv.label
        assert srv.alive()


def test_config_set_requirepass_applies_to_new_connections(server_pair):
    p = server_pair(["--requirepass", "first"])
    for srv in (p.ref, p.tgt):
        with Conn(srv.port, auth=("first",)) as admin:
            assert admin.call("CONFIG", "SET", "requirepass", "second").raw == b"+OK\r\n"
            assert admin.call("PING").raw == b"+PONG\r\n"   # already authenticated
        with Conn(srv.port) as c:
            assert c.call("GET", "k").raw == NOAUTH
            assert c.call("AUTH", "first").raw == WRONGPASS
            assert c.call("AUTH", "second").raw == b"+OK\r\n"


# --- without requirepass (the session pair) -----------------------------------

def test_auth_without_password_configured(d):
    a, b = d.check("AUTH", "pw")
    assert b.raw == NO_PASSWORD_SET
    d.run("""
        AUTH default anything
        AUTH other anything
        HELLO 3 AUTH default anything
        HELLO 2 AUTH other anything
        GET k
    """)


# --- protected mode ---------------------------------------------------------------

def _from_127_0_0_2(port: int, data: bytes) -> tuple[bytes, bool]:
    c = Conn(port, source="127.0.0.2")
    c.send(data)
    return c.read_until_closed(5)


def test_protected_mode_denies_non_loopback_peer(server_pair):
    p = server_pair(["--protected-mode", "yes"])
    out = {}
    for srv in (p.ref, p.tgt):
        got, closed = _from_127_0_0_2(srv.port, encode("PING"))
        assert closed and got.startswith(b"-DENIED Redis is running in protected mode"), (srv.label, got)
        with Conn(srv.port) as local:
            assert local.call("PING").raw == b"+PONG\r\n", srv.label
        out[srv.label] = got
    assert out["redis"] == out["vermilion"], out


def test_protected_mode_off_or_password_allows_peer(server_pair):
    for args, expect in ((["--protected-mode", "no"], b"+PONG\r\n"),
                         (["--protected-mode", "yes", "--requirepass", "pw"], NOAUTH)):
        p = server_pair(args)
        for srv in (p.ref, p.tgt):
            c = Conn(srv.port, source="127.0.0.2")
            assert c.call("PING").raw == expect, (args, srv.label)
            c.close()


def test_refused_connections_in_info_stats(server_pair):
    """Connection counters after refusals: a maxclients refusal, and a
    DENIED peer (protected mode), count in rejected_connections and not in
    total_connections_received."""
    def stats(c):
        info = c.call("INFO", "stats").value.decode()
        return [l for l in info.split("\r\n") if l.startswith(("total_connections", "rejected"))]

    p = server_pair(["--maxclients", "2"])

    def full(srv):
        a, b, c = Conn(srv.port), Conn(srv.port), Conn(srv.port)
        out = [c.read_until_closed(5), stats(a)]
        b.close()
        return out

    r, t = full(p.ref), full(p.tgt)
    assert r == t, (r, t)
    # 3: the harness's readiness probe, a and b.
    assert r == [(b"-ERR max number of clients reached\r\n", True),
                 ["total_connections_received:3", "rejected_connections:1"]]

    p = server_pair(["--protected-mode", "yes"])

    def denied(srv):
        _from_127_0_0_2(srv.port, encode("PING"))
        time.sleep(0.1)  # Redis frees the refused client asynchronously
        with Conn(srv.port) as c:
            return stats(c)

    r = denied(p.ref)
    assert r == denied(p.tgt)
    assert r == ["total_connections_received:2", "rejected_connections:1"]
