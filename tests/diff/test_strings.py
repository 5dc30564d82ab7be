"""Differential tests of the string commands of issue 2.

Each case is a short script run on an empty keyspace against redis-server 7.0
and vermilion-server, over RESP2 and RESP3; every reply must be identical
(modulo allowlist.toml). LPUSH/HSET only provoke WRONGTYPE: if vermilion has no
lists or hashes yet, those cases skip.
"""

import itertools

import pytest

I64_MAX = "9223372036854775807"
I64_MIN = "-9223372036854775808"
FUTURE_S = "4102444800"         # 2100-01-01, for EXAT
FUTURE_MS = "4102444800000"     # for PXAT

CASES = {
    "get-set-basic": """
        GET k
        SET k v
        GET k
        SET k ""
        GET k
        STRLEN k
        SET k v extra
        GET
        GET a b
        SET k
    """,
    "set-nx-xx-get": """
        SET k v XX
        GET k
        SET k v NX
        SET k w NX
        SET k w XX
        GET k
        SET k x NX GET
        SET k y XX GET
        SET k2 z NX GET
        SET k2 z XX GET
        SET k v NX XX
        SET k v nx xx
        set k v get get
    """,
    "set-expire-errors": f"""
        SET k v EX 0
        SET k v EX -1
        SET k v PX 0
        SET k v PX -5
        SET k v EX abc
        SET k v EX 1.5
        SET k v EX {I64_MAX}
        SET k v PX {I64_MAX}
        SET k v EXAT 0
        SET k v PXAT 0
        SET k v EX 10 PX 100
        SET k v EX 10 EX 20
        SET k v EX 10 KEEPTTL
        SET k v KEEPTTL PX 5
        SET k v EX
        SET k v BOGUS
        EXISTS k
    """,
    "set-keepttl": f"""
        SET k v EX 100
        SET k w KEEPTTL
        TTL k
        SET k x
        TTL k
        SET k y PXAT {FUTURE_MS}
        PEXPIRETIME k
        SET k z KEEPTTL GET
        PEXPIRETIME k
    """,
    "set-exat-past": """
        SET k v EXAT 1
        EXISTS k
        SET k v PXAT 1000
        GET k
        SET k v
        SET k v PXAT 1000 GET
        EXISTS k
    """,
    "setnx-setex-psetex": f"""
        SETNX k v
        SETNX k w
        GET k
        SETNX k
        SETEX k 100 v
        TTL k
        SETEX k 0 v
        SETEX k -10 v
        SETEX k abc v
        SETEX k {I64_MAX} v
        PSETEX k 100000 v
        PTTL k
        PSETEX k 0 v
        PSETEX k -1 v
        SETEX k 100
        GET k
    """,
    "getset-getdel": """
        GETSET k v
        GETSET k w
        GET k
        GETDEL k
        GETDEL k
        EXISTS k
        GETSET k
        GETDEL
        SET k v EX 100
        GETSET k w
        TTL k
    """,
    "getex": f"""
        GETEX k
        SET k v
        GETEX k EX 100
        TTL k
        GETEX k PX 200000
        PTTL k
        GETEX k PERSIST
        TTL k
        GETEX k EXAT {FUTURE_S}
        EXPIRETIME k
        GETEX k PXAT {FUTURE_MS}
        PEXPIRETIME k
        GETEX k EX 0
        GETEX k EX -1
        GETEX k EX 10 PX 10
        GETEX k PERSIST EX 10
        GETEX k BOGUS
        GETEX k EX
        GETEX k EX {I64_MAX}
        GETEX k PXAT 1
        EXISTS k
    """,
    "mget-mset-msetnx": """
        MSET a 1 b 2 c 3
        MGET a b c d
        MSET a
        MSET a 1 b
        MSET
        MGET
        MSETNX a 1 x 2
        EXISTS x
        MSETNX x 1 y 2
        MGET x y
        MSETNX q
        MSETNX q 1 r
    """,
    "msetnx-same-key-twice": """
        MSETNX x xxx x yyy
        GET x
        MSETNX x xxx x zzz
        GET x
    """,
    "append-strlen": """
        APPEND k ab
        APPEND k cd
        GET k
        STRLEN k
        STRLEN missing
        APPEND k ""
        APPEND k
        STRLEN
        SET n 12
        APPEND n 34
        GET n
        OBJECT ENCODING n
    """,
    "incr-decr-basic": """
        INCR n
        INCR n
        DECR n
        DECR n
        DECR n
        INCRBY n 10
        DECRBY n 20
        GET n
        INCRBY n -5
        DECRBY n -5
        INCR
        INCR a b
        INCRBY n
        DECRBY n 1 2
    """,
    "incr-edge-integers": f"""
        SET n {I64_MAX}
        INCR n
        INCRBY n 1
        INCRBY n 0
        DECRBY n -1
        SET n {I64_MIN}
        DECR n
        DECRBY n 1
        INCRBY n -1
        INCRBY n {I64_MAX}
        GET n
        SET n 0
        INCRBY n {I64_MIN}
        DECRBY n {I64_MIN}
        DECRBY n {I64_MAX}
        INCRBY n 9223372036854775808
        INCRBY n -9223372036854775809
        INCRBY n abc
        INCRBY n 1.5
        INCRBY n ""
        GET n
    """,
    "incr-not-an-integer": """
        SET n abc
        INCR n
        SET n ""
        INCR n
        SET n " 1"
        INCR n
        SET n "1 "
        INCR n
        SET n 01
        INCR n
        SET n +1
        INCR n
        SET n -0
        INCR n
        SET n 1e3
        INCR n
        SET n 0x10
        INCR n
        SET n 1.0
        DECR n
        SET n 99999999999999999999
        INCR n
        SET n -1
        INCR n
        INCR n
        GET n
    """,
    "incrbyfloat-formatting": """
        INCRBYFLOAT f 0.1
        INCRBYFLOAT f 0.2
        GET f
        INCRBYFLOAT f 10.5
        INCRBYFLOAT f -10.5
        INCRBYFLOAT f 5.0e3
        INCRBYFLOAT f 3e-5
        INCRBYFLOAT f -5000.30003
        SET f 10
        INCRBYFLOAT f 1.5
        SET f 1.5
        INCRBYFLOAT f 1
        SET f 3.0e3
        INCRBYFLOAT f 0
        SET f 1e308
        INCRBYFLOAT f 1e308
        GET f
        INCRBYFLOAT f inf
        INCRBYFLOAT f nan
        INCRBYFLOAT f abc
        INCRBYFLOAT f ""
        INCRBYFLOAT f "1 "
        SET g abc
        INCRBYFLOAT g 1
        SET h 0.1
        INCRBYFLOAT h 0.1
        INCRBYFLOAT h 1e-20
        INCRBYFLOAT h 123456789012345678
        INCRBYFLOAT h -123456789012345678.5
        INCRBYFLOAT h
        SET i 17179869184
        INCRBYFLOAT i 1.1
        SET j 5.0e3
        INCRBYFLOAT j 2.0e2
        OBJECT ENCODING j
        SET k 1
        INCRBYFLOAT k 0.0000000000000001
        INCRBYFLOAT k -1
        INCRBYFLOAT k 1.23e-300
    """,
    "getrange-edges": f"""
        GETRANGE k 0 -1
        SET k "Hello World"
        GETRANGE k 0 4
        GETRANGE k -5 -1
        GETRANGE k -1 -5
        GETRANGE k 5 3
        GETRANGE k 0 100
        GETRANGE k 100 200
        GETRANGE k -100 -50
        GETRANGE k -100 2
        GETRANGE k 3 -100
        GETRANGE k 0 {I64_MAX}
        GETRANGE k {I64_MIN} {I64_MAX}
        GETRANGE k {I64_MIN} 3
        GETRANGE k 0 9223372036854775808
        GETRANGE k a b
        GETRANGE k 0
        SUBSTR k 0 4
        SUBSTR k -3 -1
        SUBSTR k 1
        SET e ""
        GETRANGE e 0 -1
        GETRANGE e 0 0
        SET n 12345
        GETRANGE n 1 2
        GETRANGE n -2 -1
    """,
    "setrange-edges": """
        SETRANGE k 0 ""
        EXISTS k
        SETRANGE k 5 ""
        EXISTS k
        SETRANGE k 5 x
        GET k
        STRLEN k
        SETRANGE k 0 abc
        GET k
        SETRANGE k 10 ""
        GET k
        SETRANGE k -1 x
        SETRANGE k abc x
        SETRANGE k 536870912 x
        SETRANGE k 536870911 xx
        SETRANGE k 9223372036854775807 A
        SETRANGE k 2147483647 A
        SETRANGE k 4294967296 A
        SETRANGE k 1
        GET k
        SET n 1234
        SETRANGE n 1 x
        GET n
        OBJECT ENCODING n
        SETRANGE m 536870912 ""
        SETRANGE m -1 ""
    """,
    "lcs": """
        LCS a b
        MSET a ohmytext b mynewtext
        LCS a b
        LCS a b LEN
        LCS a b IDX
        LCS a b IDX MINMATCHLEN 4
        LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN
        LCS a b IDX WITHMATCHLEN
        LCS a b LEN IDX
        LCS a b MINMATCHLEN
        LCS a b MINMATCHLEN abc
        LCS a b MINMATCHLEN -1 IDX
        LCS a b BOGUS
        LCS a missing
        LCS missing a LEN
        LCS missing1 missing2 IDX
        LCS a
        MSET x ABCBDAB y BDCABA
        LCS x y
        LCS x y IDX WITHMATCHLEN
        LCS x x IDX
        SET e ""
        LCS e x IDX WITHMATCHLEN
        lcs a b idx len
    """,
    "wrongtype-strings": """
        LPUSH l a
        GET l
        SET l x GET
        GETSET l x
        GETDEL l
        GETEX l
        GETEX l PERSIST
        APPEND l x
        STRLEN l
        INCR l
        INCRBY l 2
        DECR l
        DECRBY l 2
        INCRBYFLOAT l 1
        GETRANGE l 0 1
        SUBSTR l 0 1
        SETRANGE l 0 x
        SETRANGE l 0 ""
        LCS l l
        MGET l nokey
        SETNX l x
        MSETNX l x
        TYPE l
        SET l x
        TYPE l
        GET l
    """,
    "wrongtype-hash": """
        HSET h f v
        GET h
        INCR h
        APPEND h x
        TYPE h
    """,
    "binary-safe": None,  # built below
    "object-encoding": """
        SET i 12345
        OBJECT ENCODING i
        SET i -12345
        OBJECT ENCODING i
        SET i 9223372036854775807
        OBJECT ENCODING i
        SET i 9223372036854775808
        OBJECT ENCODING i
        SET i 0
        OBJECT ENCODING i
        SET i 01
        OBJECT ENCODING i
        SET e abc
        OBJECT ENCODING e
        SET e 12345678901234567890123456789012345678901234
        OBJECT ENCODING e
        SET r 123456789012345678901234567890123456789012345
        OBJECT ENCODING r
        SET s aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        OBJECT ENCODING s
        APPEND s b
        OBJECT ENCODING s
        SET t abc
        APPEND t d
        OBJECT ENCODING t
        SET u abc
        SETRANGE u 0 x
        OBJECT ENCODING u
        INCR cnt
        OBJECT ENCODING cnt
        INCRBYFLOAT fl 1.5
        OBJECT ENCODING fl
        SET v ""
        OBJECT ENCODING v
        OBJECT ENCODING missing
        OBJECT ENCODING
        OBJECT BOGUS i
    """,
}


