"""RDB persistence (issue 6, RDB part): files and DUMP payloads exchanged with
redis-server 7.0 in both directions, SAVE/BGSAVE/LASTSAVE/SHUTDOWN, save
points, MISCONF, TTLs across restarts, crashes during BGSAVE, corrupt files,
and a bounded byte-flip fuzz of RESTORE.

Keyspaces are compared through commands (TYPE, OBJECT ENCODING, contents,
whether a TTL is set), so a file is judged by what a server makes of it.
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import servers
from respwire import Conn

FIX = Path("/work/shared/fixtures/rdb")
ASSETS = FIX / "redis-7.0.15-tests"


def need_fixtures():
    if not FIX.is_dir():
        pytest.skip(f"SKIPPED: fixture folder {FIX} is absent")


# -- helpers -----------------------------------------------------------------

def keyspace_of(port: int, dbs: int = 16, encodings: bool = True) -> dict:
    """{(db, key): (type, encoding, value, has_ttl)} read through commands."""
    out = {}
    with Conn(port) as c:
        for db in range(dbs):
            c.call("SELECT", db)
            for k in c.call("KEYS", "*").py():
                t = c.call("TYPE", k).py()
                if t == b"string":
                    v = c.call("GET", k).py()
                elif t == b"list":
                    v = tuple(c.call("LRANGE", k, 0, -1).py())
                elif t == b"set":
                    v = tuple(sorted(c.call("SMEMBERS", k).py()))
                elif t == b"hash":
                    flat = c.call("HGETALL", k).py()
                    v = tuple(sorted(zip(flat[0::2], flat[1::2])))
                elif t == b"zset":
                    flat = c.call("ZRANGE", k, 0, -1, "WITHSCORES").py()
                    v = tuple((m, float(s)) for m, s in zip(flat[0::2], flat[1::2]))
                elif t == b"stream":
                    groups = c.call("XINFO", "GROUPS", k).py()
                    v = (tuple(map(repr, c.call("XRANGE", k, "-", "+").py())), repr(groups),
                         tuple(repr(c.call("XPENDING", k, g[1]).py()) for g in groups),
                         # length and the ID counters (not Redis's radix-tree node counts)
                         repr((lambda i: i[0:2] + i[6:14])(c.call("XINFO", "STREAM", k).py())))
                else:
                    v = t
                enc = c.call("OBJECT", "ENCODING", k).py() if encodings else None
                ttl = c.call("PTTL", k).py()
                out[(db, k)] = (t, enc, v, ttl >= 0)
        c.call("SELECT", 0)
    return out


def populate(c: Conn) -> None:
    """Every type in its small and big encodings, TTLs, several databases."""
    c.call("SET", "str:int", "12345")
    c.call("SET", "str:neg", "-9223372036854775808")
    c.call("SET", "str:big", "4294967296")
    c.call("SET", "str:emb", "hello")
    c.call("SET", "str:raw", "x" * 100)
    c.call("SET", "str:lzf", "abcdefghij" * 300)
    c.call("SET", "str:bin", bytes(range(256)))
    c.call("SET", "str:empty", "")
    c.call("SET", "str:float", "3.14159")
    c.call("SET", "str:ttl", "v", "EX", "100000")
    c.call("RPUSH", "list:small", "a", "b", "1", "-3", "300", "70000", "5000000000")
    c.call("RPUSH", "list:big", *[f"item-{i}" for i in range(3000)])
    c.call("RPUSH", "list:fat", *["y" * 5000 for _ in range(5)])
    c.call("SADD", "set:ints", *range(0, 100))
    c.call("SADD", "set:wide", "1", "-70000", "5000000000", "-9223372036854775808")
    c.call("SADD", "set:bigints", *range(0, 1000))
    c.call("SADD", "set:strs", "a", "b", "c")
    c.call("SADD", "set:big", *[f"m{i}" for i in range(1000)])
    c.call("HSET", "hash:small", "f1", "v1", "f2", "2", "f3", "")
    c.call("HSET", "hash:big", *[x for i in range(1000) for x in (f"field{i}", f"value{i}")])
    c.call("HSET", "hash:longval", "k", "v" * 100)
    c.call("HSET", "sess:abc", "user", "42", "cookie", '{"path":"/"}')
    c.call("EXPIRE", "sess:abc", "100000")
    c.call("ZADD", "zset:small", "1", "a", "2.5", "b", "-1e300", "c", "0", "d", "0.1", "e")
    c.call("ZADD", "zset:big", *[x for i in range(300) for x in (str(i / 2), f"m{i}")])
    c.call("ZADD", "zset:inf", "-inf", "lo", "+inf", "hi")
    c.call("ZADD", "zset:longmember", "1", "z" * 100)
    c.call("XADD", "stream:s", "1-1", "a", "1", "b", "2")
    c.call("XADD", "stream:s", "2-0", "a", "3", "b", "4")
    c.call("XADD", "stream:s", "3-0", "c", "5")
    c.call("XADD", "stream:s", "4-7", "a", "7", "b", "8")
    c.call("XDEL", "stream:s", "2-0")
    c.call("XGROUP", "CREATE", "stream:s", "g", "0")
    c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "stream:s", ">")
    c.call("XGROUP", "CREATECONSUMER", "stream:s", "g", "bob")
    c.call("XGROUP", "CREATE", "stream:s", "g2", "$")
    c.call("XADD", "stream:empty", "5-5", "f", "v")
    c.call("XDEL", "stream:empty", "5-5")
    for i in range(250):
        c.call("XADD", "stream:big", f"{i + 1}-0", f"k{i % 3}", f"v{i}", *(["extra", "x"] if i % 7 == 0 else []))
    c.call("XTRIM", "stream:big", "MAXLEN", "230")
    c.call("SELECT", "3")
    c.call("SET", "db3:key", "in db 3")
    c.call("RPUSH", "db3:list", "a", "b")
    c.call("SELECT", "15")
    c.call("SADD", "db15:set", "x")
    c.call("SELECT", "0")


def server_with_file(factory, data: bytes | None, args=()):
    s = factory(list(args))
    if data is not None:
        (s.dir / "dump.rdb").write_bytes(data)
    return s


def run_expecting_refusal(factory, data: bytes, args=()) -> str:
    """Starts a server on `data`; it must exit with an error. Returns its output."""
    s = server_with_file(factory, data, args)
    try:
        s.port = servers.free_port()
        p = subprocess.run(s.argv(), cwd=s.dir, capture_output=True, timeout=30)
        out = (p.stdout + p.stderr).decode(errors="replace") + s.log_tail(50)
        assert p.returncode != 0, f"{s.label} started on a file it must refuse:\n{out}"
        return out
    finally:
        s.cleanup()


def starts(factory, data: bytes, args=()) -> bool:
    s = server_with_file(factory, data, args)
    try:
        s.start(timeout=15)
        return True
    except RuntimeError:
        return False
    finally:
        s.cleanup()


def save_and_read(port: int, directory: Path, name: str = "dump.rdb") -> bytes:
    with Conn(port) as c:
        r = c.call("SAVE")
        assert r.raw == b"+OK\r\n", r
    return (directory / name).read_bytes()


def wait_bgsave_done(c: Conn, limit: float = 30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        info = c.call("INFO", "persistence").text()
        if "rdb_bgsave_in_progress:0" in info:
            return info
        time.sleep(0.02)
    raise AssertionError("BGSAVE did not finish")


def check_rdb(path: Path):
    p = subprocess.run(["redis-check-rdb", str(path)], capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode == 0 and "RDB looks OK" in out, out


CRC_TABLE = []
_POLY = int(f"{0xad93d23594c935a9:064b}"[::-1], 2)
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    CRC_TABLE.append(_c)


def crc64(data: bytes) -> int:
    crc = 0
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc


def test_python_crc64_matches_redis_check_value():
    assert crc64(b"123456789") == 0xe9c6d914c4b8d9ca


# -- loading files Redis wrote -------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in ASSETS.glob("*.rdb")) if ASSETS.is_dir() else ["(none)"])
def test_redis_test_assets_load_like_redis(name):
    need_fixtures()
    data = (ASSETS / name).read_bytes()
    ref_ok = starts(servers.reference, data)
    if not ref_ok:
        run_expecting_refusal(servers.target, data)
        return
    ref = server_with_file(servers.reference, data).start()
    tgt = server_with_file(servers.target, data).start()
    try:
        assert keyspace_of(tgt.port) == keyspace_of(ref.port)
    finally:
        ref.cleanup()
        tgt.cleanup()


def function_list(port: int) -> list:
    """FUNCTION LIST WITHCODE as sorted plain data (Redis lists libraries and
    their functions in hash-table order)."""
    with Conn(port) as c:
        libs = []
        for lib in c.call("FUNCTION", "LIST", "WITHCODE").py():
            d = dict(zip(lib[0::2], lib[1::2]))
            d[b"functions"] = sorted(
                (tuple((k, tuple(sorted(v)) if isinstance(v, list) else v)
                       for k, v in sorted(zip(f[0::2], f[1::2]), key=repr))
                 for f in d[b"functions"]), key=repr)
            libs.append(tuple(sorted(d.items(), key=repr)))
        return sorted(libs, key=repr)


@pytest.mark.parametrize("name", ["all-types-7.0.15.rdb", "all-types-7.0.15-nocompress.rdb"])
def test_all_types_fixture_loads_with_its_functions_like_redis(name):
    """The fixture holds a function library and a stream: both load, and
    the keyspace and FUNCTION LIST equal what redis-server makes of it."""
    need_fixtures()
    data = (FIX / name).read_bytes()
    ref = server_with_file(servers.reference, data).start()
    tgt = server_with_file(servers.target, data).start()
    try:
        assert keyspace_of(tgt.port) == keyspace_of(ref.port)
        libs = function_list(tgt.port)
        assert libs == function_list(ref.port)
        assert len(libs) == 1
        with Conn(ref.port) as r, Conn(tgt.port) as t:
            for fname in [dict(f)[b"name"] for f in dict(libs[0])[b"functions"]]:
                assert t.call("FCALL", fname, 0).raw == r.call("FCALL", fname, 0).raw
    finally:
        ref.cleanup()
        tgt.cleanup()


def _expected_from_json(path: Path) -> dict:
    exp = {}
    for full, ent in json.loads(path.read_text()).items():
        db, key = full.split(":", 1)
        b = base64.b64decode
        t, v = ent["type"], ent["value"]
        if t == "stream":
            continue
        if t == "string":
            val = b(v)
        elif t == "list":
            val = tuple(b(x) for x in v)
        elif t == "set":
            val = tuple(sorted(b(x) for x in v))
        elif t == "hash":
            val = tuple(sorted((b(k), b(x)) for k, x in v.items()))
        else:
            val = tuple((b(m), float(s)) for m, s in v)
        exp[(int(db), key.encode())] = (t.encode(), None, val, ent["has_ttl"])
    return exp


@pytest.mark.parametrize("name", ["all-types-7.0.15.rdb", "all-types-7.0.15-nocompress.rdb"])
def test_all_types_fixture_matches_expected_json(name):
    """Loaded as it is (functions and stream included); the stream is
    compared with redis-server's view of it, the rest with the JSON."""
    need_fixtures()
    data = (FIX / name).read_bytes()
    expected = _expected_from_json(FIX / "all-types-7.0.15.expected.json")
    ref = server_with_file(servers.reference, data).start()
    tgt = server_with_file(servers.target, data).start()
    try:
        got = keyspace_of(tgt.port, encodings=False)
        assert got.pop((0, b"stream:s"))[0] == b"stream"
        assert got == expected
        assert keyspace_of(tgt.port) == keyspace_of(ref.port)
    finally:
        ref.cleanup()
        tgt.cleanup()


