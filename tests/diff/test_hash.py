"""Differential tests of the hash commands (issue 3, item 1).

Each case is a short script run on an empty keyspace against redis-server 7.0
and vermilion-server, over RESP2 and RESP3; every reply must be identical.
Small hashes use the listpack encoding, whose order (insertion order) both
servers share, so their replies are compared byte for byte. Replies of
hashtable-encoded hashes come in hash order, so those are compared as sets of
pairs (or of elements) in the Python tests below; random replies (HRANDFIELD)
are checked for their properties.
"""

import pytest

I64_MAX = "9223372036854775807"
I64_MIN = "-9223372036854775808"

CASES = {
    "hset-hget-basic": """
        HGET h f
        HSET h f v
        HGET h f
        HGET h nope
        HSET h f w g x
        HGET h f
        HGETALL h
        HLEN h
        HSET h "" ""
        HGET h ""
        HSTRLEN h ""
        HGETALL h
        TYPE h
        OBJECT ENCODING h
    """,
    "hset-arity": """
        HSET h
        HSET h f
        HSET h f v g
        HMSET h f
        HMSET h f v g
        HSET h f v g w
        HGETALL h
        EXISTS h
    """,
    "hmset": """
        HMSET h a 1 b 2 c 3
        HMSET h b 20 d 4
        HGETALL h
        HMGET h a b nope d
        HMGET nokey a b
        HMGET h
    """,
    "hsetnx": """
        HSETNX h f v
        HSETNX h f w
        HGET h f
        HSETNX h g x
        HGETALL h
        HSETNX h f
        HSETNX h f v extra
    """,
    "hdel": """
        HDEL h f
        HSET h a 1 b 2 c 3 d 4
        HDEL h b
        HGETALL h
        HDEL h b
        HDEL h a nope c
        HGETALL h
        HDEL h d d
        EXISTS h
        HSET h a 1
        HDEL h a a a
        EXISTS h
        HDEL h
    """,
    "hexists-hlen-hstrlen": """
        HEXISTS h f
        HLEN h
        HSTRLEN h f
        HSET h f hello n 12345 neg -7 e ""
        HEXISTS h f
        HEXISTS h g
        HLEN h
        HSTRLEN h f
        HSTRLEN h n
        HSTRLEN h neg
        HSTRLEN h e
        HSTRLEN h missing
        HEXISTS h
        HLEN
        HLEN h x
        HSTRLEN h
    """,
    "hkeys-hvals-hgetall": """
        HKEYS h
        HVALS h
        HGETALL h
        HSET h z 1 a 2 m 3
        HKEYS h
        HVALS h
        HGETALL h
        HSET h a 22
        HGETALL h
        HDEL h z
        HSET h z 9
        HKEYS h
        HKEYS h x
        HVALS
        HGETALL h x
    """,
    "wrongtype": """
        SET s x
        HSET s f v
        HMSET s f v
        HSETNX s f v
        HGET s f
        HMGET s f
        HGETALL s
        HKEYS s
        HVALS s
        HDEL s f
        HEXISTS s f
        HLEN s
        HSTRLEN s f
        HINCRBY s f 1
        HINCRBYFLOAT s f 1
        HRANDFIELD s
        HRANDFIELD s 2
        HRANDFIELD s -2 WITHVALUES
        HSCAN s 0
        HSCAN s 0 COUNT 0
        GET s
        HSET h f v
        GET h
        INCR h
        APPEND h x
    """,
    "hincrby": f"""
        HINCRBY h f 1
        HINCRBY h f -5
        HINCRBY h f 0
        HGET h f
        HINCRBY h g {I64_MAX}
        HINCRBY h g 1
        HINCRBY h g 0
        HINCRBY h m {I64_MIN}
        HINCRBY h m -1
        HINCRBY h m {I64_MAX}
        HINCRBY h f abc
        HINCRBY h f 1.5
        HINCRBY h f 9223372036854775808
        HINCRBY h f ""
        HINCRBY h f " 1"
        HSET h s hello d 1.5 sp " 1" z 007 big 9223372036854775808
        HINCRBY h s 1
        HINCRBY h d 1
        HINCRBY h sp 1
        HINCRBY h z 1
        HINCRBY h big 1
        HGETALL h
        HINCRBY h f
        HINCRBY h f 1 2
        HINCRBY nokey f abc
        EXISTS nokey
    """,
    "hincrbyfloat": """
        HINCRBYFLOAT h f 1.5
        HINCRBYFLOAT h f 0.1
        HINCRBYFLOAT h f -1.6
        HINCRBYFLOAT h g 10.50
        HINCRBYFLOAT h g 0.1
        HINCRBYFLOAT h i 5.0e3
        HINCRBYFLOAT h i 2.0e2
        HINCRBYFLOAT h j 1e20
        HINCRBYFLOAT h k 0x10
        HINCRBYFLOAT h l 3
        HINCRBYFLOAT h l 0.3
        HSET h int 17
        HINCRBYFLOAT h int 1
        HGETALL h
        HINCRBYFLOAT h f abc
        HINCRBYFLOAT h f nan
        HINCRBYFLOAT h f inf
        HINCRBYFLOAT h f -inf
        HINCRBYFLOAT h f 1e400
        HINCRBYFLOAT h f " 1"
        HINCRBYFLOAT h f ""
        HSET h s hello sp " 1" infv inf e 1e4932
        HINCRBYFLOAT h s 1
        HINCRBYFLOAT h sp 1
        HINCRBYFLOAT h infv 1
        HINCRBYFLOAT h e 1e4932
        HGET h e
        HINCRBYFLOAT h f
        HINCRBYFLOAT nokey f abc
        HINCRBYFLOAT nokey f inf
        EXISTS nokey
    """,
    "hrandfield-args": f"""
        HRANDFIELD h
        HRANDFIELD h 0
        HRANDFIELD h 5
        HRANDFIELD h -5
        HRANDFIELD h 5 WITHVALUES
        HRANDFIELD h abc
        HRANDFIELD h 1.5
        HRANDFIELD h {I64_MIN}
        HRANDFIELD h {I64_MIN} WITHVALUES
        HRANDFIELD h -9223372036854770000 WITHVALUES
        HRANDFIELD h 9223372036854770000 WITHVALUES
        HRANDFIELD h 1 foo
        HRANDFIELD h 1 WITHVALUES x
        HRANDFIELD h abc foo
        HSET h a 1
        HRANDFIELD h
        HRANDFIELD h 1
        HRANDFIELD h -1
        HRANDFIELD h 1 withvalues
        HRANDFIELD h -3
        HRANDFIELD h -3 WITHVALUES
        HRANDFIELD h 0 WITHVALUES
        HRANDFIELD h {I64_MIN}
        HRANDFIELD h -9223372036854770000 WITHVALUES
        HRANDFIELD h 1 foo
        HRANDFIELD
    """,
    "hrandfield-whole-listpack": """
        HSET h a 1 b 2 c 3 d 4
        HRANDFIELD h 4
        HRANDFIELD h 10
        HRANDFIELD h 10 WITHVALUES
        HRANDFIELD h 100 withvalues
    """,
    "hscan-listpack": """
        HSCAN h 0
        HSET h a1 1 a2 2 b1 3 b2 4 c 5
        HSCAN h 0
        HSCAN h 0 COUNT 1
        HSCAN h 0 MATCH a*
        HSCAN h 0 match b? count 100
        HSCAN h 0 MATCH zz*
        HSCAN h 0 MATCH *
        HSCAN h 123
        HSCAN h abc
        HSCAN h -1
        HSCAN h 18446744073709551616
        HSCAN h 0 COUNT 0
        HSCAN h 0 COUNT -1
        HSCAN h 0 COUNT abc
        HSCAN h 0 TYPE string
        HSCAN h 0 MATCH
        HSCAN h 0 MATCH a* COUNT
        HSCAN h 0 NOVALUES
        HSCAN nokey 0 COUNT 0
        HSCAN nokey abc
        HSCAN h
    """,
    "encoding-entries": """
        CONFIG SET hash-max-listpack-entries 4
        HSET h a 1 b 2 c 3 d 4
        OBJECT ENCODING h
        HGETALL h
        HSET h a 10
        OBJECT ENCODING h
        HSET h e 5
        OBJECT ENCODING h
        HLEN h
        HDEL h a b c d
        OBJECT ENCODING h
        HGETALL h
        HSET big a 1 b 2 c 3 d 4 e 5
        OBJECT ENCODING big
        HSETNX n a 1
        HSETNX n b 1
        HSETNX n c 1
        HSETNX n d 1
        OBJECT ENCODING n
        HSETNX n e 1
        OBJECT ENCODING n
        HINCRBY i a 1
        HINCRBY i b 1
        HINCRBY i c 1
        HINCRBY i d 1
        HINCRBYFLOAT i e 1
        OBJECT ENCODING i
        CONFIG SET hash-max-listpack-entries 0
        HSET z a 1
        OBJECT ENCODING z
        CONFIG SET hash-max-listpack-entries 512
    """,
    "encoding-values": f"""
        CONFIG SET hash-max-listpack-value 8
        HSET h a 12345678
        OBJECT ENCODING h
        HSET h b 123456789
        OBJECT ENCODING h
        HSET f 123456789 x
        OBJECT ENCODING f
        HSET e a 1
        HSET e a 1 b 2 long_field_arg x
        OBJECT ENCODING e
        HSET x a 1 b 2
        HSETNX x a 123456789
        OBJECT ENCODING x
        HSETNX x c 123456789
        OBJECT ENCODING x
        HSET y a 1
        HINCRBY y long_field_9 1
        OBJECT ENCODING y
        HSET w a 1
        HINCRBYFLOAT w b 1e20
        OBJECT ENCODING w
        HSET v a 1
        HINCRBY v a {I64_MAX}
        OBJECT ENCODING v
        HMSET u a 1 b 123456789
        OBJECT ENCODING u
        HSET t a 1
        HSET t a 123456789
        HDEL t a
        EXISTS t
        CONFIG SET hash-max-listpack-value 64
    """,
    "hash-with-generic-keys": """
        HSET h a 1 b 2
        TYPE h
        OBJECT ENCODING h
        COPY h h2
        HGETALL h2
        RENAME h h3
        HGETALL h3
        EXISTS h
        DEL h3
        EXISTS h3
        HSET h a 1
        EXPIRE h 100
        HSET h b 2
        TTL h
        HDEL h a b
        TTL h
        SCAN 0 TYPE hash
    """,
    "duplicate-fields": """
        HSET h a 1 a 2 b 3 a 4
        HGETALL h
        HMSET h b 5 b 6
        HGETALL h
        HMGET h a a b
        HDEL h a a
        HGETALL h
    """,
    # Hashes with the same field list share their names (a "shape") and
    # keep hex/dotted values packed: writes that keep or change the list,
    # integer-looking and nibble-looking fields, persistence round trip.
    "shared-field-lists": """
        HSET s1 user 7 created 1732590000 ip 10.0.1.1 agent Mozilla/5.0 csrf 00000000deadbeef
        HSET s2 user 14 created 1732590000 ip 10.0.2.2 agent Mozilla/5.0 csrf 00000001bd5b7dde
        HSET s3 user 21 created 1732590000 ip 10.0.3.3 agent Mozilla/5.0 csrf 0000000000000000
        HGETALL s2
        HGETALL s3
        HSET s2 user 15
        HINCRBY s3 user 1
        HINCRBYFLOAT s2 created 0.5
        HGETALL s2
        HGETALL s3
        HSET s2 extra x
        HDEL s3 ip
        HGETALL s1
        HGETALL s2
        HGETALL s3
        HSCAN s2 0
        HSCAN s3 0 MATCH c*
        HKEYS s1
        HVALS s1
        HMGET s1 ip csrf nope
        HSTRLEN s1 csrf
        HEXISTS s3 ip
        HSET s3 ip 10.0.3.3
        HGETALL s3
        HSET n1 0000 a 00000 b 0 c -0 d 01 e 1 f 10.0.0.1 g DEADBEEF h deadbeef i
        HSET n2 0000 a 00000 b 0 c -0 d 01 e 1 f 10.0.0.1 g DEADBEEF h deadbeef i
        HSET n3 0000 a 00000 b 0 c -0 d 01 e 1 f 10.0.0.1 g DEADBEEF h deadbeef i
        HGETALL n3
        HMGET n3 0000 000 00000 0 -0 01 1 +1 10.0.0.1 DEADBEEF deadbeef deadbeeF
        HDEL n3 0 01
        HGETALL n3
        HGETALL n2
        OBJECT ENCODING n2
        DEBUG RELOAD
        HGETALL s1
        HGETALL s2
        HGETALL n2
        HGETALL n3
        OBJECT ENCODING s1
        DEL s1 s2 s3 n1 n2 n3
        HSET s4 user 1 created 2
        HGETALL s4
    """,
    "binary-safety": r"""
        HSET h "a\x00b" "v\r\n" "" "\xff"
        HGETALL h
        HGET h "a\x00b"
        HSTRLEN h "a\x00b"
        HMGET h "a\x00b" "" a
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(d, name):
    d.run(CASES[name])


def _big(d, key="h", n=200, prefix="f"):
    """A hashtable-encoded hash of n fields on both servers."""
    for start in range(0, n, 50):
        args = []
        for i in range(start, min(n, start + 50)):
            args += [f"{prefix}{i}", f"v{i}"]
        d.check("HSET", key, *args)
    d.check("OBJECT", "ENCODING", key)


def test_hashtable_reads(d):
    d.check("CONFIG", "SET", "hash-max-listpack-entries", "16")
    try:
        _big(d)
        d.check("HLEN", "h")
        d.check("HGETALL", "h", mode="unordered-pairs")
        d.check("HKEYS", "h", mode="unordered")
        d.check("HVALS", "h", mode="unordered")
        d.check("HMGET", "h", "f1", "f199", "nope", "f50")
        d.check("HGET", "h", "f77")
        d.check("HEXISTS", "h", "f0")
        d.check("HSTRLEN", "h", "f150")
        d.check("HINCRBY", "h", "f3", "1")
        d.check("HINCRBY", "h", "cnt", "5")
        d.check("HINCRBYFLOAT", "h", "cnt", "0.5")
        d.check("HSETNX", "h", "f3", "x")
        d.check("HSETNX", "h", "new", "x")
        d.check("HDEL", "h", *[f"f{i}" for i in range(0, 200, 3)], "nope")
        d.check("HLEN", "h")
        d.check("OBJECT", "ENCODING", "h")
        d.check("HGETALL", "h", mode="unordered-pairs")
        d.check("HDEL", "h", *[f"f{i}" for i in range(200)], "cnt", "new")
        d.check("EXISTS", "h")
    finally:
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "512")


def _hscan_all(conn, key, *opts):
    cursor, seen, calls = b"0", [], 0
    while True:
        r = conn.call("HSCAN", key, cursor, *opts)
        assert not r.is_error, r
        cursor = r.items()[0].value
        items = [x.value for x in r.items()[1].items()]
        seen += list(zip(items[0::2], items[1::2]))
        calls += 1
        assert calls < 10000
        if cursor == b"0":
            return seen, calls


@pytest.mark.parametrize("opts", [(), ("COUNT", "3"), ("COUNT", "1000"), ("MATCH", "f1*"), ("MATCH", "f1*", "COUNT", "7")])
def test_hscan_hashtable(d, opts):
    d.check("CONFIG", "SET", "hash-max-listpack-entries", "16")
    try:
        _big(d, n=500)
        ref, _ = _hscan_all(d.ref, "h", *opts)
        tgt, calls = _hscan_all(d.tgt, "h", *opts)
        assert set(ref) == set(tgt)
        # Every element of an unchanged hash comes back (duplicates allowed).
        assert len(set(tgt)) == len(set(ref))
        if opts == ("COUNT", "3"):
            assert calls > 1
    finally:
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "512")


def test_hscan_hashtable_while_growing(d):
    """Fields present for the whole scan are returned even as the table grows."""
    d.check("CONFIG", "SET", "hash-max-listpack-entries", "16")
    try:
        _big(d, n=100)
        conn = d.tgt
        cursor, seen, n = b"0", set(), 100
        while True:
            r = conn.call("HSCAN", "h", cursor, "COUNT", "5")
            cursor = r.items()[0].value
            items = [x.value for x in r.items()[1].items()]
            seen |= set(items[0::2])
            if n < 1000:  # grow through a few doublings, then let the scan finish
                conn.call("HSET", "h", *[x for i in range(n, n + 40) for x in (f"g{i}", "v")])
                n += 40
            if cursor == b"0":
                break
        assert {f"f{i}".encode() for i in range(100)} <= seen
    finally:
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "512")


@pytest.mark.parametrize("big", [False, True], ids=["listpack", "hashtable"])
def test_hrandfield_properties(d, big):
    if big:
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "16")
    try:
        n = 40 if big else 10
        _big(d, n=n)
        fields = {f"f{i}".encode() for i in range(n)}
        for conn in (d.ref, d.tgt):
            r = conn.call("HRANDFIELD", "h")
            assert r.value in fields
            for count in (1, 3, n // 2, n - 1, n, n + 5):
                got = [x.value for x in conn.call("HRANDFIELD", "h", count).items()]
                assert len(got) == min(count, n) and len(set(got)) == len(got) and set(got) <= fields
            got = [x.value for x in conn.call("HRANDFIELD", "h", -(3 * n)).items()]
            assert len(got) == 3 * n and set(got) <= fields
            r = conn.call("HRANDFIELD", "h", 5, "WITHVALUES")
            if d.proto == 2:
                flat = [x.value for x in r.items()]
                pairs = list(zip(flat[0::2], flat[1::2]))
            else:
                pairs = [tuple(x.value for x in p.items()) for p in r.items()]
            assert len(pairs) == 5 and len({p[0] for p in pairs}) == 5
            for f, v in pairs:
                assert f in fields and v == b"v" + f[1:]
            r = conn.call("HRANDFIELD", "h", -7, "WITHVALUES")
            assert len(r.items()) == (14 if d.proto == 2 else 7)
        # Shapes of the random replies match exactly.
        for args in (("HRANDFIELD", "h", "3"), ("HRANDFIELD", "h", "-60", "WITHVALUES"),
                     ("HRANDFIELD", "h", "5", "WITHVALUES"), ("HRANDFIELD", "h")):
            d.check(*args, mode="shape")
    finally:
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "512")
