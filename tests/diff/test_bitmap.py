"""Differential tests of the bitmap commands (issue 5 item 2): SETBIT GETBIT
BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, against redis-server 7.0, RESP2
and RESP3, including wrong types, missing keys, edge offsets and every
BITFIELD overflow mode. Keyspace events of the writes are compared too.
"""

import random
import shlex

import pytest

from test_pubsub import check_events

CASES = {
    "setbit-getbit": """
        SETBIT b 7 1
        GET b
        GETBIT b 7
        GETBIT b 6
        GETBIT b 100
        GETBIT nokey 3
        SETBIT b 7 1
        SETBIT b 7 0
        SETBIT b 100 1
        STRLEN b
        GET b
        SETBIT b 0 2
        SETBIT b 0 -1
        SETBIT b 0 01
        SETBIT b 0 " 1"
        SETBIT b -1 1
        SETBIT b abc 1
        SETBIT b 4294967295 1
        SETBIT b 4294967296 1
        GETBIT b 4294967296
        GETBIT b -1
        SET n 12345
        SETBIT n 0 1
        GET n
        OBJECT ENCODING n
        LPUSH l a
        SETBIT l 0 1
        GETBIT l 0
        SETBIT b
        GETBIT b 1 2
    """,
    "bitcount": """
        SET s foobar
        BITCOUNT s
        BITCOUNT s 0 0
        BITCOUNT s 1 1
        BITCOUNT s 1 -2
        BITCOUNT s -2 -1
        BITCOUNT s -1 -2
        BITCOUNT s 5 30
        BITCOUNT s 0 -100
        BITCOUNT s 0 5 BYTE
        BITCOUNT s 5 30 BIT
        BITCOUNT s 0 0 BIT
        BITCOUNT s 1 1 BIT
        BITCOUNT s -5 -1 BIT
        BITCOUNT s 3 100 bit
        BITCOUNT s 0 47 BIT
        BITCOUNT s 0 1 BOGUS
        BITCOUNT s 0
        BITCOUNT s 0 1 BIT extra
        BITCOUNT s a b
        BITCOUNT nokey
        BITCOUNT nokey 0 1
        BITCOUNT nokey 0
        BITCOUNT nokey a b
        SET e ""
        BITCOUNT e
        BITCOUNT e 0 -1 BIT
        SET n 255
        BITCOUNT n
        LPUSH l a
        BITCOUNT l
        BITCOUNT l 0
    """,
    "bitpos": """
        SET s "\\xff\\xf0\\x00"
        BITPOS s 0
        BITPOS s 1
        BITPOS s 0 1
        BITPOS s 1 2
        BITPOS s 0 0 0
        BITPOS s 0 0 1
        BITPOS s 1 -1
        BITPOS s 0 2 -1
        BITPOS s 1 7 15 BIT
        BITPOS s 0 7 15 BIT
        BITPOS s 0 0 7 BIT
        BITPOS s 1 12 BIT
        BITPOS s 0 -3 -1 BIT
        BITPOS s 1 16 23 BIT
        BITPOS s 1 5 2
        BITPOS s 2
        BITPOS s -1
        BITPOS s x
        BITPOS s 1 a
        BITPOS s 1 0 a
        BITPOS s 1 0 1 WORD
        BITPOS s 1 0 1 BIT x
        BITPOS nokey 0
        BITPOS nokey 1
        BITPOS nokey 1 5 6 BIT
        SET full "\\xff\\xff"
        BITPOS full 0
        BITPOS full 0 0
        BITPOS full 0 0 -1
        BITPOS full 0 0 15 BIT
        BITPOS full 0 3 BIT
        SET zero "\\x00\\x00"
        BITPOS zero 1
        BITPOS zero 0 1
        BITPOS zero 1 0 -1 BIT
        SET e ""
        BITPOS e 0
        BITPOS e 1
        LPUSH l a
        BITPOS l 1
        BITPOS l 3
    """,
    "bitop": """
        SET a "\\xf0\\x0f"
        SET b "\\xff"
        BITOP AND d a b
        GET d
        BITOP OR d a b
        GET d
        BITOP XOR d a b nokey
        GET d
        BITOP NOT d a
        GET d
        BITOP not d a b
        BITOP NAND d a b
        BITOP AND d nokey1 nokey2
        EXISTS d
        BITOP and d a
        GET d
        SET d x EX 100
        BITOP OR d a
        TTL d
        LPUSH l x
        BITOP AND d a l
        BITOP AND l a
        TYPE l
        BITOP AND
        BITOP AND d
        SET n 7
        BITOP OR d n a
        GET d
    """,
    "bitfield": """
        BITFIELD bf SET i8 0 100 GET i8 0
        BITFIELD bf INCRBY i8 0 100
        BITFIELD bf OVERFLOW SAT INCRBY i8 0 100
        BITFIELD bf OVERFLOW FAIL INCRBY i8 0 100
        BITFIELD bf OVERFLOW WRAP INCRBY i8 0 100
        BITFIELD bf SET u2 100 5 GET u2 100
        BITFIELD bf OVERFLOW SAT SET u2 100 5 GET u2 100
        BITFIELD bf OVERFLOW FAIL SET u2 100 5 GET u2 100
        BITFIELD bf OVERFLOW SAT SET u8 0 -1
        BITFIELD bf OVERFLOW WRAP SET u8 0 -1
        BITFIELD bf OVERFLOW FAIL SET u8 0 -1
        BITFIELD bf OVERFLOW SAT INCRBY u8 0 -1000
        BITFIELD bf SET i64 0 -1 GET i64 0 GET u63 0 GET i1 0 GET u1 0
        BITFIELD bf INCRBY i64 0 9223372036854775807
        BITFIELD bf OVERFLOW SAT INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -1
        BITFIELD bf OVERFLOW WRAP INCRBY i64 0 -9223372036854775808
        BITFIELD bf SET u63 64 9223372036854775807 INCRBY u63 64 1
        BITFIELD bf SET i5 #3 -7 GET i5 #3 GET i5 15 GET u10 #1
        BITFIELD bf GET i8 #-1
        BITFIELD bf GET u64 0
        BITFIELD bf GET i65 0
        BITFIELD bf GET i0 0
        BITFIELD bf GET x8 0
        BITFIELD bf GET i8
        BITFIELD bf SET i8 0
        BITFIELD bf SET i8 0 a
        BITFIELD bf INCRBY i8 0 1.5
        BITFIELD bf OVERFLOW BOGUS GET i8 0
        BITFIELD bf BOGUS
        BITFIELD bf GET i8 -1
        BITFIELD bf GET i8 4294967296
        BITFIELD bf
        BITFIELD nokey GET u8 0 GET i16 3
        EXISTS nokey
        BITFIELD nokey2 OVERFLOW FAIL INCRBY u2 0 10
        EXISTS nokey2
        GET nokey2
        GET bf
        BITFIELD_RO bf GET i8 0 GET u4 #2
        BITFIELD_RO bf SET i8 0 1
        BITFIELD_RO bf INCRBY i8 0 1
        BITFIELD_RO bf OVERFLOW SAT GET i8 0
        BITFIELD_RO nokey GET i8 0
        BITFIELD_RO bf
        LPUSH l a
        BITFIELD l GET i8 0
        BITFIELD l SET i8 0 1
        BITFIELD_RO l GET i8 0
        SET n 1234
        BITFIELD n GET u8 0 INCRBY u8 8 1
        GET n
    """,
}