def _binary_cmds():
    blob = bytes(range(256))
    return [
        ("SET", b"k\x00\xff\r\n", blob),
        ("GET", b"k\x00\xff\r\n"),
        ("STRLEN", b"k\x00\xff\r\n"),
        ("APPEND", b"k\x00\xff\r\n", b"\x00\r\n"),
        ("GETRANGE", b"k\x00\xff\r\n", 250, 260),
        ("SETRANGE", b"k\x00\xff\r\n", 1, b"\x00\x00"),
        ("GETRANGE", b"k\x00\xff\r\n", 0, 3),
        ("MSET", b"\xc3\xa9", b"\xe2\x82\xac", b"", b"empty-key"),
        ("MGET", b"\xc3\xa9", b""),
        ("LCS", b"k\x00\xff\r\n", b"\xc3\xa9"),
        ("EXISTS", b""),
        ("ECHO", blob),
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_string_script(d, name):
    if CASES[name] is None:
        for cmd in _binary_cmds():
            d.check(*cmd)
        return
    d.run(CASES[name])


# SET with every option combination, from each starting state of the key.
SET_COND = ["", "NX", "XX"]
SET_GET = ["", "GET"]
SET_TTL = ["", "EX 100", "PX 100000", f"EXAT {FUTURE_S}", f"PXAT {FUTURE_MS}", "KEEPTTL"]
SET_STATES = {
    "missing": "",
    "plain": "SET k old",
    "with-ttl": "SET k old EX 1000",
}


SET_OPTION_COMBOS = [tuple(x for x in combo if x)
                     for combo in itertools.product(SET_COND, SET_GET, SET_TTL)]


@pytest.mark.parametrize("state", sorted(SET_STATES))
@pytest.mark.parametrize("opts", SET_OPTION_COMBOS, ids=lambda g: "_".join(g).replace(" ", "") or "none")
def test_set_option_matrix(d, state, opts):
    d.run(f"""
        {SET_STATES[state]}
        SET k new {" ".join(opts)}
        GET k
        TTL k
        PTTL k
        # the same options in reverse order and lower case, against the result
        SET k newer {" ".join(reversed(opts)).lower()}
        GET k
        TTL k
    """)


def test_set_option_order_variants(d):
    d.run(f"""
        SET k v GET NX EX 10
        SET k v PX 100000 XX GET
        SET k v KEEPTTL XX
        SET k v EXAT {FUTURE_S} GET
        TTL k
        SET k v Px 5000 nX
        SET k v eX 5 gEt
        PTTL k
    """)