@pytest.mark.parametrize("compression", ["yes", "no"])
def test_dump_made_by_redis_at_run_time_loads_identically(compression):
    ref = servers.reference(["--rdbcompression", compression]).start()
    try:
        with Conn(ref.port) as c:
            populate(c)
        data = save_and_read(ref.port, ref.dir)
        want = keyspace_of(ref.port)
    finally:
        ref.cleanup()
    tgt = server_with_file(servers.target, data).start()
    try:
        assert keyspace_of(tgt.port) == want
    finally:
        tgt.cleanup()


@pytest.mark.parametrize("compression,checksum", [("yes", "yes"), ("no", "no")])
def test_our_dump_loads_in_redis_and_passes_redis_check_rdb(compression, checksum):
    tgt = servers.target(["--rdbcompression", compression, "--rdbchecksum", checksum]).start()
    try:
        with Conn(tgt.port) as c:
            populate(c)
        data = save_and_read(tgt.port, tgt.dir)
        want = keyspace_of(tgt.port)
        check_rdb(tgt.dir / "dump.rdb")
    finally:
        tgt.cleanup()
    assert data.startswith(b"REDIS0010")
    ref = server_with_file(servers.reference, data).start()
    try:
        assert keyspace_of(ref.port) == want
    finally:
        ref.cleanup()


