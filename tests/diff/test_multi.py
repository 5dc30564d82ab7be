"""Differential tests of transactions (issue 3 item 6): MULTI EXEC DISCARD
WATCH UNWATCH, queueing errors and EXECABORT, and WATCH invalidation by every
kind of write, including writes from other clients, expiry, FLUSHDB,
FLUSHALL, SWAPDB and RENAME. Each case runs on both servers over RESP2 and
RESP3; a second connection per server plays the other client.
"""

import time

import pytest

from differ import Differ

CASES = {
    "basic": """
        MULTI
        SET a 1
        INCR a
        GET a
        EXEC
        GET a
    """,
    "empty": """
        MULTI
        EXEC
    """,
    "errors-outside": """
        EXEC
        DISCARD
        EXEC x
        DISCARD x
        MULTI x
    """,
    "nested-and-watch-inside": """
        MULTI
        MULTI
        WATCH k
        SET k 1
        EXEC
        GET k
    """,
    "queue-time-error-aborts": """
        MULTI
        SET a 1
        NOSUCHCOMMAND x
        GET a
        EXEC
        GET a
        EXEC
    """,
    "arity-error-aborts": """
        MULTI
        SET a
        SET b 2
        EXEC
        EXISTS b
    """,
    "exec-arity-aborts": """
        MULTI
        SET a 1
        EXEC x
        EXEC
        EXISTS a
    """,
    "runtime-errors-do-not-abort": """
        SET s str
        MULTI
        INCR s
        SET t 1
        INCRBY t notanumber
        GET t
        EXEC
    """,
    "discard": """
        MULTI
        SET a 1
        DISCARD
        GET a
        EXEC
    """,
    "watch-unchanged": """
        SET k 1
        WATCH k
        MULTI
        INCR k
        EXEC
        GET k
    """,
    "watch-own-write-aborts": """
        SET k 1
        WATCH k
        SET k 2
        MULTI
        INCR k
        EXEC
        GET k
    """,
    "watch-missing-key-created": """
        WATCH nokey
        SET nokey 1
        MULTI
        PING
        EXEC
    """,
    "unwatch": """
        SET k 1
        WATCH k
        SET k 2
        UNWATCH
        MULTI
        INCR k
        EXEC
    """,
    "exec-clears-watch": """
        SET k 1
        WATCH k
        SET k 2
        MULTI
        EXEC
        SET k 3
        MULTI
        GET k
        EXEC
    """,
    "discard-clears-watch": """
        WATCH k
        SET k 1
        MULTI
        DISCARD
        MULTI
        GET k
        EXEC
    """,
    "watch-flushdb": """
        SET k 1
        WATCH k
        FLUSHDB
        MULTI
        PING
        EXEC
    """,
    "watch-flushdb-missing-key": """
        WATCH k
        FLUSHDB
        MULTI
        PING
        EXEC
    """,
    "watch-flushall": """
        SELECT 1
        SET k 1
        WATCH k
        SELECT 0
        FLUSHALL
        MULTI
        PING
        EXEC
    """,
    "watch-swapdb": """
        SELECT 1
        SET k 1
        SELECT 0
        WATCH k
        SWAPDB 0 1
        MULTI
        PING
        EXEC
        SWAPDB 0 1
    """,
    "watch-rename-target": """
        SET a 1
        WATCH b
        RENAME a b
        MULTI
        PING
        EXEC
    """,
    "watch-rename-source": """
        SET a 1
        WATCH a
        RENAME a b
        MULTI
        PING
        EXEC
    """,
    "watch-expire-and-del": """
        SET k 1
        WATCH k
        EXPIRE k 100
        MULTI
        PING
        EXEC
        WATCH k
        DEL k
        MULTI
        PING
        EXEC
    """,
    "watch-other-db-untouched": """
        SET k 1
        WATCH k
        SELECT 1
        SET k 2
        MULTI
        PING
        EXEC
    """,
    "watch-many": """
        MSET a 1 b 2 c 3
        WATCH a b c
        WATCH a
        SET c 4
        MULTI
        GET a
        EXEC
    """,
    "select-inside": """
        MULTI
        SELECT 1
        SET k 1
        SELECT 0
        EXISTS k
        EXEC
        SELECT 1
        GET k
        SELECT 0
    """,
    "collection-writes-invalidate": """
        WATCH h l s z
        HSET h f v
        MULTI
        PING
        EXEC
        WATCH l
        RPUSH l a
        MULTI
        PING
        EXEC
        WATCH s
        SADD s a
        MULTI
        PING
        EXEC
        WATCH z
        ZADD z 1 a
        MULTI
        PING
        EXEC
    """,
    "blocking-inside-exec-does-not-block": """
        MULTI
        BLPOP nolist 0
        BRPOPLPUSH nolist other 0
        BLMOVE nolist other LEFT RIGHT 0
        BZPOPMIN nozset 0
        EXEC
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_multi_script(d, name):
    d.run(CASES[name])


@pytest.fixture
def other(pair, proto):
    """A second client on each server, same protocol."""
    o = Differ(pair.ref.port, pair.tgt.port, proto)
    yield o
    o.close()


def test_watch_sees_other_clients_write(d, other):
    d.run("""
        SET k 1
        WATCH k
    """)
    other.check("SET", "k", "2")
    d.run("""
        MULTI
        INCR k
        EXEC
        GET k
    """)


def test_watch_sees_other_clients_touching_nothing(d, other):
    d.run("""
        SET k 1
        WATCH k
    """)
    other.check("GET", "k")
    other.check("SET", "unrelated", "1")
    d.run("""
        MULTI
        INCR k
        EXEC
    """)


def test_watch_sees_expiry(d):
    d.run("""
        SET k 1 PX 50
        WATCH k
    """)
    time.sleep(0.15)
    d.run("""
        MULTI
        PING
        EXEC
    """)


def test_watch_on_already_expired_key(d):
    # A key that had expired (but was not yet deleted) when WATCH ran:
    # its deletion by expiry later is not a change (Redis 7.0).
    d.run("""
        SET k 1 PX 1
    """)
    time.sleep(0.05)
    d.run("""
        WATCH k
        EXISTS k
        MULTI
        PING
        EXEC
    """)


def test_exec_is_atomic_with_other_clients(pair, proto):
    """A client's EXEC runs as a unit: another client's pipelined INCRs never
    land between the INCRs of the transaction."""
    from respwire import Conn
    for port in (pair.ref.port, pair.tgt.port):
        a = Conn(port, proto=proto)
        b = Conn(port, proto=proto)
        a.call("DEL", "ctr", "log")
        a.send(b"".join([b"MULTI\r\n"] + [b"INCR ctr\r\n"] * 500 + [b"EXEC\r\n"]))
        b.send(b"".join([b"INCR ctr\r\n"] * 500))
        replies = [a.read() for _ in range(502)]
        for _ in range(500):
            b.read()
        results = [r.value for r in replies[-1].items()]
        nums = [int(x) for x in results]
        assert nums == list(range(nums[0], nums[0] + 500)), "EXEC results are not contiguous"
        assert a.call("GET", "ctr").value == b"1000"
        a.close()
        b.close()


def test_client_list_shows_multi_state(d, other):
    """CLIENT LIST flags x and multi=<queued> while queueing, as Redis shows them."""
    d.check("CLIENT", "SETNAME", "txn")
    d.check("MULTI")
    d.check("SET", "a", "1")
    for conn in (other.ref, other.tgt):
        lines = conn.call("CLIENT", "LIST").value.decode().splitlines()
        mine = [l for l in lines if " name=txn " in l][0]
        assert " flags=x " in mine and " multi=1 " in mine, mine
    d.check("EXEC")
