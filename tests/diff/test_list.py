"""Differential tests of the list commands of issue 3.

Each case is a short script run on an empty keyspace against redis-server 7.0
and vermilion-server, over RESP2 and RESP3; every reply must be identical
(modulo allowlist.toml). Lists keep their order exactly, so nothing here needs
an unordered comparison. Blocking commands are exercised where they can
serve at once, inside MULTI (where they reply their timeout value at once) and
with short timeouts on empty keys.
"""

import pytest

I64_MAX = "9223372036854775807"
I64_MIN = "-9223372036854775808"

CASES = {
    "push-basic": """
        LPUSH l a
        LPUSH l b c d
        RPUSH l x y z
        LRANGE l 0 -1
        LLEN l
        TYPE l
        OBJECT ENCODING l
        LPUSH l
        RPUSH
        LPUSH l ""
        RPUSH l ""
        LRANGE l 0 -1
        LLEN nokey
    """,
    "pushx": """
        LPUSHX l a
        RPUSHX l a
        EXISTS l
        RPUSH l m
        LPUSHX l a b
        RPUSHX l y z
        LRANGE l 0 -1
        LPUSHX l
        SET s x
        LPUSHX s a
        RPUSHX s a
    """,
    "wrongtype": """
        SET s x
        LPUSH s a
        RPUSH s a
        LPOP s
        RPOP s
        LPOP s 2
        LLEN s
        LRANGE s 0 -1
        LINDEX s 0
        LSET s 0 x
        LINSERT s BEFORE a b
        LREM s 0 a
        LTRIM s 0 1
        LPOS s a
        RPOPLPUSH s d
        LMOVE s d LEFT RIGHT
        LMPOP 1 s LEFT
        BLPOP s 0.01
        BRPOP s 0.01
        BRPOPLPUSH s d 0.01
        BLMOVE s d LEFT LEFT 0.01
        BLMPOP 0.01 1 s LEFT
        GET s
    """,
    "wrongtype-hash": """
        HSET h f v
        LPUSH h x
        LRANGE h 0 -1
    """,
    "pop-single": """
        LPOP l
        RPOP l
        RPUSH l a b c d e
        LPOP l
        RPOP l
        LRANGE l 0 -1
        LPOP l
        LPOP l
        LPOP l
        EXISTS l
        LPOP l
        RPOP l
    """,
    "pop-count": f"""
        LPOP l 0
        LPOP l 2
        RPOP l 2
        RPUSH l a b c d e f g
        LPOP l 0
        RPOP l 0
        LPOP l 2
        RPOP l 2
        LPOP l -1
        RPOP l -1
        LPOP l abc
        LPOP l 1.5
        LPOP l {I64_MIN}
        LPOP l 1 2
        RPOP l 1 2
        LPOP l {I64_MAX}
        EXISTS l
        RPUSH l x
        RPOP l 100
        EXISTS l
        LPOP l 1
        LPOP
    """,
    "lrange": f"""
        LRANGE l 0 -1
        RPUSH l 0 1 2 3 4 5 6 7 8 9
        LRANGE l 0 -1
        LRANGE l 0 0
        LRANGE l -1 -1
        LRANGE l 2 5
        LRANGE l -3 -1
        LRANGE l 5 2
        LRANGE l 10 20
        LRANGE l -100 100
        LRANGE l {I64_MIN} {I64_MAX}
        LRANGE l {I64_MAX} {I64_MIN}
        LRANGE l 0 {I64_MIN}
        LRANGE l -11 -11
        LRANGE l -10 -10
        LRANGE l a 1
        LRANGE l 1 b
        LRANGE nokey a b
        LRANGE l 1
        LRANGE l 1 2 3
    """,
    "lindex": f"""
        LINDEX l 0
        LINDEX l abc
        RPUSH l a b c
        LINDEX l 0
        LINDEX l 2
        LINDEX l 3
        LINDEX l -1
        LINDEX l -3
        LINDEX l -4
        LINDEX l {I64_MAX}
        LINDEX l {I64_MIN}
        LINDEX l abc
        LINDEX l 1.0
        LINDEX l
    """,
    "lset": f"""
        LSET l 0 x
        LSET l abc x
        RPUSH l a b c
        LSET l 0 x
        LSET l -1 z
        LSET l 1 a-much-longer-value-than-before-to-grow-the-entry
        LRANGE l 0 -1
        LSET l 3 x
        LSET l -4 x
        LSET l {I64_MAX} x
        LSET l {I64_MIN} x
        LSET l abc x
        LSET l 0 ""
        LRANGE l 0 -1
        LSET l 0
    """,
    "linsert": """
        LINSERT l BEFORE a x
        LINSERT l MIDDLE a x
        RPUSH l a b c a
        LINSERT l BEFORE a x
        LINSERT l after a y
        LINSERT l AFTER c z
        LINSERT l before nope w
        LINSERT l AROUND a w
        LRANGE l 0 -1
        LLEN l
        LINSERT l BEFORE a
    """,
    "lrem": f"""
        LREM l 0 a
        LREM l abc a
        RPUSH l a b a c a d a
        LREM l 1 a
        LRANGE l 0 -1
        LREM l -1 a
        LRANGE l 0 -1
        LREM l 0 a
        LRANGE l 0 -1
        LREM l 0 zz
        RPUSH l x x x
        LREM l {I64_MIN} x
        LRANGE l 0 -1
        RPUSH l x x
        LREM l {I64_MAX} x
        LREM l abc x
        LREM l 0 b
        LREM l 0 c
        LREM l 0 d
        EXISTS l
        LREM l 0
    """,
    "ltrim": f"""
        LTRIM l 0 1
        LTRIM l a 1
        RPUSH l 0 1 2 3 4 5 6 7 8 9
        LTRIM l 1 -2
        LRANGE l 0 -1
        LTRIM l -3 100
        LRANGE l 0 -1
        LTRIM l {I64_MIN} {I64_MAX}
        LRANGE l 0 -1
        LTRIM l a 1
        LTRIM l 1 b
        LTRIM l 2 1
        EXISTS l
        RPUSH l a b
        LTRIM l {I64_MAX} {I64_MIN}
        EXISTS l
        RPUSH l a b
        LTRIM l 5 10
        EXISTS l
        LTRIM l 0
    """,
    "lpos": f"""
        LPOS l a
        LPOS l a COUNT 0
        LPOS l a RANK 0
        RPUSH l a b c 1 2 3 c c
        LPOS l c
        LPOS l c RANK 1
        LPOS l c RANK 2
        LPOS l c RANK -1
        LPOS l c RANK -2
        LPOS l c RANK 10
        LPOS l c COUNT 0
        LPOS l c COUNT 2
        LPOS l c COUNT 2 RANK -1
        LPOS l c COUNT 2 RANK 2
        LPOS l c COUNT 10 RANK -10
        LPOS l c MAXLEN 1
        LPOS l c MAXLEN 3
        LPOS l c COUNT 0 MAXLEN 7
        LPOS l c RANK -1 MAXLEN 1
        LPOS l c RANK -1 MAXLEN 2 COUNT 0
        LPOS l x
        LPOS l x COUNT 1
        LPOS l c RANK 0
        LPOS l c RANK abc
        LPOS l c RANK {I64_MIN}
        LPOS l c RANK {I64_MIN} COUNT 0
        LPOS l c RANK {I64_MIN} COUNT 2
        LPOS l c RANK {I64_MAX}
        LPOS l c COUNT -1
        LPOS l c COUNT abc
        LPOS l c MAXLEN -1
        LPOS l c MAXLEN abc
        LPOS l c COUNT
        LPOS l c FOO 1
        lpos l c rank 1 count 1 maxlen 0
        LPOS l c RANK 1 RANK 2
        LPOS l
    """,
    "rpoplpush-lmove": """
        RPOPLPUSH src dst
        RPUSH src a b c
        RPOPLPUSH src dst
        LRANGE src 0 -1
        LRANGE dst 0 -1
        LMOVE src dst LEFT RIGHT
        LMOVE src dst left left
        LRANGE dst 0 -1
        EXISTS src
        LMOVE src dst LEFT RIGHT
        LMOVE dst dst LEFT RIGHT
        LRANGE dst 0 -1
        RPOPLPUSH dst dst
        LRANGE dst 0 -1
        LMOVE dst dst UP LEFT
        LMOVE dst dst LEFT DOWN
        SET s x
        RPOPLPUSH dst s
        LMOVE dst s RIGHT LEFT
        RPOPLPUSH nokey s
        RPOPLPUSH s dst
        LRANGE dst 0 -1
        RPUSH one x
        RPOPLPUSH one one
        LRANGE one 0 -1
        RPOPLPUSH one two
        EXISTS one
        LRANGE two 0 -1
        LMOVE a b LEFT
    """,
    "lmpop": f"""
        LMPOP 1 l LEFT
        LMPOP 2 a b RIGHT COUNT 5
        RPUSH b 1 2 3 4 5
        LMPOP 2 a b LEFT
        LMPOP 2 a b RIGHT COUNT 2
        RPUSH a x
        LMPOP 2 a b LEFT COUNT 10
        LMPOP 2 a b left count 10
        EXISTS a b
        LMPOP 2 a b LEFT
        LMPOP 0 l LEFT
        LMPOP -1 l LEFT
        LMPOP abc l LEFT
        LMPOP 5 l LEFT
        LMPOP 1 l UP
        LMPOP 1 l LEFT COUNT 0
        LMPOP 1 l LEFT COUNT -1
        LMPOP 1 l LEFT COUNT abc
        LMPOP 1 l LEFT COUNT 1 COUNT 2
        LMPOP 1 l LEFT COUNT
        LMPOP 1 l LEFT FOO
        LMPOP {I64_MAX} l LEFT
        LMPOP 1 l
        RPUSH l a b c
        LMPOP 1 l RIGHT COUNT {I64_MAX}
        SET s x
        RPUSH l2 v
        LMPOP 2 s l2 LEFT
        LMPOP 2 l2 s LEFT
        LMPOP 2 nokey s LEFT
    """,
    "blocking-serve-at-once": """
        RPUSH a 1 2
        RPUSH b 3
        BLPOP nokey a b 0
        BRPOP nokey b a 0
        BLPOP a b 0.5
        EXISTS a b
        RPUSH c x y
        BRPOPLPUSH c d 0
        BLMOVE c d LEFT LEFT 0
        LRANGE d 0 -1
        EXISTS c
        RPUSH e 1 2 3 4
        BLMPOP 0 2 nokey e RIGHT COUNT 3
        BLMPOP 0 2 nokey e LEFT
        EXISTS e
    """,
    "blocking-errors": f"""
        BLPOP l -1
        BLPOP l abc
        BLPOP l nan
        BLPOP l inf
        BLPOP l 1e400
        BRPOP l {I64_MAX}
        BRPOPLPUSH a b -1
        BRPOPLPUSH a b x
        BLMOVE a b LEFT UP 0
        BLMOVE a b UP LEFT -1
        BLMOVE a b LEFT LEFT -1
        BLMPOP -1 1 l LEFT
        BLMPOP 0 0 l LEFT
        BLMPOP 0 1 l UP
        BLMPOP 0 1 l LEFT COUNT 0
        BLMPOP x 0 l LEFT
        BLMPOP 0 1 l
        BLPOP l
        BLMOVE a b LEFT LEFT
    """,
    "blocking-timeout": """
        BLPOP a b 0.01
        BRPOP a 0.01
        BRPOPLPUSH a b 0.01
        BLMOVE a b LEFT RIGHT 0.01
        BLMPOP 0.01 2 a b LEFT
        BLMPOP 0.01 1 a RIGHT COUNT 3
    """,
    "blocking-in-multi": """
        MULTI
        BLPOP a 0
        BRPOP a b 0
        BLMPOP 0 1 a LEFT
        RPUSH a x y
        BLPOP a 0
        BLMOVE a b LEFT RIGHT 0
        BLMPOP 0 1 a LEFT
        EXEC
        LRANGE b 0 -1
        EXISTS a
    """,
    "binary-and-big-elements": """
        RPUSH l "a\\x00b" "\\r\\n" ""
        LRANGE l 0 -1
        LPOS l "\\r\\n"
        LREM l 0 ""
        LRANGE l 0 -1
    """,
    "config-fill-small-nodes": """
        CONFIG SET list-max-listpack-size 2
        RPUSH l 1 2 3 4 5 6 7 8 9 10 11
        LPUSH l 0 -1 -2
        LRANGE l 0 -1
        LINDEX l 7
        LSET l 7 seven
        LINSERT l BEFORE 9 eight-and-a-half
        LINSERT l AFTER -2 x
        LRANGE l 0 -1
        LREM l 0 x
        LTRIM l 2 -3
        LRANGE l 0 -1
        LRANGE l 3 8
        LPOS l 10 RANK -1
        LPOP l 3
        RPOP l 3
        LRANGE l 0 -1
        OBJECT ENCODING l
        CONFIG SET list-max-listpack-size -2
    """,
    "arity": """
        LPUSH
        LPUSH l
        LLEN
        LLEN a b
        LINDEX l
        LSET l 0
        LINSERT l BEFORE a
        LREM l 0
        LTRIM l 0
        LPOS l
        RPOPLPUSH a
        LMOVE a b LEFT
        LMPOP 1 l
        BLPOP l
        BRPOPLPUSH a b
        BLMOVE a b LEFT RIGHT
        BLMPOP 0 1 l
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_list_script(d, name):
    d.run(CASES[name])


def test_bmove_in_multi(d):
    # Refused blocking inside MULTI replies $-1 here, though a real timeout replies *-1.
    d.run("""
        MULTI
        BRPOPLPUSH a b 0
        BLMOVE a b LEFT RIGHT 0
        EXEC
    """)


def test_big_list_order_and_ranges(d):
    """Enough elements to need many nodes: order, ranges and indexes across node edges."""
    vals = [f"v{i}" * (1 + i % 7) for i in range(3000)]
    for i in range(0, 3000, 500):
        d.check("RPUSH", "big", *vals[i:i + 500])
    for i in range(0, 3000, 300):
        d.check("LPUSH", "big", f"head{i}")
    d.check("LLEN", "big")
    for s, e in [(0, 99), (450, 1350), (-700, -1), (2999, 3400), (1000, 1000)]:
        d.check("LRANGE", "big", s, e)
    for i in [0, 1, 511, 512, 1500, 2999, -1, -1234]:
        d.check("LINDEX", "big", i)
    d.check("LSET", "big", 1500, "x" * 300)
    d.check("LINSERT", "big", "BEFORE", vals[2000], "y" * 5000)
    d.check("LRANGE", "big", 1495, 1505)
    d.check("LPOS", "big", vals[7], "COUNT", 0)
    d.check("LREM", "big", -3, vals[42])
    d.check("LTRIM", "big", 100, -100)
    d.check("LRANGE", "big", 0, 50)
    d.check("LRANGE", "big", -50, -1)
    d.check("LPOP", "big", 700)
    d.check("RPOP", "big", 700)
    d.check("LLEN", "big")
    d.check("LRANGE", "big", 0, -1)


def test_big_elements(d):
    """Elements larger than a node's byte limit get a node of their own."""
    big = "z" * 20000
    d.check("RPUSH", "l", "a", big, "b", big)
    d.check("LPUSH", "l", big)
    d.check("LRANGE", "l", 0, -1)
    d.check("LSET", "l", 2, "small")
    d.check("LINDEX", "l", 3)
    d.check("LREM", "l", 0, big)
    d.check("LRANGE", "l", 0, -1)


def test_generic_key_commands_on_lists(d):
    d.run("""
        RPUSH l a b c
        TYPE l
        OBJECT ENCODING l
        COPY l l2
        RENAME l l3
        LRANGE l2 0 -1
        LRANGE l3 0 -1
        RPUSH l2 d
        LRANGE l3 0 -1
        EXISTS l l2 l3
        DEL l2
        SCAN 0 TYPE list
        EXPIRE l3 100
        LPUSH l3 z
        TTL l3
        LPOP l3 10
        TTL l3
        EXISTS l3
    """)


@pytest.mark.parametrize("fill", ["-2", "1", "3", "-1"])
def test_random_ops_match(d, fill):
    """A fixed-seed random mix of every non-blocking list command on a few
    keys, with small nodes so edits cross node boundaries."""
    import random
    rnd = random.Random(int(fill) + 1234)
    vals = ["a", "b", "c", "", "10", "-3", "x" * 40, "y" * 300]
    keys = ["k1", "k2"]
    d.check("CONFIG", "SET", "list-max-listpack-size", fill)
    try:
        for _ in range(1500):
            k = rnd.choice(keys)
            v = rnd.choice(vals)
            i = rnd.randint(-12, 12)
            j = rnd.randint(-12, 12)
            op = rnd.randrange(16)
            if op <= 3:
                d.check(rnd.choice(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), k,
                        *[rnd.choice(vals) for _ in range(rnd.randint(1, 6))])
            elif op == 4:
                d.check(rnd.choice(["LPOP", "RPOP"]), k, *([rnd.randint(0, 4)] if rnd.random() < 0.5 else []))
            elif op == 5:
                d.check("LRANGE", k, i, j)
            elif op == 6:
                d.check("LINDEX", k, i)
            elif op == 7:
                d.check("LSET", k, i, v)
            elif op == 8:
                d.check("LINSERT", k, rnd.choice(["BEFORE", "AFTER"]), rnd.choice(vals), v)
            elif op == 9:
                d.check("LREM", k, rnd.randint(-3, 3), v)
            elif op == 10:
                d.check("LTRIM", k, rnd.randint(-3, 3), rnd.randint(-3, 20))
            elif op == 11:
                args = ["LPOS", k, v]
                if rnd.random() < 0.5:
                    args += ["RANK", rnd.choice([1, 2, -1, -2, 3])]
                if rnd.random() < 0.5:
                    args += ["COUNT", rnd.randint(0, 3)]
                if rnd.random() < 0.3:
                    args += ["MAXLEN", rnd.randint(0, 8)]
                d.check(*args)
            elif op == 12:
                d.check("LMOVE", k, rnd.choice(keys), rnd.choice(["LEFT", "RIGHT"]), rnd.choice(["LEFT", "RIGHT"]))
            elif op == 13:
                d.check("LMPOP", 2, *keys, rnd.choice(["LEFT", "RIGHT"]), "COUNT", rnd.randint(1, 3))
            elif op == 14:
                d.check("RPOPLPUSH", k, rnd.choice(keys))
            else:
                d.check("LLEN", k)
        for k in keys:
            d.check("LRANGE", k, 0, -1)
    finally:
        d.check("CONFIG", "SET", "list-max-listpack-size", "-2")
