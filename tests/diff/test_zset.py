"""Differential tests of the sorted-set commands of issue 3.

Each case is a short script run on an empty keyspace against redis-server 7.0
and vermilion-server, over RESP2 and RESP3; every reply must be identical
(modulo allowlist.toml: score-returning commands compare scores as numbers,
because 7.0 prints %.17g and vermilion the shortest round-trip form).
Most scores are integers anyway. Random and hashtable-ordered replies are
checked by property in Python.
"""

import pytest

I64_MAX = "9223372036854775807"
I64_MIN = "-9223372036854775808"

CASES = {
    "zadd-basic": """
        ZADD z 1 a
        ZADD z 2 b 3 c 1 a
        ZCARD z
        ZRANGE z 0 -1 WITHSCORES
        ZADD z 5 a
        ZRANGE z 0 -1 WITHSCORES
        ZADD z 1
        ZADD z 1 a 2
        ZADD z abc a
        ZADD z nan a
        ZADD z " 1" a
        ZADD z "1 " a
        ZADD z 1e400 a
        ZADD z "" a
        ZADD z 0x10 x
        ZADD z inf y -inf w +inf v
        ZADD z -0 zero
        ZSCORE z zero
        ZSCORE z x
        ZRANGE z 0 -1 WITHSCORES
        ZADD
        ZADD z
        TYPE z
        OBJECT ENCODING z
    """,
    "zadd-options": """
        ZADD z XX 1 a
        EXISTS z
        ZADD z NX 1 a
        ZADD z NX 2 a 3 b
        ZRANGE z 0 -1 WITHSCORES
        ZADD z XX 5 a 6 c
        ZRANGE z 0 -1 WITHSCORES
        ZADD z CH 5 a 7 b 8 d
        ZADD z GT 1 a
        ZADD z GT CH 10 a
        ZADD z LT CH 20 a 1 b
        ZADD z LT 30 a
        ZRANGE z 0 -1 WITHSCORES
        ZADD z GT 100 newmember
        ZADD z NX XX 1 a
        ZADD z GT LT 1 a
        ZADD z NX GT 1 a
        ZADD z NX LT 1 a
        ZADD z INCR 1 a 2 b
        ZADD z nx nx ch ch 1 q
        ZADD z Ch Xx 50 a
        ZADD z BOGUS 1 a
    """,
    "zadd-incr": """
        ZADD z INCR 1 a
        ZADD z INCR 2 a
        ZADD z INCR NX 1 a
        ZADD z INCR XX 1 nomember
        ZADD z INCR GT -1 a
        ZADD z INCR LT -1 a
        ZADD z INCR 0 a
        ZADD z inf a
        ZADD z INCR -inf a
        ZADD z INCR inf a
        ZSCORE z a
        ZADD z INCR nan a
        ZADD nokey XX INCR 1 a
        EXISTS nokey
    """,
    "zincrby": """
        ZINCRBY z 1 a
        ZINCRBY z 5 a
        ZINCRBY z -10 a
        ZINCRBY z abc a
        ZINCRBY z nan a
        ZINCRBY z inf a
        ZINCRBY z -inf a
        ZSCORE z a
        ZINCRBY z 1
        ZINCRBY z 1 a b
        SET s x
        ZINCRBY s 1 a
    """,
    "wrongtype": """
        SET s x
        ZADD s 1 a
        ZINCRBY s 1 a
        ZREM s a
        ZCARD s
        ZCOUNT s 0 1
        ZLEXCOUNT s - +
        ZSCORE s a
        ZMSCORE s a b
        ZRANK s a
        ZREVRANK s a
        ZRANGE s 0 -1
        ZRANGESTORE d s 0 -1
        ZRANGESTORE s s 0 -1
        ZRANGEBYSCORE s 0 1
        ZREVRANGEBYSCORE s 1 0
        ZRANGEBYLEX s - +
        ZREVRANGEBYLEX s + -
        ZREVRANGE s 0 -1
        ZPOPMIN s
        ZPOPMAX s 2
        ZMPOP 1 s MIN
        BZPOPMIN s 0.01
        BZPOPMAX s 0.01
        BZMPOP 0.01 1 s MAX
        ZREMRANGEBYRANK s 0 1
        ZREMRANGEBYSCORE s 0 1
        ZREMRANGEBYLEX s - +
        ZUNION 1 s
        ZUNIONSTORE d 1 s
        ZINTER 1 s
        ZINTERSTORE d 1 s
        ZINTERCARD 1 s
        ZDIFF 1 s
        ZDIFFSTORE d 1 s
        ZRANDMEMBER s
        ZRANDMEMBER s 2
        ZSCAN s 0
        GET s
    """,
    "missing-keys": """
        ZCARD z
        ZCOUNT z 0 1
        ZLEXCOUNT z - +
        ZSCORE z a
        ZMSCORE z a b
        ZRANK z a
        ZREVRANK z a
        ZRANGE z 0 -1
        ZRANGE z 0 -1 WITHSCORES
        ZRANGEBYSCORE z -inf +inf
        ZRANGEBYLEX z - +
        ZREVRANGE z 0 -1
        ZPOPMIN z
        ZPOPMIN z 3
        ZPOPMAX z
        ZMPOP 2 z y MIN
        ZREM z a
        ZREMRANGEBYRANK z 0 -1
        ZREMRANGEBYSCORE z -inf +inf
        ZREMRANGEBYLEX z - +
        ZUNION 2 z y
        ZINTER 2 z y
        ZDIFF 2 z y
        ZINTERCARD 2 z y
        ZUNIONSTORE d 2 z y
        ZRANDMEMBER z
        ZRANDMEMBER z 3
        ZRANDMEMBER z -3 WITHSCORES
        ZSCAN z 0
        ZSCAN z 0 COUNT 0
        EXISTS z d
    """,
    "zrem": """
        ZADD z 1 a 2 b 3 c
        ZREM z a x
        ZREM z b b c
        EXISTS z
        ZREM z a
        ZREM z
    """,
    "zscore-zmscore-zrank": """
        ZADD z 1 a 2 b 3 c 3 d -5 e
        ZSCORE z a
        ZSCORE z nope
        ZMSCORE z a nope e
        ZMSCORE z
        ZRANK z e
        ZRANK z d
        ZREVRANK z e
        ZREVRANK z d
        ZRANK z nope
        ZRANK z
        ZRANK z a b
        ZSCORE z
    """,
    "zcount-zlexcount": """
        ZADD z 1 a 2 b 3 c 4 d 5 e
        ZCOUNT z -inf +inf
        ZCOUNT z 2 4
        ZCOUNT z (2 4
        ZCOUNT z 2 (4
        ZCOUNT z (2 (2
        ZCOUNT z 4 2
        ZCOUNT z a b
        ZCOUNT z ( 1
        ZCOUNT z nan 1
        ZCOUNT z 1e400 -1e400
        ZCOUNT z -1e400 1e400
        ZCOUNT z "" 10
        ZCOUNT z " 2" 10
        ZCOUNT z 0x2 10
        ZADD l 0 a 0 b 0 c 0 d 0 e
        ZLEXCOUNT l - +
        ZLEXCOUNT l [b [d
        ZLEXCOUNT l (b (d
        ZLEXCOUNT l (b +
        ZLEXCOUNT l - (c
        ZLEXCOUNT l + -
        ZLEXCOUNT l a b
        ZLEXCOUNT l [a
        ZLEXCOUNT l "" +
        ZLEXCOUNT l [ +
        ZLEXCOUNT l -x +
    """,
    "zrange-by-rank": f"""
        ZADD z 1 a 2 b 3 c 4 d 5 e
        ZRANGE z 0 -1
        ZRANGE z 1 2 WITHSCORES
        ZRANGE z -2 -1
        ZRANGE z -100 100
        ZRANGE z 3 1
        ZRANGE z 5 10
        ZRANGE z 0 0 REV
        ZRANGE z 0 -1 REV WITHSCORES
        ZRANGE z {I64_MIN} {I64_MAX}
        ZRANGE z a b
        ZRANGE z 0 1 LIMIT 0 1
        ZRANGE z 0 1 LIMIT 0 -1
        ZRANGE z 0 1 REV REV
        ZRANGE z 0 1 BOGUS
        ZRANGE z 0 1 WITHSCORES WITHSCORES
        ZREVRANGE z 0 -1
        ZREVRANGE z 0 1 WITHSCORES
        ZREVRANGE z -2 -1
        ZREVRANGE z 0 1 REV
        ZREVRANGE z 0 1 BYSCORE
    """,
    "zrange-by-score": """
        ZADD z 1 a 2 b 3 c 4 d 5 e
        ZRANGE z 2 4 BYSCORE
        ZRANGE z (2 4 BYSCORE WITHSCORES
        ZRANGE z 4 2 BYSCORE REV
        ZRANGE z -inf +inf BYSCORE LIMIT 1 2
        ZRANGE z -inf +inf BYSCORE LIMIT 1 -1
        ZRANGE z -inf +inf BYSCORE LIMIT -1 2
        ZRANGE z -inf +inf BYSCORE LIMIT 10 2
        ZRANGE z -inf +inf BYSCORE LIMIT 0 0
        ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES
        ZRANGE z 0 10 BYSCORE LIMIT 0
        ZRANGE z 0 10 BYSCORE LIMIT a 1
        ZRANGE z a b BYSCORE
        ZRANGE z 0 1 BYSCORE BYLEX
        ZRANGEBYSCORE z -inf +inf
        ZRANGEBYSCORE z 2 (4 WITHSCORES
        ZRANGEBYSCORE z 1 5 LIMIT 1 2 WITHSCORES
        ZRANGEBYSCORE z 1 5 WITHSCORES LIMIT 0 2 LIMIT 1 1
        ZRANGEBYSCORE z 1 5 REV
        ZRANGEBYSCORE z 1 5 BYSCORE
        ZRANGEBYSCORE z (1 (1
        ZRANGEBYSCORE z nan 1
        ZREVRANGEBYSCORE z +inf -inf
        ZREVRANGEBYSCORE z 4 (2 WITHSCORES
        ZREVRANGEBYSCORE z 5 1 LIMIT 1 2
        ZREVRANGEBYSCORE z 1 5
        ZREVRANGEBYSCORE z a 1
    """,
    "zrange-by-lex": """
        ZADD l 0 a 0 b 0 c 0 d 0 e 0 ee 0 f
        ZRANGE l - + BYLEX
        ZRANGE l [b (e BYLEX
        ZRANGE l [e + BYLEX LIMIT 0 2
        ZRANGE l + - BYLEX REV
        ZRANGE l (e [b BYLEX REV LIMIT 1 5
        ZRANGE l - + BYLEX WITHSCORES
        ZRANGE l a b BYLEX
        ZRANGEBYLEX l - +
        ZRANGEBYLEX l [c +
        ZRANGEBYLEX l (c (ee
        ZRANGEBYLEX l - + LIMIT 2 2
        ZRANGEBYLEX l - + WITHSCORES
        ZRANGEBYLEX l a +
        ZREVRANGEBYLEX l + -
        ZREVRANGEBYLEX l [e (b
        ZREVRANGEBYLEX l + - LIMIT 1 1
        ZREVRANGEBYLEX l - +
    """,
    "lex-mixed-scores-listpack": """
        # lex ranges over members with different scores: Redis's listpack walk
        ZADD l 0 m5 1 m1 0 m9 2 m3 1 m7 0 m2
        ZRANGEBYLEX l - [m5
        ZRANGEBYLEX l [m2 +
        ZREVRANGEBYLEX l [m7 -
        ZREVRANGEBYLEX l + (m3
        ZLEXCOUNT l (m1 [m8
        ZLEXCOUNT l + +
        ZLEXCOUNT l - -
        ZLEXCOUNT l [m3 (m3
        ZLEXCOUNT l [m3 [m3
        ZREMRANGEBYLEX l [m4 [m9
        ZRANGE l 0 -1 WITHSCORES
    """,
    "zrangestore": """
        ZADD z 1 a 2 b 3 c 4 d 5 e
        ZRANGESTORE d z 0 2
        ZRANGE d 0 -1 WITHSCORES
        OBJECT ENCODING d
        ZRANGESTORE d z 2 4 BYSCORE REV LIMIT 0 2
        ZRANGE d 0 -1 WITHSCORES
        ZRANGESTORE d z [a [c BYLEX
        ZRANGE d 0 -1
        ZRANGESTORE d z 10 20
        EXISTS d
        ZRANGESTORE d nokey 0 -1
        EXISTS d
        ZRANGESTORE d z 0 -1 WITHSCORES
        ZRANGESTORE d z 0 -1 LIMIT 0 1
        SET s x
        ZRANGESTORE s z 0 0
        TYPE s
        ZRANGESTORE z z 1 1
        ZRANGE z 0 -1
        ZRANGESTORE d z
    """,
    "zpop": """
        ZADD z 1 a 2 b 3 c 4 d 5 e
        ZPOPMIN z
        ZPOPMAX z
        ZPOPMIN z 2
        ZPOPMAX z 1
        ZPOPMIN z 0
        ZPOPMIN z -1
        ZPOPMIN z x
        ZPOPMIN z 1 2
        ZPOPMIN z 10
        EXISTS z
        ZADD z 1 a 2 b
        ZPOPMAX z 100
        EXISTS z
    """,
    "zmpop": f"""
        ZADD z 1 a 2 b 3 c
        ZADD y 10 x
        ZMPOP 2 nokey z MIN
        ZMPOP 2 nokey z MAX COUNT 5
        EXISTS z
        ZMPOP 2 z y min count 1
        ZMPOP 1 y MAX
        ZMPOP 1 y MAX
        ZMPOP 0 z MIN
        ZMPOP -1 z MIN
        ZMPOP x z MIN
        ZMPOP 5 z MIN
        ZMPOP 1 z FOO
        ZMPOP 1 z MIN COUNT 0
        ZMPOP 1 z MIN COUNT -1
        ZMPOP 1 z MIN COUNT x
        ZMPOP 1 z MIN COUNT 1 COUNT 1
        ZMPOP 1 z MIN COUNT
        ZMPOP 1 z MIN COUNT {I64_MAX}
        ZMPOP 1 z
    """,
    "bzpop-ready": """
        ZADD z 1 a 2 b 3 c
        BZPOPMIN nokey z 0
        BZPOPMAX nokey z 0
        BZPOPMIN z 0.01
        BZPOPMIN z x
        BZPOPMIN z -1
        BZPOPMIN z
        EXISTS z
        BZPOPMIN z 0.01
        BZPOPMAX z 0.01
        ZADD z 1 a 2 b 3 c
        BZMPOP 0 2 nokey z MIN COUNT 2
        BZMPOP 0 1 z MAX
        BZMPOP 0.01 1 z MAX
        BZMPOP x 1 z MAX
        BZMPOP -1 1 z MAX
        BZMPOP 0 0 z MAX
        BZMPOP 0 1 z FOO
        BZMPOP 0 1 z MIN COUNT 0
        BZMPOP 0 1 z
    """,
    "zremrange": f"""
        ZADD z 1 a 2 b 3 c 4 d 5 e 6 f
        ZREMRANGEBYRANK z 0 0
        ZREMRANGEBYRANK z -1 -1
        ZREMRANGEBYRANK z 5 10
        ZREMRANGEBYRANK z 2 1
        ZREMRANGEBYRANK z a 1
        ZREMRANGEBYRANK z {I64_MIN} 0
        ZRANGE z 0 -1
        ZREMRANGEBYSCORE z (3 4
        ZREMRANGEBYSCORE z a b
        ZREMRANGEBYSCORE z 100 200
        ZRANGE z 0 -1
        ZREMRANGEBYSCORE z -inf +inf
        EXISTS z
        ZADD l 0 a 0 b 0 c 0 d
        ZREMRANGEBYLEX l [b (d
        ZREMRANGEBYLEX l a b
        ZRANGE l 0 -1
        ZREMRANGEBYLEX l - +
        EXISTS l
        ZREMRANGEBYLEX l - +
    """,
    "zunion-zinter": """
        ZADD a 1 x 2 y 3 z
        ZADD b 10 y 20 z 30 w
        ZUNION 2 a b
        ZUNION 2 a b WITHSCORES
        ZUNION 2 a b WEIGHTS 2 3 WITHSCORES
        ZUNION 2 a b AGGREGATE MIN WITHSCORES
        ZUNION 2 a b AGGREGATE max WITHSCORES
        ZUNION 2 a nokey WITHSCORES
        ZINTER 2 a b
        ZINTER 2 a b WITHSCORES
        ZINTER 2 a b WEIGHTS 1 -1 WITHSCORES
        ZINTER 2 a b AGGREGATE MAX WITHSCORES
        ZINTER 2 a nokey
        ZINTERCARD 2 a b
        ZINTERCARD 2 a b LIMIT 1
        ZINTERCARD 2 a b LIMIT 0
        ZINTERCARD 2 a b LIMIT -1
        ZINTERCARD 2 a b LIMIT x
        ZINTERCARD 0 a
        ZINTERCARD 3 a b
        ZINTERCARD 2 a b WITHSCORES
        ZUNION 0 a
        ZUNION -1 a
        ZUNION x a
        ZUNION 3 a b
        ZUNION 2 a b WEIGHTS 1
        ZUNION 2 a b WEIGHTS 1 x
        ZUNION 2 a b WEIGHTS 1 nan
        ZUNION 2 a b AGGREGATE avg
        ZUNION 2 a b AGGREGATE
        ZUNION 2 a b WITHSCORES WITHSCORES
        ZUNION 2 a b BOGUS
        ZADD i 1 p
        ZADD j -1 p
        ZUNION 2 i j WEIGHTS inf inf WITHSCORES
        ZUNION 2 i j WEIGHTS 0 inf WITHSCORES
        ZINTER 2 i j WEIGHTS inf inf WITHSCORES
    """,
    "zstore": """
        ZADD a 1 x 2 y 3 z
        ZADD b 10 y 20 z 30 w
        ZUNIONSTORE d 2 a b
        ZRANGE d 0 -1 WITHSCORES
        OBJECT ENCODING d
        ZINTERSTORE d 2 a b WEIGHTS 2 1 AGGREGATE SUM
        ZRANGE d 0 -1 WITHSCORES
        ZDIFFSTORE d 2 a b
        ZRANGE d 0 -1 WITHSCORES
        ZINTERSTORE d 2 a nokey
        EXISTS d
        ZDIFFSTORE d 1 nokey
        ZUNIONSTORE d 2 a b WITHSCORES
        ZUNIONSTORE d 0 a
        ZINTERSTORE d 0 a
        ZDIFFSTORE d 0 a
        SET s x
        ZUNIONSTORE s 1 a
        TYPE s
        ZUNIONSTORE a 2 a b
        ZRANGE a 0 -1 WITHSCORES
    """,
    "zdiff": """
        ZADD a 1 x 2 y 3 z 4 q
        ZADD b 10 y
        ZADD c 1 q
        ZDIFF 1 a
        ZDIFF 2 a b
        ZDIFF 3 a b c WITHSCORES
        ZDIFF 2 nokey a
        ZDIFF 2 a nokey WITHSCORES
        ZDIFF 2 a b WEIGHTS 1 2
        ZDIFF 2 a b AGGREGATE SUM
        ZDIFF 0 a
        ZDIFF 2 a
    """,
    "zrandmember-errors": f"""
        ZADD z 1 a 2 b 3 c
        ZRANDMEMBER z {I64_MIN} WITHSCORES
        ZRANDMEMBER z {I64_MIN}
        ZRANDMEMBER z -9223372036854770000 WITHSCORES
        ZRANDMEMBER z 9223372036854770000 WITHSCORES
        ZRANDMEMBER z x
        ZRANDMEMBER z 1 foo
        ZRANDMEMBER z 1 WITHSCORES x
        ZRANDMEMBER z 0
        ZRANDMEMBER z 0 WITHSCORES
        ZRANDMEMBER nokey 5
        ZRANDMEMBER nokey
    """,
    "zscan-small": """
        ZADD z 1 a 2 b 3 c 10 ab
        ZSCAN z 0
        ZSCAN z 0 MATCH a*
        ZSCAN z 0 COUNT 1
        ZSCAN z 0 MATCH *b COUNT 100
        ZSCAN z x
        ZSCAN z -1
        ZSCAN z 0 COUNT 0
        ZSCAN z 0 COUNT x
        ZSCAN z 0 MATCH
        ZSCAN z 0 BOGUS 1
        ZSCAN z
    """,
    "encoding-transitions": """
        CONFIG SET zset-max-listpack-entries 4
        CONFIG SET zset-max-listpack-value 8
        ZADD z 1 a 2 b 3 c 4 d
        OBJECT ENCODING z
        ZADD z 5 e
        OBJECT ENCODING z
        ZRANGE z 0 -1 WITHSCORES
        ZREM z a b c d
        OBJECT ENCODING z
        ZADD y 1 a
        OBJECT ENCODING y
        ZADD y 1 aaaaaaaaaaaaaaaa
        OBJECT ENCODING y
        ZADD x 1 a 1 a 1 a 1 a 1 a
        OBJECT ENCODING x
        ZADD w 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        OBJECT ENCODING w
        ZUNIONSTORE u 1 z
        OBJECT ENCODING u
        ZRANGESTORE r y 0 0
        OBJECT ENCODING r
        ZADD big 1 a 2 b 3 c 4 d 5 e 6 f
        ZUNIONSTORE u 1 big
        OBJECT ENCODING u
        ZRANGESTORE r big 0 2
        OBJECT ENCODING r
        CONFIG SET zset-max-listpack-entries 0
        ZADD e 1 a
        OBJECT ENCODING e
        CONFIG SET zset-max-listpack-entries 128
        CONFIG SET zset-max-listpack-value 64
    """,
    "non-integer-scores": """
        ZADD z 1.1 a 0.1 b 2.5 c -3.75 d 1e20 e 1e-5 f
        ZSCORE z a
        ZRANGE z 0 -1 WITHSCORES
        ZINCRBY z 0.2 b
        ZADD z INCR 0.1 b
        ZRANGEBYSCORE z 0.1 (2.5 WITHSCORES
        ZPOPMIN z
        ZMSCORE z a c
        ZSCAN z 0
    """,
    "ties-order-by-member": """
        ZADD z 1 b 1 a 1 c 0 z 2 aa
        ZRANGE z 0 -1
        ZADD z 1 ba
        ZRANK z ba
        ZREVRANGE z 0 -1 WITHSCORES
        ZADD z -0 y 0 x
        ZRANGE z 0 -1 WITHSCORES
    """,
    "arity": """
        ZCARD
        ZCARD a b
        ZSCORE z
        ZCOUNT z 1
        ZLEXCOUNT z 1
        ZRANGE z 1
        ZRANGEBYSCORE z 1
        ZREVRANGE z 1
        ZPOPMIN
        ZREMRANGEBYRANK z 1
        ZREMRANGEBYSCORE z 1 2 3
        ZUNION 1
        ZUNIONSTORE d 1
        ZINTERCARD 1
        ZDIFFSTORE d 1
        ZRANDMEMBER
        BZPOPMIN z
        BZMPOP 0 1 z
        ZMPOP 1 z
        ZMSCORE z
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_zset_script(d, name):
    d.run(CASES[name])


def _both(d, *args):
    return d.ref.call(*args), d.tgt.call(*args)


def _load(d, key, n, prefix="m"):
    args = []
    for i in range(n):
        args += [str(i % 37), f"{prefix}{i}"]
    d.check("ZADD", key, *args)


def test_big_zset_ranges_and_ranks(d):
    """A skiplist-encoded set: every index-based reply matches byte for byte."""
    _load(d, "z", 1000)
    d.run("""
        OBJECT ENCODING z
        ZCARD z
        ZRANGE z 0 20 WITHSCORES
        ZRANGE z 500 530
        ZRANGE z -30 -1 WITHSCORES
        ZREVRANGE z 100 120 WITHSCORES
        ZRANGEBYSCORE z 5 (7 LIMIT 3 10 WITHSCORES
        ZREVRANGEBYSCORE z 30 10 LIMIT 5 10
        ZCOUNT z 3 20
        ZCOUNT z (3 (20
        ZRANK z m999
        ZREVRANK z m500
        ZRANK z m0
        ZSCORE z m123
        ZREM z m1 m2 m3
        ZREMRANGEBYRANK z 10 30
        ZREMRANGEBYSCORE z 30 (32
        ZCARD z
        ZRANGE z 0 40
        ZPOPMIN z 5
        ZPOPMAX z 5
        ZMPOP 1 z MIN COUNT 3
        ZINCRBY z 100 m400
        ZREVRANGE z 0 2 WITHSCORES
        ZRANGESTORE d z 100 300
        OBJECT ENCODING d
        ZRANGE d 0 -1
        ZUNIONSTORE u 2 z d WEIGHTS 1 2
        ZRANGE u 0 -1 WITHSCORES
        ZINTER 2 z d AGGREGATE MAX WITHSCORES
        ZDIFF 2 z d
        ZINTERCARD 2 z d LIMIT 50
    """)


def test_big_lex_ranges(d):
    d.check("ZADD", "l", *[x for i in range(400) for x in ("0", f"k{i:04d}")])
    d.run("""
        ZRANGEBYLEX l [k0100 (k0150
        ZREVRANGEBYLEX l (k0300 - LIMIT 10 20
        ZLEXCOUNT l (k0010 [k0390
        ZREMRANGEBYLEX l [k0200 [k0250
        ZLEXCOUNT l - +
        ZRANGE l 190 210
    """)


def test_zscan_big_returns_everything(d):
    _load(d, "z", 500)
    for conn in (d.ref, d.tgt):
        cursor, seen = b"0", {}
        for _ in range(10000):
            r = conn.call("ZSCAN", "z", cursor, "COUNT", "7")
            cursor = r.items()[0].value
            flat = [x.value for x in r.items()[1].items()]
            for m, s in zip(flat[::2], flat[1::2]):
                seen[m] = float(s)
            if cursor == b"0":
                break
        assert len(seen) == 500
        assert seen[b"m38"] == 1.0


def test_zscan_big_match(d):
    _load(d, "z", 300)
    for conn in (d.ref, d.tgt):
        cursor, seen = b"0", set()
        while True:
            r = conn.call("ZSCAN", "z", cursor, "MATCH", "m1?", "COUNT", "50")
            cursor = r.items()[0].value
            seen |= set(r.items()[1].items()[i].value for i in range(0, len(r.items()[1].items()), 2))
            if cursor == b"0":
                break
        assert seen == {f"m1{i}".encode() for i in range(10)}


@pytest.mark.parametrize("size", [5, 300])
def test_zrandmember_properties(d, size):
    _load(d, "z", size)
    members = {f"m{i}".encode() for i in range(size)}
    for conn in (d.ref, d.tgt):
        one = conn.call("ZRANDMEMBER", "z")
        assert one.value in members
        for count in (3, size, size + 10):
            r = conn.call("ZRANDMEMBER", "z", str(count))
            got = [x.value for x in r.items()]
            assert len(got) == min(count, size) and len(set(got)) == len(got) and set(got) <= members
        r = conn.call("ZRANDMEMBER", "z", "-20")
        got = [x.value for x in r.items()]
        assert len(got) == 20 and set(got) <= members
        r = conn.call("ZRANDMEMBER", "z", "4", "WITHSCORES")
        items = r.items()
        if conn.proto == 3:
            assert len(items) == 4 and all(len(p.items()) == 2 for p in items)
            pairs = [(p.items()[0].value, p.items()[1]) for p in items]
        else:
            assert len(items) == 8
            pairs = list(zip([x.value for x in items[::2]], items[1::2]))
        for m, s in pairs:
            idx = int(m[1:])
            assert float(s.value) == float(idx % 37)


def test_zrandmember_shapes(d):
    _load(d, "z", 10)
    d.run("""
        ZRANDMEMBER z 3 WITHSCORES
        ZRANDMEMBER z -3 WITHSCORES
        ZRANDMEMBER z 30
        ZRANDMEMBER z
    """)


def test_bzpop_timeout_replies_null(d):
    d.run("""
        BZPOPMIN z 0.01
        BZPOPMAX a b 0.01
        BZMPOP 0.01 2 a b MIN
        MULTI
        BZPOPMIN z 0
        BZMPOP 0 1 z MAX
        EXEC
    """)


def test_zadd_zpopmin_many(d):
    """Bulk churn through splits and merges of the tree's chunks."""
    for i in range(0, 3000, 300):
        d.check("ZADD", "z", *[x for j in range(i, i + 300) for x in (str((j * 7919) % 1000), f"e{j}")])
    d.run("""
        ZCARD z
        ZRANGE z 1000 1010 WITHSCORES
        ZPOPMIN z 700
        ZRANK z e2999
        ZPOPMAX z 700
        ZREMRANGEBYRANK z 100 -100
        ZRANGE z 0 -1 WITHSCORES
    """)


def test_generic_key_commands_on_zsets(d):
    d.run("""
        ZADD z 1 a 2 b 3 c
        TYPE z
        OBJECT ENCODING z
        COPY z z2
        ZRANGE z2 0 -1 WITHSCORES
        ZADD z2 4 d
        ZCARD z
        RENAME z2 z3
        ZRANGE z3 0 -1
        SCAN 0 TYPE zset
        EXPIRE z 100
        ZADD z 5 e
        TTL z
        ZUNIONSTORE z 1 z3
        TTL z
        DEL z z3
        EXISTS z z3
    """)


def test_copy_of_big_zset_is_independent(d):
    _load(d, "z", 300)
    d.run("""
        COPY z c
        ZREM c m1 m2
        ZADD c 1000 m3
        ZCARD z
        ZCARD c
        ZSCORE z m3
        ZSCORE c m3
        ZRANK c m3
        OBJECT ENCODING c
    """)


def _random_script(seed, nmembers):
    import random
    rnd = random.Random(seed)
    mem = lambda: f"m{rnd.randrange(nmembers)}"
    sc = lambda: rnd.choice([str(rnd.randrange(-5, 20)), "inf", "-inf", "0", "-0"])
    bound = lambda: rnd.choice(["", "("]) + rnd.choice([str(rnd.randrange(-6, 22)), "-inf", "+inf"])
    lex = lambda: rnd.choice(["-", "+", "[" + mem(), "(" + mem()])
    idx = lambda: str(rnd.randrange(-nmembers - 3, nmembers + 3))
    lines = []
    for _ in range(400):
        k = rnd.choice(["a", "b"])
        c = rnd.randrange(20)
        if c < 6:
            opts = " ".join(rnd.sample(["NX", "XX", "GT", "LT", "CH"], rnd.randrange(0, 2)))
            pairs = " ".join(f"{sc()} {mem()}" for _ in range(rnd.randrange(1, 6)))
            lines.append(f"ZADD {k} {opts} {pairs}")
        elif c == 6:
            lines.append(f"ZINCRBY {k} {rnd.randrange(-3, 4)} {mem()}")
        elif c == 7:
            lines.append(f"ZREM {k} {mem()} {mem()}")
        elif c == 8:
            lines.append(f"ZRANGE {k} {idx()} {idx()} {rnd.choice(['', 'REV', 'WITHSCORES'])}")
        elif c == 9:
            lim = rnd.choice(["", f"LIMIT {rnd.randrange(-1, 5)} {rnd.randrange(-1, 5)}"])
            lines.append(f"ZRANGE {k} {bound()} {bound()} BYSCORE {rnd.choice(['', 'REV'])} {lim} WITHSCORES")
        elif c == 10:
            lines.append(f"ZCOUNT {k} {bound()} {bound()}")
        elif c == 11:
            lines.append(f"ZRANK {k} {mem()}")
            lines.append(f"ZREVRANK {k} {mem()}")
        elif c == 12:
            lines.append(f"ZREMRANGEBYRANK {k} {idx()} {idx()}")
        elif c == 13:
            lines.append(f"ZREMRANGEBYSCORE {k} {bound()} {bound()}")
        elif c == 14:
            lines.append(f"ZPOP{rnd.choice(['MIN', 'MAX'])} {k} {rnd.randrange(0, 4)}")
        elif c == 15:
            lines.append(f"ZUNIONSTORE c 2 a b WEIGHTS {rnd.randrange(-2, 3)} 1 AGGREGATE {rnd.choice(['SUM', 'MIN', 'MAX'])}")
            lines.append("ZRANGE c 0 -1 WITHSCORES")
        elif c == 16:
            lines.append(f"ZINTER 2 a b AGGREGATE {rnd.choice(['SUM', 'MIN', 'MAX'])} WITHSCORES")
            lines.append("ZDIFF 2 a b WITHSCORES")
        elif c == 17:
            lines.append(f"ZRANGESTORE c {k} {bound()} {bound()} BYSCORE")
            lines.append("ZRANGE c 0 -1 WITHSCORES")
        elif c == 18:
            lines.append(f"ZMSCORE {k} {mem()} {mem()}")
        else:
            lines.append(f"ZCARD {k}")
            lines.append(f"OBJECT ENCODING {k}")
    lines.append("ZRANGE a 0 -1 WITHSCORES")
    lines.append("ZRANGE b 0 -1 WITHSCORES")
    return "\n".join(lines)


@pytest.mark.parametrize("seed,nmembers", [(1, 8), (2, 40), (3, 300), (4, 1000)])
def test_random_command_sequences(d, seed, nmembers):
    d.run(_random_script(seed, nmembers))


def test_random_lex_sequences(d):
    import random
    rnd = random.Random(7)
    d.check("ZADD", "l", *[x for i in range(200) for x in ("0", f"w{rnd.randrange(500):03d}")])
    for _ in range(150):
        b = lambda: rnd.choice(["-", "+", f"[w{rnd.randrange(500):03d}", f"(w{rnd.randrange(500):03d}"])
        cmd = rnd.choice(["ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT"])
        args = [cmd, "l", b(), b()]
        if cmd != "ZLEXCOUNT" and rnd.random() < 0.5:
            args += ["LIMIT", str(rnd.randrange(-1, 10)), str(rnd.randrange(-1, 10))]
        d.check(*args)
    d.check("ZREMRANGEBYLEX", "l", "[w100", "(w300")
    d.check("ZRANGE", "l", "0", "-1")


def test_sets_count_as_score_one(d):
    """ZUNION & co. take plain sets as inputs, every member scoring 1."""
    d.run("""
        SADD s x y q
        ZADD z 5 x 7 w
        ZUNION 2 s z WITHSCORES
        ZINTER 2 s z WITHSCORES
        ZDIFF 2 s z WITHSCORES
        ZINTERCARD 2 s z
        ZUNIONSTORE d 2 s z WEIGHTS 3 1
        ZRANGE d 0 -1 WITHSCORES
        ZINTERSTORE d 1 s
        ZRANGE d 0 -1 WITHSCORES
    """)


def _blocked_then_served(port, cmd, writer_cmds):
    """Sends a blocking command on one connection, writes on another, returns
    the blocked connection's reply bytes."""
    import time
    from respwire import Conn
    a, b = Conn(port, proto=2), Conn(port, proto=2)
    a.send_cmd(*cmd)
    time.sleep(0.1)
    for w in writer_cmds:
        b.call(*w)
    r = a.read()
    a.close()
    b.close()
    return r.raw


@pytest.mark.parametrize("cmd,writes", [
    (("BZPOPMIN", "z", "y", "2"), [("ZADD", "y", "2", "b", "1", "a")]),
    (("BZPOPMAX", "z", "2"), [("SET", "other", "1"), ("ZADD", "z", "1", "a", "3", "c")]),
    (("BZMPOP", "2", "2", "z", "y", "MAX", "COUNT", "5"), [("ZADD", "y", "1", "a", "2", "b")]),
])
def test_blocking_pop_is_served_by_a_later_zadd(pair, d2, cmd, writes):
    ra = _blocked_then_served(pair.ref.port, cmd, writes)
    rb = _blocked_then_served(pair.tgt.port, cmd, writes)
    assert ra == rb


@pytest.fixture
def cl(pair, proto):
    from test_blocking import Clients
    c = Clients(pair, proto, 3)
    for conns in (c.ref, c.tgt):
        conns[0].call("FLUSHALL")
    yield c
    c.close()


def test_blocked_zpop_ignores_wrong_types_and_empty_writes(cl):
    import time
    cl.send(1, "BZPOPMIN", "z", "0")
    time.sleep(0.1)
    for cmd in (("SET", "z", "x"), ("DEL", "z"), ("ZADD", "z", "XX", "1", "a"),
                ("MULTI",), ("ZADD", "z", "1", "a"), ("ZREM", "z", "a"), ("EXEC",)):
        cl.send(0, *cmd)
        cl.read(0)
    assert cl.pending(1) == b""
    cl.send(0, "ZADD", "z", "2", "b", "1", "a")
    cl.read(0)
    cl.read(1)
    cl.send(0, "ZRANGE", "z", "0", "-1", "WITHSCORES")
    cl.read(0)


def test_two_waiters_served_in_order(cl):
    import time
    cl.send(1, "BZPOPMAX", "z", "0")
    time.sleep(0.05)
    cl.send(2, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "2")
    time.sleep(0.1)
    cl.send(0, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
    cl.read(0)
    cl.read(1)
    cl.read(2)
    cl.send(0, "ZRANGE", "z", "0", "-1")
    cl.read(0)
