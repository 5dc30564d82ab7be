"""Differential tests of blocking commands (issue 3 item 5): BLPOP BRPOP
BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP. Several connections per
server: waiters park, writers wake them. What every connection receives must
be identical on both servers: who is served first, with what, and what times out.
"""

import time

import pytest

from differ import Differ
from respwire import Conn


class Clients:
    """n connections to each server, same protocol, driven in lockstep."""

    def __init__(self, pair, proto, n):
        self.ref = [Conn(pair.ref.port, proto=proto) for _ in range(n)]
        self.tgt = [Conn(pair.tgt.port, proto=proto) for _ in range(n)]

    def send(self, i, *args):
        self.ref[i].send_cmd(*args)
        self.tgt[i].send_cmd(*args)

    def read(self, i):
        a, b = self.ref[i].read(), self.tgt[i].read()
        assert a.raw == b.raw, f"client {i}: redis {a.raw!r} vermilion {b.raw!r}"
        return a

    def pending(self, i, wait=0.15):
        a, b = self.ref[i].read_available(wait), self.tgt[i].read_available(wait)
        assert a == b, f"client {i}: redis {a!r} vermilion {b!r}"
        return a

    def close(self):
        for c in self.ref + self.tgt:
            c.close()


@pytest.fixture
def cl(pair, proto):
    c = Clients(pair, proto, 4)
    for conns in (c.ref, c.tgt):
        conns[0].call("FLUSHALL")
    yield c
    c.close()


def settle():
    time.sleep(0.1)


def test_blpop_served_by_push(cl):
    cl.send(1, "BLPOP", "q", "0")
    settle()
    assert cl.pending(1, 0.05) == b""
    cl.send(0, "RPUSH", "q", "a", "b")
    cl.read(0)
    cl.read(1)
    cl.send(0, "LRANGE", "q", "0", "-1")
    cl.read(0)


def test_first_blocked_first_served(cl):
    for i in (1, 2, 3):
        cl.send(i, "BLPOP", "q", "0")
        settle()
    cl.send(0, "RPUSH", "q", "a", "b")
    cl.read(0)
    cl.read(1)
    cl.read(2)
    assert cl.pending(3, 0.1) == b""
    cl.send(0, "LPUSH", "q", "c")
    cl.read(0)
    cl.read(3)


def test_multiple_keys_and_key_order(cl):
    cl.send(0, "RPUSH", "k2", "x")
    cl.read(0)
    cl.send(1, "BRPOP", "k1", "k2", "k3", "0")
    cl.read(1)
    cl.send(1, "BRPOP", "k1", "k2", "k3", "0")
    settle()
    cl.send(0, "RPUSH", "k3", "y")
    cl.read(0)
    cl.read(1)


def test_fractional_timeouts(cl):
    t = time.time()
    cl.send(1, "BLPOP", "none", "0.05")
    cl.read(1)
    cl.send(1, "BZPOPMIN", "nz", "0.029")
    cl.read(1)
    cl.send(1, "BRPOPLPUSH", "none", "dst", "0.03")
    cl.read(1)
    cl.send(1, "BLMOVE", "none", "dst", "LEFT", "RIGHT", "0.03")
    cl.read(1)
    cl.send(1, "BLMPOP", "0.03", "1", "none", "LEFT")
    cl.read(1)
    cl.send(1, "BZMPOP", "0.03", "1", "nz", "MIN")
    cl.read(1)
    assert time.time() - t < 3


def test_timeout_errors(d):
    d.run("""
        BLPOP k -1
        BLPOP k abc
        BLPOP k nan
        BLPOP k inf
        BLPOP k 1e400
        BLPOP k
        BZPOPMIN k -0.5
        BLMPOP -1 1 k LEFT
        BLMPOP 0 0 k LEFT
        BLMPOP 0 2 k LEFT
        BZMPOP 0 1 k BOTH
        SET s v
        BLPOP s 0
        BZPOPMAX s 0
        BRPOPLPUSH s d 0
    """)


