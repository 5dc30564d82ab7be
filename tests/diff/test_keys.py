"""Differential tests of the keyspace commands of issue 2: DEL..SCAN, databases,
expiry (NX XX GT LT, negative and huge TTLs, absolute times) and OBJECT.

Expiry is tested with absolute times in the past or far future wherever
possible; the one real sleep is in test_expiry_real_time (0.25 s).
"""

import time

import pytest

I64_MAX = "9223372036854775807"
I64_MIN = "-9223372036854775808"
FUTURE_S = "4102444800"
FUTURE_MS = "4102444800000"

CASES = {
    "del-unlink-exists-touch": """
        MSET a 1 b 2 c 3
        EXISTS a b c d
        EXISTS a a a
        DEL a d
        DEL a
        UNLINK b c d
        EXISTS a b c
        DEL
        UNLINK
        EXISTS
        SET t 1
        TOUCH t t missing
        TOUCH
    """,
    "type": """
        TYPE missing
        SET s 1
        TYPE s
        TYPE
        TYPE s s
        LPUSH l a
        TYPE l
    """,
    "rename": """
        RENAME missing x
        RENAMENX missing x
        SET a 1
        RENAME a a
        GET a
        RENAMENX a a
        RENAME a b
        EXISTS a
        GET b
        SET c 3
        RENAMENX b c
        RENAME b c
        GET c
        SET e 5 EX 100
        RENAME e f
        TTL f
        SET g 7
        RENAME g f
        TTL f
        RENAME
        RENAME a
    """,
    "copy": """
        COPY missing x
        SET a 1 EX 100
        COPY a b
        GET b
        TTL b
        COPY a b
        COPY a b REPLACE
        COPY a a
        COPY a a DB 0
        COPY a a DB 1
        SELECT 1
        GET a
        TTL a
        SELECT 0
        COPY a a DB 1
        COPY a a DB 1 REPLACE
        COPY a x DB 16
        COPY a x DB -1
        COPY a x DB abc
        COPY a x BOGUS
        COPY a x DB
        COPY a
        SET n 123
        COPY n m
        OBJECT ENCODING m
    """,
    "move": """
        MOVE missing 1
        SET a 1
        MOVE a 0
        MOVE a 1
        EXISTS a
        MOVE a 1
        SELECT 1
        GET a
        SET b 2
        SELECT 0
        SET b 3
        SELECT 1
        MOVE b 0
        SELECT 0
        GET b
        MOVE b 16
        MOVE b -1
        MOVE b abc
        MOVE b
    """,
    "select-swapdb": """
        SET a db0
        SELECT 1
        GET a
        SET a db1
        SELECT 15
        SELECT 16
        SELECT -1
        SELECT abc
        SELECT 1.5
        SELECT
        SELECT 0
        GET a
        SWAPDB 0 1
        GET a
        SELECT 1
        GET a
        SWAPDB 1 1
        SWAPDB 0 16
        SWAPDB 16 0
        SWAPDB a 1
        SWAPDB 1 a
        SWAPDB -1 0
        SWAPDB 0
        DBSIZE
        SELECT 0
        DBSIZE
    """,
    "dbsize-flush": """
        DBSIZE
        MSET a 1 b 2
        SELECT 3
        SET c 3
        DBSIZE
        FLUSHDB
        DBSIZE
        SELECT 0
        DBSIZE
        FLUSHDB ASYNC
        DBSIZE
        MSET a 1 b 2
        FLUSHDB SYNC
        DBSIZE
        FLUSHDB BOGUS
        FLUSHDB SYNC ASYNC
        SET a 1
        SELECT 2
        SET b 2
        FLUSHALL ASYNC
        DBSIZE
        SELECT 0
        DBSIZE
        SET a 1
        FLUSHALL SYNC
        DBSIZE
        FLUSHALL BOGUS
        flushall async
    """,
    "expire-basic": f"""
        EXPIRE missing 100
        SET k v
        TTL k
        PTTL k
        EXPIRETIME k
        PEXPIRETIME k
        EXPIRETIME missing
        PEXPIRETIME missing
        TTL missing
        PTTL missing
        EXPIRE k 100
        TTL k
        PEXPIRE k 100000
        PTTL k
        EXPIREAT k {FUTURE_S}
        EXPIRETIME k
        PEXPIREAT k {FUTURE_MS}
        PEXPIRETIME k
        PERSIST k
        PERSIST k
        PERSIST missing
        TTL k
        EXPIRE k abc
        EXPIRE k 1.5
        EXPIRE k
        EXPIRE k 10 BOGUS
        PERSIST
    """,
    "expire-negative-and-past": f"""
        SET k v
        EXPIRE k -1
        EXISTS k
        SET k v
        PEXPIRE k 0
        EXISTS k
        SET k v
        EXPIREAT k 1
        EXISTS k
        SET k v
        PEXPIREAT k 1000
        GET k
        SET k v
        EXPIREAT k 0
        EXISTS k
        SET k v
        EXPIRE k {I64_MIN}
        EXISTS k
        SET k v
        PEXPIRE k -9223372036854775807
        EXISTS k
    """,
    "expire-huge": f"""
        SET k v
        EXPIRE k {I64_MAX}
        EXPIRE k 9223372036854775
        EXPIRE k 9223372036854774
        EXPIRE k 4611686018427387
        EXPIRE k 922337203685477
        TTL k
        PEXPIRE k {I64_MAX}
        PEXPIRE k 9223372036854775000
        EXPIREAT k {I64_MAX}
        EXPIREAT k 9223372036854775
        PEXPIREAT k {I64_MAX}
        PEXPIREAT k 9223372036854775806
        PEXPIRETIME k
        EXPIRE k 9223372036854775808
        TTL k
        SET k v EX 9223372036854775
        SET k v EX 922337203685477
        SET k v PX 9223372036854775806
        SET k v EXAT 9223372036854775
        SET k v PXAT 9223372036854775807
        GETEX k EX 9223372036854775
        GETEX k PXAT 9223372036854775807
        SETEX k 9223372036854775 v
        PSETEX k 9223372036854775807 v
        PEXPIRETIME k
    """,
    "expire-nx-xx-gt-lt": """
        SET k v
        EXPIRE k 100 XX
        TTL k
        EXPIRE k 100 GT
        TTL k
        EXPIRE k 100 LT
        TTL k
        EXPIRE k 200 NX
        TTL k
        EXPIRE k 300 NX
        TTL k
        EXPIRE k 300 XX
        TTL k
        EXPIRE k 100 GT
        TTL k
        EXPIRE k 400 GT
        TTL k
        EXPIRE k 500 LT
        TTL k
        EXPIRE k 50 LT
        TTL k
        EXPIRE k 60 XX GT
        TTL k
        EXPIRE k 10 XX LT
        TTL k
        EXPIRE k 10 NX XX
        EXPIRE k 10 NX GT
        EXPIRE k 10 NX LT
        EXPIRE k 10 GT LT
        EXPIRE k 10 gt lt
        EXPIRE k 10 XX XX
        EXPIRE k 1000 GT GT
        EXPIRE missing 10 NX
        EXPIRE missing 10 XX
        EXPIRE missing 10 GT
        PERSIST k
        EXPIRE k -1 GT
        EXISTS k
        EXPIRE k -1 LT
        EXISTS k
        SET k v
        EXPIRE k -1 XX
        EXISTS k
    """,
    "pexpire-options": f"""
        SET k v
        PEXPIRE k 100000 NX
        PEXPIRE k 200000 GT
        PEXPIRE k 50000 LT
        PTTL k
        PEXPIREAT k {FUTURE_MS} XX
        PEXPIRETIME k
        PEXPIREAT k 4102444799000 GT
        PEXPIREAT k 4102444799000 LT
        PEXPIRETIME k
        EXPIREAT k {FUTURE_S} NX
        EXPIREAT k {FUTURE_S} GT
        EXPIRETIME k
        EXPIREAT k 1 LT
        EXISTS k
        SET k v
        EXPIREAT k 1 GT
        EXISTS k
        PEXPIREAT k 1 NX
        EXISTS k
    """,
    "expire-keeps-and-clears": """
        SET k v EX 100
        SET k w
        TTL k
        SET k v EX 100
        APPEND k x
        TTL k
        INCR n
        EXPIRE n 100
        INCR n
        TTL n
        SETRANGE k 0 y
        TTL k
        GETSET k z
        TTL k
        SET k v EX 100
        GETDEL k
        TTL k
        MSET k v
        TTL k
    """,
    "object": """
        SET k v
        OBJECT ENCODING k
        OBJECT REFCOUNT k
        OBJECT IDLETIME k
        OBJECT FREQ k
        OBJECT ENCODING missing
        OBJECT REFCOUNT missing
        OBJECT IDLETIME missing
        OBJECT FREQ missing
        OBJECT
        OBJECT ENCODING
        OBJECT ENCODING k extra
        OBJECT BOGUS k
        object encoding k
        SET n 100
        OBJECT REFCOUNT n
        SET big 100000
        OBJECT REFCOUNT big
    """,
    "randomkey": """
        RANDOMKEY
        SET only 1
        RANDOMKEY
        RANDOMKEY extra
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_keys_script(d, name):
    d.run(CASES[name])


def test_randomkey_returns_existing(d):
    d.run("MSET a 1 b 2 c 3")
    for _ in range(20):
        a, b = d.check("RANDOMKEY")
        assert a.value in (b"a", b"b", b"c") and b.value in (b"a", b"b", b"c"), (a, b)


def test_expiry_real_time(d):
    """The only test that sleeps: a key set with PX 100 is gone 250 ms later,
    for GET, EXISTS, TTL, DBSIZE and KEYS alike (lazy expiry on access)."""
    d.run("""
        SET a v PX 100
        SET b v PX 100
        SET c v PX 100
        SET d v PX 100
        SET keep v
        PEXPIRE keep 100
        PERSIST keep
    """)
    time.sleep(0.25)
    d.run("""
        GET a
        EXISTS b
        TTL c
        KEYS *
        DBSIZE
        TTL keep
    """)


# --- KEYS / SCAN glob patterns ----------------------------------------------

GLOB_KEYS = [
    "hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "h[a]llo",
    "h\\llo", "hEllo", "HELLO", "a-b", "]", "[", "-", "^", "\\", "foo:bar:1",
    "foo:baz:2", "cron:lock:job", "cron:lock:other", "cron:unlock", "",
    "abc", "a", "b", "ab\\c", "x*", "x?", "x[", "\xe9t\xe9",
]

GLOB_PATTERNS = [
    "*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo",
    "h[a-]llo", "h[-a]llo", "h[\\]]llo", "\\*", "h\\*llo", "h\\?llo", "h[*]llo",
    "h[", "h[a", "h[ae", "[", "]", "[]]", "[]", "[\\]", "[\\\\]", "\\", "x\\",
    "*\\", "[^a]", "[!a]", "?", "??", "???", "*?*", "h*", "*llo", "*l*", "cron:lock:*",
    "foo:*:?", "foo:ba[rz]:*", "[a-c]", "[a-c]*", "[c-a]*", "[^a-c]", "a\\-b",
    "a[\\-]b", "a[-]b", "[\\^]", "[^^]", "H*", "*E*", "", "***", "h**llo",
    "\\h\\e\\l\\l\\o", "[[]", "x[[]", "x\\[", "ab\\\\c", "\xe9*",
]


@pytest.fixture
def globbed(d):
    for k in GLOB_KEYS:
        d.check("SET", k, "1")
    return d


@pytest.mark.parametrize("pattern", GLOB_PATTERNS)
def test_keys_glob(globbed, pattern):
    globbed.check("KEYS", pattern)


@pytest.mark.parametrize("pattern", GLOB_PATTERNS)
def test_scan_match_glob(globbed, pattern):
    globbed.scan_all("MATCH", pattern)


def test_scan_options(d):
    for i in range(300):
        d.ref.send_cmd("SET", f"key:{i}", i)
        d.tgt.send_cmd("SET", f"key:{i}", i)
    for i in range(300):
        d.ref.read(), d.tgt.read()
    d.scan_all()
    d.scan_all("COUNT", "1")
    d.scan_all("COUNT", "1000")
    d.scan_all("MATCH", "key:1*", "COUNT", "7")
    d.scan_all("TYPE", "string")
    d.scan_all("TYPE", "list")
    d.scan_all("TYPE", "bogus")
    d.scan_all("TYPE", "STRING", "MATCH", "key:2?")
    d.run("""
        SCAN 0 COUNT 0
        SCAN 0 COUNT -1
        SCAN 0 COUNT abc
        SCAN 0 MATCH
        SCAN 0 BOGUS x
        SCAN abc
        SCAN 18446744073709551616
        SCAN
        KEYS
        KEYS a b
    """)
    # cursors past the table: any batch is valid, but not an error
    d.check("SCAN", "-1", mode="kind")
    d.check("SCAN", "18446744073709551615", "COUNT", "1", mode="kind")


def test_scan_type_filter_with_other_types(d):
    d.run("""
        SET s 1
        LPUSH l a
        HSET h f v
    """)
    for t in ("string", "list", "hash", "set"):
        d.scan_all("TYPE", t)


def test_keys_and_scan_skip_expired(d):
    d.run(f"""
        SET a 1
        SET b 2 PXAT 1000
        SET c 3 PXAT {FUTURE_MS}
        PEXPIREAT a 1000
        KEYS *
        DBSIZE
    """)
    d.scan_all()


def test_keys_pathological_patterns_are_fast(d):
    """CVE-2022-36021 / CVE-2024-31228: no exponential backtracking."""
    d.check("SET", "a" * 40, "1")
    d.check("SET", "a" * 5000, "1")
    for pattern in ["a*" * 20 + "b", "*a" * 30 + "*b", "*?" * 5000, "a*" * 2000 + "b"]:
        for conn, name in ((d.ref, "redis"), (d.tgt, "vermilion")):
            t0 = time.monotonic()
            r = conn.call("KEYS", pattern)
            elapsed = time.monotonic() - t0
            # a generous bound: this catches exponential behaviour, not slowness
            assert elapsed < 5, f"{name}: KEYS {pattern[:20]}... took {elapsed:.1f}s"
            assert not r.is_error, (name, r)
        d.scan_all("MATCH", pattern, "COUNT", "1000")
