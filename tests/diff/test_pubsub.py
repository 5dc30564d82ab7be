"""Differential tests of Pub/Sub (issue 3 item 7) and keyspace notifications
(item 8). Subscribers are extra connections to each server; what they
receive (the raw bytes of every message and confirmation, RESP2 arrays or
RESP3 pushes) must be identical.
"""

import time

import pytest

from differ import Differ
from respwire import Conn

SCRIPTS = {
    "subscribe-confirmations": """
        SUBSCRIBE a b a
        PSUBSCRIBE p* q?
        SSUBSCRIBE s1 s2
        UNSUBSCRIBE a nosuch
        PUNSUBSCRIBE q?
        SUNSUBSCRIBE s1
        SUNSUBSCRIBE s2
        SUNSUBSCRIBE
        PING
        PING hello
    """,
    "unsubscribe-when-none": """
        UNSUBSCRIBE
        PUNSUBSCRIBE
        SUNSUBSCRIBE
        UNSUBSCRIBE x
    """,
    "resp2-context-restrictions": """
        SUBSCRIBE ch
        GET k
        SET k v
        MULTI
        PUBLISH ch x
        UNSUBSCRIBE
        GET k
    """,
    "pubsub-introspection": """
        PUBSUB NUMSUB
        PUBSUB NUMSUB a b
        PUBSUB NUMPAT
        PUBSUB CHANNELS
        PUBSUB CHANNELS x*
        PUBSUB SHARDCHANNELS
        PUBSUB SHARDNUMSUB s1
        PUBSUB CHANNELS a b
        PUBSUB NUMPAT x
        PUBSUB HELP
        PUBSUB NOSUCH
        PUBLISH nobody msg
        SPUBLISH nobody msg
        PUBLISH onlyone
    """,
    "arity": """
        SUBSCRIBE
        PSUBSCRIBE
        SSUBSCRIBE
        PUBLISH a
        SPUBLISH a
    """,
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_pubsub_script(d, name):
    for line in SCRIPTS[name].strip().splitlines():
        args = line.split()
        if args[0] in ("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"):
            # One confirmation per channel (at least one).
            n = max(1, len(args) - 1) if not (args[0].endswith("UNSUBSCRIBE") and len(args) == 1) else None
            for c in (d.ref, d.tgt):
                c.send_cmd(*args)
            if n is None:
                a = d.ref.read_available(0.2)
                b = d.tgt.read_available(0.2)
                assert sorted(a.split(b"\r\n")) == sorted(b.split(b"\r\n")), (args, a, b)
                continue
            ra = [d.ref.read() for _ in range(n)]
            rb = [d.tgt.read() for _ in range(n)]
            for x, y in zip(ra, rb):
                if x.raw != y.raw:
                    d.fail(args, x, y, "bytes differ")
        else:
            d.check(*args)


@pytest.fixture
def subscriber(pair, proto):
    subs = [Conn(pair.ref.port, proto=proto), Conn(pair.tgt.port, proto=proto)]
    yield subs
    for s in subs:
        s.close()


def both(subs, *args):
    for s in subs:
        s.send_cmd(*args)


def received(subs, wait=0.25):
    a, b = subs[0].read_available(wait), subs[1].read_available(wait)
    return a, b


def test_messages_reach_channel_and_pattern_subscribers(d, subscriber):
    both(subscriber, "SUBSCRIBE", "news", "sport")
    both(subscriber, "PSUBSCRIBE", "n*", "*s*")
    a, b = received(subscriber)
    assert a == b
    d.check("PUBLISH", "news", "hello")
    d.check("PUBLISH", "sport", "")
    d.check("PUBLISH", "none", "x")
    d.check("PUBLISH", "news", b"\x00binary\r\n")
    a, b = received(subscriber)
    # Pattern deliveries of one message may come in either order.
    assert a.count(b"message") == b.count(b"message") and sorted(a.split(b"\r\n")) == sorted(b.split(b"\r\n")), (a, b)
    d.check("PUBSUB", "NUMSUB", "news", "sport", "none")
    d.check("PUBSUB", "NUMPAT")
    d.check("PUBSUB", "CHANNELS", "n*")


def test_shard_messages(d, subscriber):
    both(subscriber, "SSUBSCRIBE", "orders")
    a, b = received(subscriber)
    assert a == b
    d.check("SPUBLISH", "orders", "o1")
    d.check("PUBLISH", "orders", "not-for-shard")
    d.check("PUBSUB", "SHARDCHANNELS")
    d.check("PUBSUB", "SHARDNUMSUB", "orders", "x")
    a, b = received(subscriber)
    assert a == b and b"smessage" in a


def test_resp3_subscriber_keeps_working(pair):
    subs = [Conn(pair.ref.port, proto=3), Conn(pair.tgt.port, proto=3)]
    pub = Differ(pair.ref.port, pair.tgt.port, 3)
    try:
        both(subs, "SUBSCRIBE", "c")
        a, b = received(subs)
        assert a == b
        both(subs, "SET", "k", "v")
        pub.check("PUBLISH", "c", "m1")
        both(subs, "GET", "k")
        a, b = received(subs)
        assert a == b, (a, b)
        assert b">3\r\n$7\r\nmessage" in a
    finally:
        pub.close()
        for s in subs:
            s.close()


def test_unsubscribe_all_then_normal_mode(d):
    for c in (d.ref, d.tgt):
        c.send_cmd("SUBSCRIBE", "a")
        c.read()
        c.send_cmd("UNSUBSCRIBE")
        c.read()
    d.check("SET", "k", "v")
    d.check("GET", "k")


def test_slow_subscriber_is_disconnected_and_memory_bounded(server_pair):
    """client-output-buffer-limit pubsub: a subscriber that stops reading is
    dropped once its pending output passes the hard limit; the server stays healthy."""
    p = server_pair(["--client-output-buffer-limit", "pubsub", "256kb", "128kb", "60"])
    for srv in (p.ref, p.tgt):
        sub = Conn(srv.port)
        sub.call("SUBSCRIBE", "flood")
        sub.sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 4096)
        pub = Conn(srv.port)
        payload = b"x" * 50000
        for _ in range(20):  # 1000 messages, 50 MB: far past the limit and any socket buffers
            for _ in range(50):
                pub.send_cmd("PUBLISH", "flood", payload)
            for _ in range(50):
                pub.read()
        time.sleep(0.3)
        assert pub.call("PUBSUB", "NUMSUB", "flood").items()[1].int() == 0, srv.label
        assert pub.call("PING").value == b"PONG"
        pub.close()