def test_corrupt_and_truncated_files_are_refused_like_redis():
    tgt = servers.target().start()
    try:
        with Conn(tgt.port) as c:
            populate(c)
        good = save_and_read(tgt.port, tgt.dir)
    finally:
        tgt.cleanup()
    cases = {
        "truncated": good[: len(good) // 2],
        "bad-crc": good[:-1] + bytes([good[-1] ^ 0xff]),
        "bad-magic": b"RADIS" + good[5:],
        "future-version": b"REDIS0011" + good[9:],
    }
    for label, data in cases.items():
        out = run_expecting_refusal(servers.target, data)
        assert "Exiting" in out or "loading" in out.lower(), (label, out)
        assert not starts(servers.reference, data), f"redis starts on {label}"
    # An empty directory (no dump) starts empty, as Redis.
    s = servers.target().start()
    try:
        assert keyspace_of(s.port) == {}
    finally:
        s.cleanup()


# -- DUMP / RESTORE ------------------------------------------------------------

def test_dump_restore_interoperates_both_ways(server_pair):
    p = server_pair()
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        r.call("FLUSHALL")
        t.call("FLUSHALL")
        populate(r)
        keys = r.call("KEYS", "*").py()
        for k in keys:
            payload = r.call("DUMP", k).py()
            ttl = r.call("PTTL", k).py()
            assert t.call("RESTORE", k, max(ttl, 0), payload).raw == b"+OK\r\n", k
    want = {k: v for k, v in keyspace_of(p.ref.port).items() if k[0] == 0}
    got = {k: v for k, v in keyspace_of(p.tgt.port).items() if k[0] == 0}
    assert got == want
    # And back: vermilion's payloads into a fresh redis keyspace.
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        r.call("FLUSHALL")
        for k in t.call("KEYS", "*").py():
            payload = t.call("DUMP", k).py()
            ttl = t.call("PTTL", k).py()
            res = r.call("RESTORE", k, max(ttl, 0), payload)
            assert res.raw == b"+OK\r\n", (k, res)
    assert {k: v for k, v in keyspace_of(p.ref.port).items() if k[0] == 0} == want


def test_restore_options_and_errors(d):
    r = d.ref
    r.call("SET", "src", "hello")
    r.call("RPUSH", "srcl", "a", "b")
    payload = r.call("DUMP", "src").py()
    lpayload = r.call("DUMP", "srcl").py()
    r.call("DEL", "src", "srcl")
    bad_crc = payload[:-1] + bytes([payload[-1] ^ 1])
    body = payload[:-10] + (11).to_bytes(2, "little")
    future = body + crc64(body).to_bytes(8, "little")
    garbage = b"\x00\x85garbage" + (10).to_bytes(2, "little")
    garbage += crc64(garbage).to_bytes(8, "little")
    empty_set = b"\x02\x00" + (10).to_bytes(2, "little")
    empty_set += crc64(empty_set).to_bytes(8, "little")
    for args in [
        ("RESTORE", "k", "0", payload),
        ("GET", "k"),
        ("RESTORE", "k", "0", payload),
        ("RESTORE", "k", "0", lpayload, "REPLACE"),
        ("TYPE", "k"),
        ("RESTORE", "k2", "-1", payload),
        ("RESTORE", "k2", "abc", payload),
        ("RESTORE", "k2", "0", bad_crc),
        ("RESTORE", "k2", "0", future),
        ("RESTORE", "k2", "0", b"short"),
        ("RESTORE", "k2", "0", b""),
        ("RESTORE", "k2", "0", garbage),
        ("RESTORE", "k2", "0", empty_set),
        ("RESTORE", "k2", "0", payload, "BOGUS"),
        ("RESTORE", "k2", "0", payload, "IDLETIME"),
        ("RESTORE", "k2", "0", payload, "IDLETIME", "-1"),
        ("RESTORE", "k2", "0", payload, "IDLETIME", "x"),
        ("RESTORE", "k2", "0", payload, "FREQ", "256"),
        ("RESTORE", "k2", "0", payload, "FREQ", "-1"),
        ("EXISTS", "k2"),
        ("RESTORE", "k2", "0", payload, "IDLETIME", "1000"),
        ("OBJECT", "IDLETIME", "k2"),
        ("RESTORE", "k3", "0", payload, "FREQ", "100", "REPLACE"),
        ("RESTORE", "k4", "100000", payload),
        ("TTL", "k4"),
        ("RESTORE", "k5", "1", payload, "ABSTTL"),
        ("EXISTS", "k5"),
        ("RESTORE", "k4", "1", payload, "ABSTTL", "REPLACE"),
        ("EXISTS", "k4"),
        ("RESTORE", "k6", "4102444800000", payload, "ABSTTL"),
        ("PEXPIRETIME", "k6"),
        ("DUMP", "nosuchkey"),
        ("DUMP",),
        ("RESTORE", "k"),
    ]:
        d.check(*args)


def test_restore_wrongtype_free_and_notifies(d2):
    r = d2.ref
    r.call("HSET", "h", "a", "1")
    payload = r.call("DUMP", "h").py()
    r.call("DEL", "h")
    d2.run("""
        CONFIG SET notify-keyspace-events KEA
    """)
    d2.check("RESTORE", "h", "0", payload)
    d2.check("HGETALL", "h")
    d2.check("OBJECT", "ENCODING", "h")
    d2.run("CONFIG SET notify-keyspace-events ''")


def test_restore_fuzz_never_panics_nor_leaves_partial_keys():
    """Redis's corrupt-dump-fuzzer, bounded: payloads of every type and
    encoding with one or two random bytes changed (CRC re-sealed so the
    decoder sees the damage), 2000 cases."""
    ref = servers.reference().start()
    tgt = servers.target().start()
    try:
        with Conn(ref.port) as r:
            populate(r)
            payloads = [r.call("DUMP", k).py() for k in r.call("KEYS", "*").py()]
        rnd = random.Random(6)
        with Conn(tgt.port) as t:
            for i in range(2000):
                p = bytearray(rnd.choice(payloads))
                body = len(p) - 10
                for _ in range(2 if rnd.random() < 0.1 else 1):
                    p[rnd.randrange(body)] = rnd.randrange(256)
                p[-8:] = crc64(bytes(p[:-8])).to_bytes(8, "little")
                res = t.call("RESTORE", f"f{i}", "0", bytes(p))
                if res.is_error:
                    assert res.text().startswith("ERR Bad data format"), res
                    assert t.call("EXISTS", f"f{i}").py() == 0
                else:
                    assert res.raw == b"+OK\r\n"
                    assert t.call("TYPE", f"f{i}").py() != b"none"
                    t.call("DEL", f"f{i}")
            assert t.call("PING").raw == b"+PONG\r\n"
    finally:
        ref.cleanup()
        tgt.cleanup()


# -- SAVE, BGSAVE, LASTSAVE, INFO ------------------------------------------------

def test_save_bgsave_replies(d2):
    d2.check("SET", "a", "1")
    d2.check("SAVE")
    d2.check("SAVE", "extra")
    d2.check("BGSAVE", "bogus")
    d2.check("BGSAVE", "schedule", "extra")
    d2.check("MULTI")
    d2.check("SAVE")
    d2.check("BGSAVE")
    d2.check("EXEC")
    for c in (d2.ref, d2.tgt):
        wait_bgsave_done(c)
        # The scheduled save runs from the periodic task.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            c.call("BGSAVE")  # may answer "already in progress"; the point is to drain the schedule
            info = wait_bgsave_done(c)
            if "rdb_last_bgsave_status:ok" in info:
                break


def test_bgsave_then_info_fields():
    tgt = servers.target().start()
    try:
        with Conn(tgt.port) as c:
            populate(c)
            info = c.call("INFO", "persistence").text()
            assert "rdb_changes_since_last_save:0" not in info
            before = c.call("LASTSAVE").py()
            assert c.call("BGSAVE").raw == b"+Background saving started\r\n"
            info = wait_bgsave_done(c)
            assert "rdb_last_bgsave_status:ok" in info
            assert "rdb_changes_since_last_save:0" in info
            assert "rdb_saves:1" in info
            assert "rdb_last_bgsave_time_sec:-1" not in info
            assert c.call("LASTSAVE").py() >= before
        check_rdb(tgt.dir / "dump.rdb")
    finally:
        tgt.cleanup()


def test_failed_bgsave_gives_misconf_like_redis(server_pair):
    p = server_pair(["--save", "3600 1", "--enable-protected-configs", "yes"])
    for srv in (p.ref, p.tgt):
        sub = srv.dir / "gone"
        sub.mkdir()
        with Conn(srv.port) as c:
            assert c.call("CONFIG", "SET", "dir", str(sub)).raw == b"+OK\r\n"
            sub.rmdir()
            c.call("BGSAVE")
            info = wait_bgsave_done(c)
            assert "rdb_last_bgsave_status:err" in info, info
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        for args in [("SET", "k", "v"), ("PING",), ("GET", "k"), ("MULTI",), ("SET", "k", "v"),
                     ("EXEC",), ("CONFIG", "SET", "stop-writes-on-bgsave-error", "no"), ("SET", "k", "v"),
                     ("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"), ("INCR", "n")]:
            a, b = r.call(*args), t.call(*args)
            assert a.raw == b.raw, (args, a, b)
        for srv, c in ((p.ref, r), (p.tgt, t)):
            c.call("CONFIG", "SET", "dir", str(srv.dir))
            assert c.call("BGSAVE").raw == b"+Background saving started\r\n"
            assert "rdb_last_bgsave_status:ok" in wait_bgsave_done(c)
        for args in [("SET", "k", "v2"), ("PING",)]:
            a, b = r.call(*args), t.call(*args)
            assert a.raw == b.raw, (args, a, b)


# -- restarts --------------------------------------------------------------------

def _restart(s):
    s.stop()
    s.start()


def test_shutdown_save_nosave_and_default():
    # Save points set: SHUTDOWN saves by default, NOSAVE does not.
    s = servers.target(["--save", "3600 1"]).start()
    try:
        with Conn(s.port) as c:
            c.call("SET", "k", "1")
            c.send_cmd("SHUTDOWN")
            assert c.read_until_closed()[1]
        s.proc.wait(10)
        s.start()
        with Conn(s.port) as c:
            assert c.call("GET", "k").py() == b"1"
            c.call("SET", "k", "2")
            c.send_cmd("SHUTDOWN", "NOSAVE")
            c.read_until_closed()
        s.proc.wait(10)
        s.start()
        with Conn(s.port) as c:
            assert c.call("GET", "k").py() == b"1"
            # SIGTERM saves too when save points are set.
            c.call("SET", "k", "3")
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(10)
        s.start()
        with Conn(s.port) as c:
            assert c.call("GET", "k").py() == b"3"
    finally:
        s.cleanup()
    # No save points (the harness passes save ""): SHUTDOWN does not save, SHUTDOWN SAVE does.
    s = servers.target().start()
    try:
        with Conn(s.port) as c:
            c.call("SET", "k", "1")
            c.send_cmd("SHUTDOWN")
            c.read_until_closed()
        s.proc.wait(10)
        assert not (s.dir / "dump.rdb").exists()
        s.start()
        with Conn(s.port) as c:
            c.call("SET", "k", "1")
            c.send_cmd("SHUTDOWN", "SAVE")
            c.read_until_closed()
        s.proc.wait(10)
        s.start()
        with Conn(s.port) as c:
            assert c.call("GET", "k").py() == b"1"
    finally:
        s.cleanup()


def test_shutdown_refuses_when_the_save_fails(server_pair):
    p = server_pair(["--save", "3600 1", "--enable-protected-configs", "yes"])
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        for srv, c in ((p.ref, r), (p.tgt, t)):
            sub = srv.dir / "gone"
            sub.mkdir()
            c.call("CONFIG", "SET", "dir", str(sub))
            sub.rmdir()
        a, b = r.call("SHUTDOWN"), t.call("SHUTDOWN")
        assert a.raw == b.raw, (a, b)
        assert p.ref.alive() and p.tgt.alive()
        # Let teardown's SIGTERM save and exit.
        for srv, c in ((p.ref, r), (p.tgt, t)):
            c.call("CONFIG", "SET", "dir", str(srv.dir))


def test_ttls_survive_restart_and_expired_keys_stay_gone():
    s = servers.target().start()
    try:
        with Conn(s.port) as c:
            c.call("SET", "short", "v", "PX", "300")
            c.call("SET", "long", "v", "EX", "100000")
            c.call("HSET", "h", "f", "v")
            c.call("PEXPIREAT", "h", str(int(time.time() * 1000) + 100_000_000))
            c.call("SET", "plain", "v")
            want_h = c.call("PEXPIRETIME", "h").py()
            assert c.call("SAVE").raw == b"+OK\r\n"
        s.stop()
        time.sleep(0.5)  # longer than "short"'s TTL: it must not come back
        s.start()
        with Conn(s.port) as c:
            assert c.call("EXISTS", "short").py() == 0
            assert c.call("TTL", "long").py() > 99_000
            assert c.call("PEXPIRETIME", "h").py() == want_h
            assert c.call("TTL", "plain").py() == -1
            info = c.call("INFO", "persistence").text()
            assert "rdb_last_load_keys_expired:1" in info and "rdb_last_load_keys_loaded:3" in info, info
    finally:
        s.cleanup()


def test_debug_reload_keeps_the_keyspace():
    s = servers.target(["--enable-debug-command", "yes"]).start()
    try:
        with Conn(s.port) as c:
            populate(c)
            before = keyspace_of(s.port)
            assert c.call("DEBUG", "RELOAD").raw == b"+OK\r\n"
            assert keyspace_of(s.port) == before
            assert c.call("DEBUG", "RELOAD", "NOSAVE").raw == b"+OK\r\n"
            assert c.call("DEBUG", "RELOAD", "MERGE").is_error
    finally:
        s.cleanup()


def test_kill9_during_bgsave_keeps_the_previous_dump():
    s = servers.target().start()
    try:
        with Conn(s.port) as c:
            c.call("SET", "gen", "1")
            assert c.call("SAVE").raw == b"+OK\r\n"
        good = (s.dir / "dump.rdb").read_bytes()
        rnd = random.Random(9)
        blob = bytes(rnd.randrange(256) for _ in range(1 << 20))
        for round_ in range(4):
            with Conn(s.port) as c:
                c.call("SET", "gen", str(round_ + 2))
                for i in range(40):  # ~40 MB of incompressible data: the save takes a while
                    c.call("SET", f"blob{i}", blob[i:] + blob[:i])
                assert c.call("BGSAVE").raw == b"+Background saving started\r\n"
            time.sleep(0.01 * round_)
            os.kill(s.pid(), signal.SIGKILL)
            s.proc.wait(10)
            data = (s.dir / "dump.rdb").read_bytes()
            # Either the old dump untouched or a complete new one: never a torn file.
            if data != good:
                check_rdb(s.dir / "dump.rdb")
                good = data
            else:
                check_rdb(s.dir / "dump.rdb")
            s.start()
            with Conn(s.port) as c:
                assert c.call("GET", "gen").py() is not None
    finally:
        s.cleanup()


def test_bgsave_is_a_point_in_time_image_while_writes_go_on():
    """Writes after the BGSAVE reply (overwrites, deletes, new keys, a
    collection changed in place, SWAPDB, FLUSHDB) must not show in the file:
    it holds the keyspace as it was when BGSAVE ran."""
    n = 60000
    tgt = servers.target().start()
    try:
        with Conn(tgt.port, timeout=60) as c:
            for start in range(0, n, 5000):
                c.pipeline([("SET", f"k{i}", f"v{i}") for i in range(start, start + 5000)])
            c.call("RPUSH", "list", *range(100))
            c.call("HSET", "h", "a", "1")
            c.call("SELECT", "1")
            c.pipeline([("SET", f"one{i}", "x") for i in range(3000)])
            c.call("SELECT", "0")
            c.call("SET", "ttl", "v", "EX", "100000")
            want = keyspace_of(tgt.port, dbs=2, encodings=False)
            assert c.call("BGSAVE").raw == b"+Background saving started\r\n"
            cmds = []
            for i in range(0, n, 3):
                cmds.append(("SET", f"k{i}", "changed"))
                cmds.append(("DEL", f"k{i + 1}"))
                cmds.append(("SET", f"new{i}", "n"))
            cmds += [("RPUSH", "list", "more"), ("HSET", "h", "b", "2"), ("PERSIST", "ttl"),
                     ("SWAPDB", "0", "2"), ("SELECT", "1"), ("FLUSHDB",), ("SELECT", "0")]
            for start in range(0, len(cmds), 5000):
                c.pipeline(cmds[start:start + 5000])
            wait_bgsave_done(c, limit=60)
            assert "rdb_last_bgsave_status:ok" in c.call("INFO", "persistence").text()
        data = (tgt.dir / "dump.rdb").read_bytes()
    finally:
        tgt.cleanup()
    ref = server_with_file(servers.reference, data).start()
    try:
        assert keyspace_of(ref.port, dbs=3, encodings=False) == want
    finally:
        ref.cleanup()


def test_save_points_trigger_a_background_save():
    s = servers.target(["--save", "1 2"]).start()
    try:
        with Conn(s.port) as c:
            c.call("SET", "a", "1")
            c.call("SET", "b", "2")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                info = c.call("INFO", "persistence").text()
                if "rdb_saves:1" in info and "rdb_bgsave_in_progress:0" in info:
                    break
                time.sleep(0.05)
            assert "rdb_saves:1" in info, info
            assert "rdb_changes_since_last_save:0" in info
        assert "changes in 1 seconds. Saving..." in s.log_tail(50)
        check_rdb(s.dir / "dump.rdb")
    finally:
        s.cleanup()


def test_stream_payloads_restore_both_ways(server_pair):
    p = server_pair()
    with Conn(p.ref.port) as r, Conn(p.tgt.port) as t:
        for c in (r, t):
            c.call("XADD", "s", "1-1", "f", "v")
            c.call("XADD", "s", "2-0", "f", "w", "g", "x")
            c.call("XGROUP", "CREATE", "s", "grp", "0")
            c.call("XREADGROUP", "GROUP", "grp", "c", "COUNT", "1", "STREAMS", "s", ">")
        from_redis, from_us = r.call("DUMP", "s").py(), t.call("DUMP", "s").py()
        assert t.call("RESTORE", "r", "0", from_redis).py() == b"OK"
        assert r.call("RESTORE", "v", "0", from_us).py() == b"OK"
        for src, dst in ((r, t), (t, r)):
            name = "r" if dst is t else "v"
            assert dst.call("XRANGE", name, "-", "+").py() == src.call("XRANGE", "s", "-", "+").py()
            assert dst.call("XPENDING", name, "grp").py() == src.call("XPENDING", "s", "grp").py()


def test_flushall_stops_a_bgsave_and_saves_the_empty_dataset():
    """As Redis's flushAllDataAndResetRDB: the running BGSAVE must not later
    put the flushed keys back on disk, and with save points the dump is
    rewritten empty at once."""
    s = servers.target(["--save", "3600 1000000"]).start()
    try:
        with Conn(s.port, timeout=60) as c:
            for start in range(0, 200000, 10000):
                c.pipeline([("SET", f"k{i}", "v") for i in range(start, start + 10000)])
            replies = c.pipeline([("BGSAVE",), ("FLUSHALL",)])
            assert replies[1].raw == b"+OK\r\n", replies
            info = wait_bgsave_done(c)
            assert "rdb_last_bgsave_status:ok" in info, info
            assert "rdb_changes_since_last_save:1" in info, info
        # kill -9: no shutdown save; what is on disk is what FLUSHALL (and the aborted BGSAVE) left.
        os.kill(s.pid(), signal.SIGKILL)
        s.proc.wait(10)
        s.start()
        with Conn(s.port) as c:
            assert c.call("DBSIZE").py() == 0
    finally:
        s.cleanup()