def test_blmove_chain_and_brpoplpush(cl):
    cl.send(1, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0")
    settle()
    cl.send(2, "BLPOP", "b", "0")
    settle()
    cl.send(0, "RPUSH", "a", "v")
    cl.read(0)
    cl.read(1)
    cl.read(2)
    cl.send(0, "EXISTS", "a", "b")
    cl.read(0)


def test_wakeup_from_multi_exec(cl):
    cl.send(1, "BLPOP", "q", "0")
    settle()
    for args in (("MULTI",), ("RPUSH", "q", "1"), ("RPUSH", "q", "2"), ("LPOP", "q"), ("EXEC",)):
        cl.send(0, *args)
        cl.read(0)
    cl.read(1)


def test_push_and_pop_in_same_transaction_serves_nobody(cl):
    cl.send(1, "BLPOP", "q", "0.3")
    settle()
    for args in (("MULTI",), ("RPUSH", "q", "1"), ("LPOP", "q"), ("EXEC",)):
        cl.send(0, *args)
        cl.read(0)
    cl.read(1)  # times out: the list was empty again when EXEC ended


def test_key_deleted_or_type_changed_while_blocked(cl):
    cl.send(1, "BLPOP", "q", "0.4")
    settle()
    cl.send(0, "SET", "q", "string")
    cl.read(0)
    cl.send(0, "DEL", "q")
    cl.read(0)
    cl.read(1)  # still a timeout
    cl.send(1, "BZPOPMIN", "z", "0")
    settle()
    cl.send(0, "SET", "z", "x")
    cl.read(0)
    assert cl.pending(1, 0.1) == b""
    cl.send(0, "DEL", "z")
    cl.read(0)
    cl.send(0, "ZADD", "z", "1", "m")
    cl.read(0)
    cl.read(1)


def test_bzpop_served_by_zadd(cl):
    cl.send(1, "BZPOPMAX", "z1", "z2", "0")
    settle()
    cl.send(2, "BZMPOP", "0", "2", "z1", "z2", "MIN", "COUNT", "5")
    settle()
    cl.send(0, "ZADD", "z2", "1", "a", "2", "b", "3", "c")
    cl.read(0)
    cl.read(1)
    cl.read(2)


def test_blmpop_count(cl):
    cl.send(1, "BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2")
    settle()
    cl.send(0, "LPUSH", "y", "1", "2", "3")
    cl.read(0)
    cl.read(1)


def test_client_unblock(cl):
    ids = []
    for conns in (cl.ref, cl.tgt):
        ids.append(conns[1].call("CLIENT", "ID").int())
    cl.send(1, "BLPOP", "q", "0")
    settle()
    for conns, i in zip((cl.ref, cl.tgt), ids):
        assert conns[0].call("CLIENT", "UNBLOCK", str(i)).int() == 1
    cl.read(1)
    cl.send(1, "BLPOP", "q", "0")
    settle()
    for conns, i in zip((cl.ref, cl.tgt), ids):
        assert conns[0].call("CLIENT", "UNBLOCK", str(i), "ERROR").int() == 1
        assert conns[0].call("CLIENT", "UNBLOCK", str(i)).int() == 0
    cl.read(1)
    cl.send(1, "PING")
    cl.read(1)


def test_blocked_clients_in_info(cl):
    cl.send(1, "BLPOP", "q", "0")
    cl.send(2, "BZPOPMIN", "z", "0")
    settle()
    for conns in (cl.ref, cl.tgt):
        info = conns[0].call("INFO", "clients").value.decode()
        assert "blocked_clients:2" in info, info
        lst = conns[0].call("CLIENT", "LIST").value.decode()
        assert lst.count("flags=b ") == 2, lst
    cl.send(0, "RPUSH", "q", "x")
    cl.read(0)
    cl.read(1)
    cl.send(0, "ZADD", "z", "1", "x")
    cl.read(0)
    cl.read(2)
    for conns in (cl.ref, cl.tgt):
        assert "blocked_clients:0" in conns[0].call("INFO", "clients").value.decode()


def test_pipelined_blpop_twice_then_push(cl):
    """bad-inputs.md #16: two pipelined BLPOPs, then pushes from another client."""
    for conns in (cl.ref, cl.tgt):
        conns[1].send(b"BLPOP nolist 0\r\nBLPOP nolist 0\r\n")
    settle()
    cl.send(0, "RPUSH", "nolist", "a")
    cl.read(0)
    cl.read(1)
    settle()
    cl.send(0, "RPUSH", "nolist", "b")
    cl.read(0)
    cl.read(1)
    cl.send(1, "PING")
    cl.read(1)


def test_disconnect_while_blocked(pair, proto):
    for port in (pair.ref.port, pair.tgt.port):
        w = Conn(port, proto=proto)
        w.send_cmd("BLPOP", "gone", "0")
        time.sleep(0.05)
        w.close()
        time.sleep(0.05)
        c = Conn(port, proto=proto)
        c.call("RPUSH", "gone", "x")
        assert c.call("LLEN", "gone").int() == 1, "nobody should have taken it"
        assert "blocked_clients:0" in c.call("INFO", "clients").value.decode()
        c.call("DEL", "gone")
        c.close()


def test_many_waiters_one_push_each(cl, pair, proto):
    """20 waiters on one key, then 20 single pushes: each push serves the
    oldest waiter, exactly once."""
    n = 20
    waiters = Clients(pair, proto, n)
    try:
        for i in range(n):
            waiters.send(i, "BLPOP", "fifo", "5")
            time.sleep(0.01)
        settle()
        for i in range(n):
            cl.send(0, "RPUSH", "fifo", str(i))
            cl.read(0)
        for i in range(n):
            r = waiters.read(i)
            assert r.items()[1].value == str(i).encode()
    finally:
        waiters.close()