NOTIFY_SCRIPT = """
    GET missing
    EXISTS missing
    HGET nohash f
    SET s 1
    SET s 2 EX 100
    SETEX s2 100 x
    SETNX s3 x
    SETNX s3 y
    GETSET s3 z
    MSET m1 1 m2 2
    APPEND s3 more
    INCR s
    INCRBY s 5
    DECR s
    INCRBYFLOAT s 1.5
    SETRANGE s3 0 ab
    GETDEL m1
    GETEX m2 EX 100
    GETEX m2 PERSIST
    EXPIRE s 100
    PEXPIRE s 0
    PERSIST s2
    RENAME s2 r
    COPY r r2
    MOVE r2 1
    DEL r nosuch
    UNLINK s3
    HSET h f v f2 v2
    HSETNX h f3 v
    HINCRBY h n 1
    HINCRBYFLOAT h x 1.5
    HDEL h f f2 f3 n x
    RPUSH l a b c d
    LPUSH l z
    LPOP l
    RPOP l
    LSET l 0 q
    LINSERT l BEFORE q p
    LREM l 1 p
    LTRIM l 0 0
    LMOVE l l2 LEFT RIGHT
    SADD st a b c
    SREM st a
    SMOVE st st2 b
    SPOP st
    SINTERSTORE dst st2 st2
    SUNIONSTORE dst2 st2 nosuch
    SDIFFSTORE dst3 st2 st2
    ZADD z 1 a 2 b 3 c
    ZINCRBY z 1 a
    ZREM z a
    ZPOPMIN z
    ZREMRANGEBYSCORE z 0 10
    ZADD z 1 a
    ZUNIONSTORE zu 1 z
    FLUSHDB
"""


def check_events(d, pair, lines, flags="KEA"):
    """Run each command of `lines` on both servers with every keyspace event
    class on; after each, the events both subscribers received must match."""
    subs = [Conn(pair.ref.port), Conn(pair.tgt.port)]
    try:
        d.check("CONFIG", "SET", "notify-keyspace-events", flags)
        both(subs, "PSUBSCRIBE", "__key*__:*")
        received(subs, 0.1)
        for line in lines:
            d.check(*line.split())
            # Compare after each command so a difference names its command.
            a, b = received(subs, 0.02)
            assert a == b, f"events of {line!r} differ:\n  redis:     {a!r}\n  vermilion: {b!r}"
    finally:
        d.check("CONFIG", "SET", "notify-keyspace-events", "")
        for s in subs:
            s.close()


@pytest.mark.parametrize("flags", ["KEA", "Kg", "E$", "Elshz", "KEx", "AK", "KEAnm", "Kn", "Em"])
def test_keyspace_notifications(d, pair, flags):
    subs = [Conn(pair.ref.port), Conn(pair.tgt.port)]
    try:
        d.check("CONFIG", "SET", "notify-keyspace-events", flags)
        d.check("CONFIG", "GET", "notify-keyspace-events")
        both(subs, "PSUBSCRIBE", "__key*__:*")
        received(subs, 0.1)
        for line in NOTIFY_SCRIPT.strip().splitlines():
            args = line.split()
            d.check(*args)
            # Compare after each command so a difference names its command.
            a, b = received(subs, 0.02)
            assert a == b, f"events of {line!r} differ:\n  redis:     {a!r}\n  vermilion: {b!r}"
    finally:
        d.check("CONFIG", "SET", "notify-keyspace-events", "")
        for s in subs:
            s.close()


def test_expired_events(d, pair):
    subs = [Conn(pair.ref.port), Conn(pair.tgt.port)]
    try:
        d.check("CONFIG", "SET", "notify-keyspace-events", "Ex")
        both(subs, "SUBSCRIBE", "__keyevent@0__:expired")
        received(subs, 0.1)
        d.check("SET", "gone", "1", "PX", "20")
        d.check("SET", "lazy", "1", "PX", "20")
        time.sleep(0.05)
        d.check("GET", "lazy")  # lazy expiry
        time.sleep(0.4)         # active expiry for the other
        a, b = received(subs, 0.3)
        assert sorted(a.split(b"\r\n")) == sorted(b.split(b"\r\n")), (a, b)
        assert a.count(b"expired") == 2
    finally:
        d.check("CONFIG", "SET", "notify-keyspace-events", "")
        for s in subs:
            s.close()