def run(d, script):
    """d.run, with \\xNN escapes in arguments for binary values."""
    for line in script.strip().splitlines():
        args = [a.encode().decode("unicode_escape").encode("latin-1") if "\\" in a else a
                for a in shlex.split(line)]
        d.check(*args)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bitmap_script(d, name):
    run(d, CASES[name])


def test_bitfield_random_against_reference(d):
    """Random BITFIELD programs over one key: every reply equal."""
    rng = random.Random(5)
    for _ in range(150):
        args = ["BITFIELD", "rb"]
        for _ in range(rng.randint(1, 4)):
            signed = rng.random() < 0.5
            bits = rng.randint(1, 64 if signed else 63)
            t = f"{'i' if signed else 'u'}{bits}"
            off = f"#{rng.randint(0, 6)}" if rng.random() < 0.3 else str(rng.randint(0, 120))
            kind = rng.choice(["GET", "SET", "INCRBY", "OVERFLOW"])
            if kind == "OVERFLOW":
                args += ["OVERFLOW", rng.choice(["WRAP", "SAT", "FAIL"])]
            elif kind == "GET":
                args += ["GET", t, off]
            else:
                v = rng.choice([0, 1, -1, 2**(bits - 1), -(2**(bits - 1)) - 1, rng.randint(-2**63, 2**63 - 1),
                                rng.randint(-1000, 1000)])
                v = max(min(v, 2**63 - 1), -2**63)
                args += [kind, t, off, str(v)]
        d.check(*args)
    d.check("GET", "rb")


def test_bitcount_bitpos_random(d):
    rng = random.Random(11)
    for i in range(40):
        val = bytes(rng.choice([0, 0xff, rng.randrange(256)]) for _ in range(rng.randint(0, 9)))
        d.check("SET", "r", val)
        for _ in range(10):
            s, e = rng.randint(-80, 80), rng.randint(-80, 80)
            unit = rng.choice([[], ["BIT"], ["BYTE"]])
            d.check("BITCOUNT", "r", str(s), str(e), *unit)
            d.check("BITPOS", "r", str(rng.randint(0, 1)), str(s), str(e), *unit)
            d.check("BITPOS", "r", str(rng.randint(0, 1)), str(s))


def test_bit_events(d, pair):
    check_events(d, pair, [
        "SETBIT e 3 1", "SETBIT e 3 1", "SETBIT e 3 0", "SETBIT e 40 0",
        "BITFIELD e SET u8 0 0", "BITFIELD e SET u8 0 7", "BITFIELD e GET u8 0",
        "BITFIELD e2 OVERFLOW FAIL INCRBY u2 0 9", "BITFIELD e3 GET u8 0",
        "BITOP OR d e", "BITOP AND d nokey", "BITOP AND d nokey",
        # HyperLogLog values are strings too: their events live here.
        "PFADD p a", "PFADD p a", "PFADD p", "PFCOUNT p", "PFMERGE p2 p", "PFMERGE p2"])
