"""Differential tests of HyperLogLog (issue 5 item 3): PFADD PFCOUNT PFMERGE
(and PFDEBUG) against redis-server 7.0, RESP2 and RESP3. The values must be
byte-identical (GET compares the raw strings), so an HLL copied between the
two servers counts the same; corrupt HLL strings, including the
CVE-2025-32023 shape, must be refused and leave the server healthy.
"""

import random

import pytest

from test_bitmap import run  # d.run with \xNN escapes for binary values

CASES = {
    "basics": """
        PFADD h a b c
        PFADD h a
        PFADD h
        PFCOUNT h
        GET h
        PFADD h d
        GET h
        PFCOUNT h
        GET h
        PFCOUNT h nokey
        PFCOUNT nokey
        PFADD empty
        GET empty
        PFCOUNT empty
        EXISTS empty
        OBJECT ENCODING h
        TYPE h
        PFADD
        PFCOUNT
        PFMERGE
    """,
    "wrong-types": """
        SET s hello
        PFADD s a
        PFCOUNT s
        PFCOUNT s s
        PFMERGE s
        PFMERGE d s
        SET n 123
        PFADD n a
        PFCOUNT n
        LPUSH l a
        PFADD l a
        PFCOUNT l
        PFCOUNT l nokey
        PFMERGE l
        SET short HYLL
        PFCOUNT short
        SET fakedense "HYLL\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
        PFCOUNT fakedense
        SET badenc "HYLL\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x7f\\xff"
        PFCOUNT badenc
    """,
    "merge": """
        PFADD a 1 2 3 4 5
        PFADD b 4 5 6 7
        PFMERGE dest a b
        PFCOUNT dest
        GET dest
        PFMERGE dest
        GET dest
        PFMERGE fresh
        GET fresh
        PFMERGE a b nokey
        GET a
        PFCOUNT a b
        PFCOUNT a b dest nokey
    """,
    "pfdebug": """
        PFADD h x y z
        PFDEBUG ENCODING h
        PFDEBUG DECODE h
        PFDEBUG TODENSE h
        PFDEBUG ENCODING h
        PFDEBUG TODENSE h
        PFDEBUG DECODE h
        PFCOUNT h
        PFDEBUG BOGUS h
        PFDEBUG ENCODING nokey
        SET s x
        PFDEBUG ENCODING s
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hll_script(d, name):
    run(d, CASES[name])


def test_values_are_byte_identical_through_sparse_and_dense(d):
    """Grow an HLL past hll-sparse-max-bytes; compare bytes and counts on the way."""
    rng = random.Random(3)
    n = 0
    for step in range(40):
        batch = [f"e{n + i}-{rng.random()}" for i in range(rng.choice([1, 5, 50, 200]))]
        n += len(batch)
        d.check("PFADD", "grow", *batch)
        if step % 4 == 0:
            d.check("GET", "grow")
            d.check("PFCOUNT", "grow")
            d.check("GET", "grow")
            d.check("PFDEBUG", "ENCODING", "grow")
    d.check("GET", "grow")
    d.check("PFCOUNT", "grow")


def test_sparse_max_bytes_is_live(d):
    d.check("CONFIG", "SET", "hll-sparse-max-bytes", "100")
    try:
        for i in range(30):
            d.check("PFADD", "small", f"x{i}")
        d.check("PFDEBUG", "ENCODING", "small")
        d.check("GET", "small")
    finally:
        d.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000")


def test_merge_mixes_sparse_and_dense(d):
    rng = random.Random(9)
    for k in range(6):
        d.check("PFADD", f"m{k}", *[str(rng.randrange(10**6)) for _ in range(rng.choice([3, 300, 3000]))])
    d.check("PFMERGE", "all", *[f"m{k}" for k in range(6)])
    d.check("GET", "all")
    d.check("PFCOUNT", "all")
    d.check("PFCOUNT", *[f"m{k}" for k in range(6)])
    d.check("PFMERGE", "m0", "m1")
    d.check("GET", "m0")


def test_copied_values_count_the_same(pair):
    """A PFADD result copied with GET/SET between the servers counts the same."""
    from respwire import Conn
    a, b = Conn(pair.ref.port), Conn(pair.tgt.port)
    try:
        elems = [f"user:{i}" for i in range(2500)]
        for c in (a, b):
            c.call("DEL", "src", "copy")
            c.call("PFADD", "src", *elems)
        ra, rb = a.call("GET", "src").value, b.call("GET", "src").value
        assert ra == rb
        a.call("SET", "copy", rb)
        b.call("SET", "copy", ra)
        assert a.call("PFCOUNT", "copy").value == b.call("PFCOUNT", "copy").value
        assert a.call("PFADD", "copy", "new").value == b.call("PFADD", "copy", "new").value
        assert a.call("GET", "copy").value == b.call("GET", "copy").value
    finally:
        a.close()
        b.close()


def _sparse(ops: bytes) -> bytes:
    return b"HYLL\x01\x00\x00\x00" + b"\x00" * 7 + b"\x80" + ops


XZERO_16384 = b"\x7f\xff"
CORRUPT = {
    # CVE-2025-32023: runs that overflow the register index, then a value run.
    "overflowing-runs": _sparse(XZERO_16384 * 131073 + b"\x80"),
    "too-few-registers": _sparse(XZERO_16384[:1] + b"\x01"),
    "too-many-registers": _sparse(XZERO_16384 * 2),
    "value-past-end": _sparse(b"\x7f\xfe" + b"\x83"),
    "truncated-xzero": _sparse(b"\x7f"),
    "empty-body": _sparse(b""),
}


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_corrupt_hll_is_refused(d, name):
    d.check("SET", "bad", CORRUPT[name])
    d.check("PFCOUNT", "bad")
    d.check("PFCOUNT", "bad", "nokey")
    d.check("PFMERGE", "out", "bad")
    d.check("EXISTS", "out")
    if name == "truncated-xzero":
        # Redis reads the string's hidden NUL terminator as the opcode's
        # second byte and accepts this PFADD; we refuse the value outright.
        assert d.tgt.call("PFADD", "bad", "a", "b", "c").raw.startswith(b"-INVALIDOBJ")
    else:
        d.check("PFADD", "bad", "a", "b", "c")
    d.check("PING")
    d.check("DBSIZE")
