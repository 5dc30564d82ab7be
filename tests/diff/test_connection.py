"""Differential tests of the connection commands of issue 2: PING ECHO QUIT RESET
HELLO and CLIENT (ID SETNAME GETNAME INFO LIST KILL SETINFO REPLY NO-EVICT
NO-TOUCH PAUSE UNPAUSE), over RESP2 and RESP3.
"""

import socket

import pytest

from respwire import Conn

CASES = {
    "ping-echo": """
        PING
        PING hello
        PING ""
        PING a b
        ping
        ECHO hello
        ECHO ""
        ECHO
        ECHO a b
        echo MiXeD
    """,
    "hello-variants": """
        HELLO
        HELLO 2
        HELLO 3
        HELLO 2
        HELLO 1
        HELLO 4
        HELLO 0
        HELLO -1
        HELLO abc
        HELLO 3 SETNAME myname
        CLIENT GETNAME
        HELLO 2 SETNAME "bad name"
        HELLO 3 SETNAME
        HELLO 3 AUTH
        HELLO 3 AUTH default
        HELLO 2 BOGUS
        HELLO 3 SETNAME a SETNAME b
        CLIENT GETNAME
        hello 3
    """,
    "client-names": """
        CLIENT GETNAME
        CLIENT SETNAME worker-1
        CLIENT GETNAME
        CLIENT SETNAME "has space"
        CLIENT SETNAME ""
        CLIENT GETNAME
        CLIENT SETNAME a b
        CLIENT SETNAME
        CLIENT GETNAME extra
        client setname lower
        CLIENT GETNAME
    """,
    "client-misc": """
        CLIENT NO-EVICT ON
        CLIENT NO-EVICT OFF
        CLIENT NO-EVICT on
        CLIENT NO-EVICT maybe
        CLIENT NO-EVICT
        CLIENT REPLY maybe
        CLIENT REPLY ON
        CLIENT PAUSE 10
        CLIENT PAUSE 10 WRITE
        CLIENT PAUSE 10 ALL
        CLIENT PAUSE 10 BOGUS
        CLIENT PAUSE abc
        CLIENT PAUSE -1
        CLIENT PAUSE
        CLIENT UNPAUSE
        CLIENT UNPAUSE x
        CLIENT BOGUS
        CLIENT
        CLIENT KILL 1.2.3.4:5
        CLIENT KILL ID abc
        CLIENT KILL ID 0
        CLIENT KILL ID 999999
        CLIENT KILL ID 1 BOGUS
        CLIENT KILL ID
        CLIENT KILL TYPE bogus
        CLIENT KILL TYPE pubsub
        CLIENT KILL SKIPME maybe
        CLIENT KILL ADDR 1.2.3.4:5
        CLIENT KILL LADDR 1.2.3.4:5
        CLIENT ID extra
        CLIENT INFO extra
        CLIENT LIST TYPE bogus
        CLIENT LIST TYPE pubsub
        CLIENT LIST ID abc
        CLIENT LIST BOGUS
    """,
    "client-7.2-subcommands": """
        CLIENT SETINFO LIB-NAME node-redis
        CLIENT SETINFO LIB-VER 6.3.1
        CLIENT NO-TOUCH ON
        CLIENT NO-TOUCH OFF
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_connection_script(d, name):
    d.run(CASES[name])


def test_client_setname_rejects_control_characters(d):
    for name in (b"new\nline", b"tab\there", b"\x00", b"caf\xc3\xa9", b"ok-name_1.2"):
        d.check("CLIENT", "SETNAME", name)
        d.check("CLIENT", "GETNAME")


def test_client_id_and_info(d):
    d.check("CLIENT", "ID")
    d.run("""
        SELECT 3
        CLIENT SETNAME info-test
        CLIENT INFO
        SELECT 0
        CLIENT NO-EVICT ON
        CLIENT INFO
    """)
    rid = d.ref.call("CLIENT", "ID").int()
    tid = d.tgt.call("CLIENT", "ID").int()
    d.check_each(("CLIENT", "LIST", "ID", rid), ("CLIENT", "LIST", "ID", tid))
    d.check_each(("CLIENT", "LIST", "ID", rid, 999999), ("CLIENT", "LIST", "ID", tid, 999999))
    d.check_each(("CLIENT", "LIST", "TYPE", "normal", "ID", rid), ("CLIENT", "LIST", "TYPE", "normal", "ID", tid))


def _other(conn: Conn, proto: int) -> tuple[Conn, int, str]:
    other = Conn(conn.sock.getpeername()[1], proto=proto)
    oid = other.call("CLIENT", "ID").int()
    host, port = other.sock.getsockname()[:2]
    return other, oid, f"{host}:{port}"


@pytest.mark.parametrize("how", ["id", "addr-old-form", "addr"])
def test_client_kill_closes_the_other_connection(d, proto, how):
    others = []
    args = []
    for conn in (d.ref, d.tgt):
        other, oid, addr = _other(conn, proto)
        others.append(other)
        args.append({"id": ("CLIENT", "KILL", "ID", oid),
                     "addr-old-form": ("CLIENT", "KILL", addr),
                     "addr": ("CLIENT", "KILL", "ADDR", addr)}[how])
    d.check_each(*args)
    for other in others:
        data, closed = other.read_until_closed(5)
        assert closed and data == b"", (how, data)
    d.check("PING")


def test_client_kill_skipme(d):
    rid = d.ref.call("CLIENT", "ID").int()
    tid = d.tgt.call("CLIENT", "ID").int()
    d.check_each(("CLIENT", "KILL", "ID", rid, "SKIPME", "yes"), ("CLIENT", "KILL", "ID", tid, "SKIPME", "yes"))
    d.check("PING")


def test_client_reply_off_skip_on(d):
    script = b"".join([
        b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n",
        b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n",
        b"*1\r\n$4\r\nPING\r\n",
        b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n",
        b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n",
        b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n",
        b"*2\r\n$4\r\nPING\r\n$7\r\nskipped\r\n",
        b"*2\r\n$4\r\nPING\r\n$4\r\nseen\r\n",
    ])
    d.raw(script, frames=3)
    d.check("PING")


def test_quit(d):
    d.raw(b"*1\r\n$4\r\nQUIT\r\n")
    for conn in (d.ref, d.tgt):
        data, closed = conn.read_until_closed(5)
        assert closed and data == b"", data


def test_quit_with_pipelined_commands_after_it(d):
    d.raw(b"*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n", frames=2)
    for conn in (d.ref, d.tgt):
        data, closed = conn.read_until_closed(5)
        assert closed and data == b"", data


def test_reset(d):
    d.run("""
        SELECT 2
        CLIENT SETNAME before-reset
        CLIENT NO-EVICT ON
        CLIENT REPLY ON
        HELLO 3
        RESET
        CLIENT GETNAME
        GET missing
        SET k in-db0
        SELECT 2
        GET k
        CLIENT INFO
        RESET extra
    """)


def test_client_pause_write_blocks_only_writes(pair, proto):
    """PAUSE WRITE holds SET but not GET; UNPAUSE releases it (behaviour, not timing)."""
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port, proto=proto) as admin, Conn(srv.port, proto=proto) as user:
            assert admin.call("CLIENT", "PAUSE", "10000", "WRITE").raw == b"+OK\r\n"
            try:
                assert user.call("GET", "paused").is_null, srv.label
                user.send_cmd("SET", "paused", "1")
                user.sock.settimeout(0.2)
                with pytest.raises(socket.timeout):
                    user.sock.recv(1)
            finally:
                user.sock.settimeout(10)
                assert admin.call("CLIENT", "UNPAUSE").raw == b"+OK\r\n"
            assert user.read().raw == b"+OK\r\n", srv.label
            admin.call("DEL", "paused")
