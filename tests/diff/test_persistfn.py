"""Functions in RDB files and AOF bases, and FUNCTION DUMP/RESTORE payloads
in Redis 7.0's format (issues 6 and 4), each compared with redis-server 7.0:
dumps with libraries both ways (redis-check-rdb accepts ours), loads that
must fail (a library that does not compile, one twice, the pre-release
record), and payloads moved between the two servers under every policy.

Library and function order is hash-table order in Redis, so FUNCTION LIST
is compared sorted (test_persist.function_list).
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

import servers
from respwire import Conn
from test_aof import wait_rewrite
from test_persist import (check_rdb, crc64, function_list, keyspace_of, populate, run_expecting_refusal,
                          save_and_read, server_with_file, starts, wait_bgsave_done)

LIB_A = ("#!lua name=liba\n"
         "redis.register_function('fa', function(keys, args) return redis.call('GET', keys[1]) end)\n"
         "redis.register_function{function_name='fa_ro', callback=function() return 'ro' end, "
         "flags={'no-writes'}, description='read only'}")
# Longer than 20 bytes with repeats: LZF-compressed when rdbcompression is on.
LIB_B = "#!lua name=libb\n" + "-- padding padding padding padding\n" * 4 + \
    "redis.register_function('fb', function() return 2 end)"
LIB_C = "#!lua name=libc\nredis.register_function('fc', function() return 3 end)"
# Same function name as LIB_C, another library.
LIB_C2 = "#!lua name=libc2\nredis.register_function('fc', function() return 33 end)"


def rdb_string(b: bytes) -> bytes:
    n = len(b)
    if n < 64:
        head = bytes([n])
    elif n < 16384:
        head = bytes([0x40 | (n >> 8), n & 0xff])
    else:
        head = b"\x80" + n.to_bytes(4, "big")
    return head + b


def rdb_file(body: bytes) -> bytes:
    data = b"REDIS0010" + body + b"\xff"
    return data + crc64(data).to_bytes(8, "little")


def payload(body: bytes, version: int = 10) -> bytes:
    data = body + version.to_bytes(2, "little")
    return data + crc64(data).to_bytes(8, "little")


def load_libs(port: int, *libs: str) -> None:
    with Conn(port) as c:
        for lib in libs:
            r = c.call("FUNCTION", "LOAD", lib)
            assert not r.is_error, r


# -- RDB ------------------------------------------------------------------------

@pytest.mark.parametrize("compression", ["yes", "no"])
def test_our_dump_with_functions_loads_in_redis_and_passes_redis_check_rdb(compression):
    tgt = servers.target(["--rdbcompression", compression]).start()
    try:
        with Conn(tgt.port) as c:
            populate(c)
        load_libs(tgt.port, LIB_A, LIB_B)
        data = save_and_read(tgt.port, tgt.dir)
        want, want_libs = keyspace_of(tgt.port), function_list(tgt.port)
        check_rdb(tgt.dir / "dump.rdb")
    finally:
        tgt.cleanup()
    assert b"#!lua name=liba" in data
    ref = server_with_file(servers.reference, data).start()
    try:
        assert keyspace_of(ref.port) == want
        assert function_list(ref.port) == want_libs
        with Conn(ref.port) as c:
            c.call("SET", "k", "v")
            assert c.call("FCALL", "fa", 1, "k").py() == b"v"
    finally:
        ref.cleanup()


@pytest.mark.parametrize("compression", ["yes", "no"])
def test_redis_dump_with_functions_loads_with_equal_function_list(compression):
    ref = servers.reference(["--rdbcompression", compression]).start()
    try:
        with Conn(ref.port) as c:
            populate(c)
        load_libs(ref.port, LIB_A, LIB_B, LIB_C)
        data = save_and_read(ref.port, ref.dir)
        want, want_libs = keyspace_of(ref.port), function_list(ref.port)
    finally:
        ref.cleanup()
    tgt = server_with_file(servers.target, data).start()
    try:
        assert keyspace_of(tgt.port) == want
        assert function_list(tgt.port) == want_libs
        with Conn(tgt.port) as c:
            assert c.call("FCALL", "fb", 0).py() == 2
            assert c.call("FCALL_RO", "fa_ro", 0).py() == b"ro"
    finally:
        tgt.cleanup()


def test_functions_survive_restart_debug_reload_and_bgsave():
    tgt = servers.target(["--enable-debug-command", "yes"]).start()
    try:
        load_libs(tgt.port, LIB_A, LIB_C)
        want = function_list(tgt.port)
        with Conn(tgt.port) as c:
            assert c.call("SAVE").raw == b"+OK\r\n"
        tgt.stop()
        tgt.start()
        assert function_list(tgt.port) == want
        with Conn(tgt.port) as c:
            assert c.call("DEBUG", "RELOAD").raw == b"+OK\r\n"
            assert function_list(tgt.port) == want
            assert c.call("FCALL", "fc", 0).py() == 3
            # BGSAVE holds the libraries of the instant it started: changes
            # made right after its reply are not in the file.
            assert c.call("BGSAVE").raw.startswith(b"+Background saving started")
            c.call("FUNCTION", "DELETE", "liba")
            c.call("FUNCTION", "LOAD", LIB_B)
            wait_bgsave_done(c)
        tgt.stop()
        tgt.start()
        assert function_list(tgt.port) == want
    finally:
        tgt.cleanup()


def test_debug_reload_of_a_file_without_functions_drops_them_like_redis(server_pair):
    p = server_pair(["--enable-debug-command", "yes"])
    for s in (p.ref, p.tgt):
        with Conn(s.port) as c:
            c.call("SAVE")
            c.call("FUNCTION", "LOAD", LIB_C)
            assert c.call("DEBUG", "RELOAD", "NOSAVE").raw == b"+OK\r\n"
    assert function_list(p.tgt.port) == function_list(p.ref.port) == []


BAD_FILES = {
    "does-not-compile": rdb_file(b"\xf5" + rdb_string(b"#!lua name=bad\nthis is not lua")),
    "no-functions-registered": rdb_file(b"\xf5" + rdb_string(b"#!lua name=empty\nlocal x = 1")),
    "library-twice": rdb_file((b"\xf5" + rdb_string(LIB_C.encode())) * 2),
    "function-in-two-libraries": rdb_file(b"\xf5" + rdb_string(LIB_C.encode()) + b"\xf5" +
                                          rdb_string(LIB_C2.encode())),
    "bad-metadata": rdb_file(b"\xf5" + rdb_string(b"#!js name=x\nfoo")),
    "pre-release-record-bad-engine": rdb_file(b"\xf6" + rdb_string(b"LUA") + rdb_string(b"x") + b"\x00" +
                                              rdb_string(b"return 1")),
    "truncated-record": b"REDIS0010\xf5\x40",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_files_with_bad_libraries_are_refused_like_redis(name):
    data = BAD_FILES[name]
    # redis-server then runs its RDB check and may exit 0, but never serves.
    assert not starts(servers.reference, data)
    out = run_expecting_refusal(servers.target, data)
    if name in ("does-not-compile", "library-twice", "function-in-two-libraries"):
        assert "Failed loading library" in out, out


@pytest.mark.parametrize("record", ["function2", "pre-release"])
def test_good_library_file_made_by_hand_loads_on_both(record):
    lib = b"\xf5" + rdb_string(LIB_C.encode()) if record == "function2" else \
        b"\xf6\x03lib\x03lua\x00" + rdb_string(b"redis.register_function('fp', function() return 1 end)")
    data = rdb_file(lib + b"\xfe\x00\xfb\x01\x00\x00\x01k\x01v")
    ref = server_with_file(servers.reference, data).start()
    tgt = server_with_file(servers.target, data).start()
    try:
        assert function_list(tgt.port) == function_list(ref.port) != []
        assert keyspace_of(tgt.port) == keyspace_of(ref.port)
    finally:
        ref.cleanup()
        tgt.cleanup()


# -- AOF with an RDB preamble -----------------------------------------------------


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_aof_base_holds_the_functions_and_loads_in_redis(preamble):
    args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble]
    tgt = servers.target(args).start()
    try:
        load_libs(tgt.port, LIB_A, LIB_B)
        with Conn(tgt.port) as c:
            c.call("SET", "k", "v")
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
            c.call("FUNCTION", "LOAD", LIB_C)
        want = function_list(tgt.port)
        tgt.stop()
        base = [p for p in (tgt.dir / "appendonlydir").iterdir() if ".base." in p.name]
        assert len(base) == 1 and b"#!lua name=libb" in base[0].read_bytes()
        if preamble == "no":
            assert base[0].read_bytes().startswith(b"*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n")
        tgt.start()
        assert function_list(tgt.port) == want
        ref = servers.reference(args)
        try:
            shutil.copytree(tgt.dir / "appendonlydir", ref.dir / "appendonlydir")
            ref.start()
            assert function_list(ref.port) == want
            assert keyspace_of(ref.port) == keyspace_of(tgt.port)
        finally:
            ref.cleanup()
    finally:
        tgt.cleanup()


# -- FUNCTION DUMP / RESTORE --------------------------------------------------------

def test_function_dump_moves_both_ways(server_pair):
    pair = server_pair()
    load_libs(pair.ref.port, LIB_A, LIB_B)
    load_libs(pair.tgt.port, LIB_A, LIB_B)
    want = function_list(pair.ref.port)
    assert function_list(pair.tgt.port) == want
    with Conn(pair.ref.port) as r, Conn(pair.tgt.port) as t:
        from_redis, from_us = r.call("FUNCTION", "DUMP").py(), t.call("FUNCTION", "DUMP").py()
        assert from_us[-10:-8] == b"\x0a\x00" and from_us[0] == 0xf5
        for c, p in ((r, from_us), (t, from_redis)):
            c.call("FUNCTION", "FLUSH")
            assert c.call("FUNCTION", "RESTORE", p).raw == b"+OK\r\n"
    assert function_list(pair.ref.port) == function_list(pair.tgt.port) == want
    # An empty dump is only the footer, on both.
    with Conn(pair.ref.port) as r, Conn(pair.tgt.port) as t:
        r.call("FUNCTION", "FLUSH")
        t.call("FUNCTION", "FLUSH")
        assert r.call("FUNCTION", "DUMP").raw == t.call("FUNCTION", "DUMP").raw
        assert len(t.call("FUNCTION", "DUMP").py()) == 10


def test_function_dump_is_byte_identical_for_one_library_uncompressed(server_pair):
    p = server_pair(["--rdbcompression", "no"])
    for s in (p.ref, p.tgt):
        load_libs(s.port, LIB_B)
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        assert r.call("FUNCTION", "DUMP").raw == t.call("FUNCTION", "DUMP").raw


def _restore_cases():
    ok = payload(b"\xf5" + rdb_string(LIB_C.encode()))
    return {
        "append-collides": ("FUNCTION", "RESTORE", ok),
        "append-explicit": ("FUNCTION", "RESTORE", ok, "APPEND"),
        "replace": ("FUNCTION", "RESTORE", ok, "replace"),
        "flush": ("FUNCTION", "RESTORE", ok, "FLUSH"),
        "function-name-taken": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(LIB_C2.encode()))),
        "function-name-taken-replace": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(LIB_C2.encode())),
                                        "REPLACE"),
        "library-twice": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(LIB_B.encode()) * 2), "FLUSH"),
        "does-not-compile": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(b"#!lua name=x\nnot lua")),
                             "FLUSH"),
        "bad-crc": ("FUNCTION", "RESTORE", ok[:-1] + bytes([ok[-1] ^ 1])),
        "newer-version": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(LIB_C.encode()), 11)),
        "older-version": ("FUNCTION", "RESTORE", payload(b"\xf5" + rdb_string(LIB_C.encode()), 9), "FLUSH"),
        "too-short": ("FUNCTION", "RESTORE", b"123456789"),
        "footer-only": ("FUNCTION", "RESTORE", payload(b"")),
        "not-a-function": ("FUNCTION", "RESTORE", payload(b"\x00\x01k\x01v")),
        "pre-ga-truncated": ("FUNCTION", "RESTORE", payload(b"\xf6\x03LUA")),
        "pre-ga-empty": ("FUNCTION", "RESTORE", payload(b"\xf6")),
        "pre-ga": ("FUNCTION", "RESTORE", payload(b"\xf6\x03lib\x03LUA\x01\x04desc" + rdb_string(
            b"redis.register_function('fp', function() return 1 end)")), "FLUSH"),
        "length-past-end": ("FUNCTION", "RESTORE", payload(b"\xf5\x7f\xff")),
        "bad-policy": ("FUNCTION", "RESTORE", ok, "MERGE"),
        "too-many-args": ("FUNCTION", "RESTORE", ok, "FLUSH", "x"),
        "key-dump-payload": None,
    }


@pytest.mark.parametrize("case", sorted(_restore_cases()))
def test_function_restore_policies_and_errors(d, case):
    d.check("FUNCTION", "FLUSH")
    d.check("FUNCTION", "LOAD", LIB_C)
    d.check("FUNCTION", "LOAD", LIB_A)
    cmd = _restore_cases()[case]
    if cmd is None:
        # A key's DUMP payload is a valid payload of the wrong kind.
        d.check("SET", "k", "v")
        pr, pt = d.ref.call("DUMP", "k").py(), d.tgt.call("DUMP", "k").py()
        d.check_each(("FUNCTION", "RESTORE", pr), ("FUNCTION", "RESTORE", pt))
    else:
        d.check(*cmd)
    d.check("FUNCTION", "LIST", "LIBRARYNAME", "libc*")
    d.check("FUNCTION", "LIST", "LIBRARYNAME", "lib", "WITHCODE")
    d.check("FUNCTION", "STATS")
    d.check("FCALL", "fc", "0")
    d.check("FUNCTION", "FLUSH")


# -- AOF in command form: streams -------------------------------------------------

def build_streams(c: Conn) -> None:
    """Streams with deleted entries, groups at several positions, pending
    entries with delivery counts, consumers without pending entries, an
    empty stream with a group, a stream with a TTL."""
    for i in range(1, 11):
        c.call("XADD", "s1", f"{i}-1", "f", f"v{i}", *(["g", "x" * 30] if i % 3 == 0 else []))
    c.call("XDEL", "s1", "4-1", "10-1")
    c.call("XGROUP", "CREATE", "s1", "g1", "0")
    c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "s1", ">")
    c.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "s1", ">")
    c.call("XCLAIM", "s1", "g1", "bob", "0", "1-1")            # delivery count 2
    c.call("XACK", "s1", "g1", "2-1")
    c.call("XGROUP", "CREATECONSUMER", "s1", "g1", "carol")
    c.call("XGROUP", "CREATE", "s1", "g2", "5-1")              # entries-read unknown
    c.call("XGROUP", "CREATE", "s1", "g3", "$", "ENTRIESREAD", "8")
    c.call("XREADGROUP", "GROUP", "g2", "dave", "COUNT", "1", "STREAMS", "s1", ">")
    c.call("XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM")     # empty, last id 0-0
    c.call("XADD", "s3", "7-7", "a", "b")
    c.call("XDEL", "s3", "7-7")                                # empty, last id 7-7
    c.call("XADD", "s4", "MAXLEN", "2", "*", "k", "v")
    c.call("XADD", "s4", "99999999999999-5", "k", "v")
    c.call("PEXPIREAT", "s4", str(int(time.time() * 1000) + 10 ** 8))
    c.call("SELECT", "2")
    c.call("XADD", "s5", "1-1", "a", "1")
    c.call("SELECT", "0")


STREAM_KEYS = [(0, "s1"), (0, "s2"), (0, "s3"), (0, "s4"), (2, "s5")]


def _mask(v):
    """Drops what a command-form AOF cannot carry (consumer seen-times, as in
    Redis) and what depends on the node layout (radix-tree counts)."""
    if isinstance(v, list):
        out = []
        skip = False
        for x in v:
            if skip:
                out.append(None)
                skip = False
                continue
            out.append(_mask(x))
            skip = x in (b"seen-time", b"radix-tree-keys", b"radix-tree-nodes", b"idle")
        return out
    return v


def streams_view(port: int) -> dict:
    out = {}
    with Conn(port) as c:
        for db, k in STREAM_KEYS:
            c.call("SELECT", db)
            out[(db, k)] = (
                _mask(c.call("XINFO", "STREAM", k, "FULL").py()),
                _mask(c.call("XINFO", "GROUPS", k).py()),
                [_mask(c.call("XINFO", "CONSUMERS", k, g[1]).py()) for g in c.call("XINFO", "GROUPS", k).py()],
                c.call("PTTL", k).py() > 0,
            )
        c.call("SELECT", 0)
    return out


def test_command_form_aof_base_rebuilds_streams_and_loads_in_redis():
    args = ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"]
    tgt = servers.target(args).start()
    try:
        with Conn(tgt.port) as c:
            build_streams(c)
            c.call("SET", "plain", "1")
            load_libs(tgt.port, LIB_C)
            want = streams_view(tgt.port)
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
        tgt.stop()
        base = [p for p in (tgt.dir / "appendonlydir").iterdir() if ".base." in p.name]
        assert len(base) == 1 and base[0].name.endswith(".base.aof"), base
        text = base[0].read_bytes()
        assert b"XSETID" in text and b"XCLAIM" in text and b"CREATECONSUMER" in text
        tgt.start()
        assert streams_view(tgt.port) == want
        ref = servers.reference(args)
        try:
            shutil.copytree(tgt.dir / "appendonlydir", ref.dir / "appendonlydir")
            ref.start()
            assert streams_view(ref.port) == want
            assert function_list(ref.port) == function_list(tgt.port)
            assert keyspace_of(ref.port) == keyspace_of(tgt.port)
        finally:
            ref.cleanup()
    finally:
        tgt.cleanup()


def test_redis_command_form_aof_base_with_streams_loads_identically():
    args = ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"]
    ref = servers.reference(args).start()
    try:
        with Conn(ref.port) as c:
            build_streams(c)
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
            c.call("XADD", "s1", "20-0", "after", "rewrite")
        ref.stop()
        ref.start()
        want = streams_view(ref.port)
        ref.stop()
        tgt = servers.target(args)
        try:
            shutil.copytree(ref.dir / "appendonlydir", tgt.dir / "appendonlydir")
            tgt.start()
            assert streams_view(tgt.port) == want
        finally:
            tgt.cleanup()
    finally:
        ref.cleanup()


# -- eviction in the AOF ---------------------------------------------------------------

def test_evicted_keys_are_logged_as_del_and_stay_gone_after_restart():
    """maxmemory with allkeys-lru and the AOF on: keys evicted while filling
    are logged as DEL, so a restart (without the limit, so that nothing is
    evicted again while or after loading) brings back exactly the keys that
    were there, with their values."""
    tgt = servers.target(["--appendonly", "yes", "--appendfsync", "always"]).start()
    try:
        with Conn(tgt.port) as c:
            used = int(dict(l.split(":", 1) for l in c.call("INFO", "memory").text().split("\r\n")
                            if ":" in l)["used_memory"])
            c.call("CONFIG", "SET", "maxmemory", str(used + 2 * 1024 * 1024))
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
            for start in range(0, 6000, 100):
                c.pipeline([("SET", f"k{i}", "v" * 1000) for i in range(start, start + 100)])
            stats = c.call("INFO", "stats").text()
            evicted = int(stats.split("evicted_keys:")[1].split("\r\n")[0])
            assert evicted > 1000, stats
            c.call("CONFIG", "SET", "maxmemory", "0")
            want = {k: c.call("GET", k).py() for k in c.call("KEYS", "*").py()}
            assert 0 < len(want) < 6000 - 1000
        tgt.stop()
        incr = b"".join(p.read_bytes() for p in (tgt.dir / "appendonlydir").iterdir() if ".incr." in p.name)
        assert incr.count(b"*2\r\n$3\r\nDEL\r\n") == evicted
        again = servers.target(["--appendonly", "yes"])
        try:
            shutil.copytree(tgt.dir / "appendonlydir", again.dir / "appendonlydir")
            again.start()
            with Conn(again.port) as c:
                got = {k: c.call("GET", k).py() for k in c.call("KEYS", "*").py()}
            assert got == want
        finally:
            again.cleanup()
    finally:
        tgt.cleanup()


def test_function_restore_byte_flips_with_fixed_crc_match_redis(server_pair):
    """Bounded fuzz over an uncompressed two-library dump, with the CRC
    recomputed so the records themselves are parsed. Changes to the framing
    (opcodes, length bytes, version) must give redis-server's exact reply
    and FUNCTION LIST; changes anywhere (library text included) must leave
    vermilion answering. Library text is compared in test_scripting: the
    shebang and flag parsing are FUNCTION LOAD's."""
    import random
    p = server_pair(["--rdbcompression", "no"])
    load_libs(p.ref.port, LIB_A, LIB_B)
    with Conn(p.ref.port) as r:
        good = r.call("FUNCTION", "DUMP").py()
    framing, i = [], 0
    while i < len(good) - 10:
        n = good[i + 1] & 0x3f if good[i + 1] >> 6 == 0 else ((good[i + 1] & 0x3f) << 8) | good[i + 2]
        head = 2 if good[i + 1] >> 6 == 0 else 3
        framing += list(range(i, i + head))
        i += head + n
    assert i == len(good) - 10, "the dump is two plain records"
    framing += [len(good) - 10, len(good) - 9]
    rnd = random.Random(1234)
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        for n in range(400):
            body = bytearray(good[:-8])
            spots = framing if n % 2 == 0 else range(len(body))
            for _ in range(rnd.choice([1, 1, 2])):
                j = rnd.choice(spots)
                body[j] = rnd.randrange(256) if rnd.random() < 0.5 else body[j] ^ (1 << rnd.randrange(8))
            data = bytes(body) + crc64(bytes(body)).to_bytes(8, "little")
            for c in (r, t):
                c.call("FUNCTION", "FLUSH")
            got = [c.call("FUNCTION", "RESTORE", data) for c in (r, t)]
            assert got[1].raw.startswith((b"+OK", b"-ERR ")), got[1]
            if n % 2 == 0:
                # As text: Lua errors quoting non-UTF-8 bytes come back with
                # U+FFFD from vermilion (its error strings are UTF-8; a known
                # difference of every Lua error reply).
                assert got[1].raw.decode(errors="replace") == got[0].raw.decode(errors="replace"), data
                assert function_list(p.tgt.port) == function_list(p.ref.port)
        assert t.call("PING").raw == b"+PONG\r\n"
