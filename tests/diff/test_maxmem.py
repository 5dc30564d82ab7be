"""maxmemory, eviction policies and the MEMORY commands (issue 7).

Differential cases (same replies from redis-server 7.0 and vermilion) cover
the MEMORY family, the OOM rules (noeviction, nothing evictable, inside
MULTI, EXEC of a queued deny-oom command), evicted-key notifications and
WATCH. Which keys a sampling policy evicts is random in both servers, so the
policy properties are checked as properties, on both servers alike: each
behavioural test runs its body against the reference too, which keeps the
tests honest about what Redis itself guarantees.

Every test is bounded in keys written; none measures time.
"""

from __future__ import annotations

import random

import pytest

from differ import Differ
from respwire import Conn

OOM = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"


def info(c: Conn, section: str = "") -> dict:
    text = (c.call("INFO", section) if section else c.call("INFO")).text()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def used(c: Conn) -> int:
    return int(info(c, "memory")["used_memory"])


# --- MEMORY family and INFO shapes ----------------------------------------

def test_memory_subcommands(d):
    d.run("""
        SET k v
        SET n 12345
        HSET h f v g w
        RPUSH l a b c
        MEMORY USAGE k
        MEMORY USAGE n
        MEMORY USAGE h SAMPLES 0
        MEMORY USAGE l samples 3
        MEMORY USAGE nokey
        MEMORY USAGE k SAMPLES -1
        MEMORY USAGE k SAMPLES x
        MEMORY USAGE k SAMPLES
        MEMORY USAGE k bogus
        MEMORY USAGE
        MEMORY PURGE
        MEMORY PURGE x
        MEMORY HELP
        MEMORY BOGUS
        MEMORY
        MEMORY DOCTOR
        MEMORY DOCTOR x
        MEMORY MALLOC-STATS
        MEMORY STATS
        INFO memory
        INFO stats
        COMMAND INFO memory|usage memory|purge memory|stats memory|doctor memory|help
    """)


def test_memory_stats_lists_non_empty_databases(d):
    d.run("""
        SELECT 9
        SET a b
        SELECT 0
        MEMORY STATS
        SET x y
        MEMORY STATS
    """)


def test_memory_usage_grows_with_the_value(pair):
    with Conn(pair.tgt.port) as c:
        c.call("FLUSHALL")
        c.call("SET", "small", "x")
        c.call("SET", "big", "x" * 10000)
        c.call("RPUSH", "list", *[str(i) * 50 for i in range(1000)])
        small = c.call("MEMORY", "USAGE", "small").int()
        big = c.call("MEMORY", "USAGE", "big").int()
        lst = c.call("MEMORY", "USAGE", "list").int()
        assert 0 < small < 200
        assert 10000 <= big < 11000
        assert lst >= 50 * 1000


def test_object_freq_and_idletime_follow_the_policy(server_pair):
    p = server_pair()
    dd = Differ(p.ref.port, p.tgt.port, 2)
    dd.run("""
        SET k v
        OBJECT FREQ k
        OBJECT IDLETIME k
        OBJECT FREQ missing
        CONFIG SET maxmemory-policy allkeys-lfu
        OBJECT IDLETIME k
        OBJECT IDLETIME missing
        SET fresh v
        OBJECT FREQ fresh
        CONFIG SET maxmemory-policy volatile-lfu
        OBJECT IDLETIME k
        CONFIG SET maxmemory-policy volatile-lru
        OBJECT FREQ k
    """)
    # The counter is logarithmic: 100 reads take a fresh key from 5 to about 10.
    for c in (dd.ref, dd.tgt):
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
        c.pipeline([("GET", "fresh")] * 100)
        f = c.call("OBJECT", "FREQ", "fresh").int()
        assert 6 <= f <= 16, f
        # CLIENT NO-TOUCH is Redis 7.2; only check it on vermilion.
    c = dd.tgt
    c.call("SET", "quiet", "v")
    before = c.call("OBJECT", "FREQ", "quiet").int()
    c.call("CLIENT", "NO-TOUCH", "on")
    c.pipeline([("GET", "quiet")] * 200)
    assert c.call("OBJECT", "FREQ", "quiet").int() == before
    dd.close()


# --- OOM rules (deterministic with maxmemory 1: nothing fits) -------------

def test_noeviction_refuses_writes_and_serves_reads_and_deletes(server_pair):
    p = server_pair()
    dd = Differ(p.ref.port, p.tgt.port, 2)
    dd.run("""
        SET k v
        SET gone v
        RPUSH l a b
        CONFIG SET maxmemory 1
        CONFIG GET maxmemory
        SET k w
        SET new v
        INCR counter
        RPUSH l c
        HSET h f v
        APPEND k more
        GET k
        LRANGE l 0 -1
        EXISTS k gone
        DEL gone
        EXISTS gone
        EXPIRE k 100
        PERSIST k
        DBSIZE
        INFO memory
        MULTI
        GET k
        SET k z
        EXEC
        MULTI
        EXEC
        MULTI
        DISCARD
        GET k
        CONFIG SET maxmemory 0
        SET k w
        GET k
    """)
    dd.close()


def test_exec_of_queued_deny_oom_command_aborts(server_pair):
    p = server_pair()
    a = Differ(p.ref.port, p.tgt.port, 2)
    b = Differ(p.ref.port, p.tgt.port, 2)
    a.run("""
        MULTI
        SET x 1
        GET x
    """)
    b.check("CONFIG", "SET", "maxmemory", "1")
    a.check("EXEC")
    a.run("""
        GET x
        MULTI
    """)
    # A transaction of reads only queued before OOM still runs.
    b.check("CONFIG", "SET", "maxmemory", "0")
    a.check("GET", "x")
    b.check("CONFIG", "SET", "maxmemory", "1")
    a.check("EXEC")
    a.close()
    b.close()


def test_policies_evict_only_what_they_may(server_pair):
    """With nothing fitting, each policy empties exactly its candidates."""
    p = server_pair()
    dd = Differ(p.ref.port, p.tgt.port, 2)
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                   "allkeys-lru", "allkeys-lfu", "allkeys-random"]:
        dd.run(f"""
            CONFIG SET maxmemory 0
            FLUSHALL
            MSET p1 a p2 b p3 c
            SET v1 a EX 1000
            SET v2 b EX 2000
            SELECT 1
            SET v3 c EX 3000
            SET p4 d
            SELECT 0
            CONFIG SET maxmemory-policy {policy}
            CONFIG SET maxmemory 1
            DBSIZE
            SET new v
            EXISTS p1 p2 p3 v1 v2
            SELECT 1
            EXISTS v3 p4
            SELECT 0
        """)
        for c in (dd.ref, dd.tgt):
            st = info(c, "stats")
            assert int(st["evicted_keys"]) >= 3
    dd.run("""
        CONFIG SET maxmemory 0
        CONFIG SET maxmemory-policy noeviction
        CONFIG RESETSTAT
    """)
    for c in (dd.ref, dd.tgt):
        st = info(c, "stats")
        assert (st["evicted_keys"], st["total_eviction_exceeded_time"], st["current_eviction_exceeded_time"]) == (
            "0", "0", "0")
    dd.close()


def test_evicted_keys_notify_and_invalidate_watch(server_pair):
    p = server_pair()
    a = Differ(p.ref.port, p.tgt.port, 2)
    b = Differ(p.ref.port, p.tgt.port, 2)
    sub = Differ(p.ref.port, p.tgt.port, 2)
    b.run("""
        CONFIG SET notify-keyspace-events Ee
        SET w v EX 100
        SET keep v
        CONFIG SET maxmemory-policy volatile-ttl
    """)
    sub.check("SUBSCRIBE", "__keyevent@0__:evicted")
    a.check("WATCH", "w")
    b.run("""
        CONFIG SET maxmemory 1
        PING
        CONFIG SET maxmemory 0
        EXISTS w keep
    """)
    sub.check("PING")  # in RESP2 subscribed mode PING answers [pong, ""]
    a.run("""
        MULTI
        SET w 2
        EXEC
    """)
    for conn in (sub.ref, sub.tgt):
        conn.call("UNSUBSCRIBE")
    a.close()
    b.close()
    sub.close()


# --- Properties under real memory pressure (both servers) -----------------

def fill(c: Conn, prefix: str, n: int, size: int, ex: int | None = None, batch: int = 500):
    for start in range(0, n, batch):
        cmds = []
        for i in range(start, min(n, start + batch)):
            cmd = ["SET", f"{prefix}{i}", "x" * size]
            if ex is not None:
                cmd += ["EX", str(ex + i)]
            cmds.append(cmd)
        replies = c.pipeline(cmds)
        assert all(not r.is_error for r in replies), (c.sock.getpeername(), [r for r in replies if r.is_error][:1])


@pytest.mark.parametrize("policy", ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"])
def test_volatile_policies_keep_persistent_keys_under_pressure(server_pair, policy):
    p = server_pair()
    for c in (Conn(p.ref.port), Conn(p.tgt.port)):
        fill(c, "p:", 2000, 100)
        c.call("CONFIG", "SET", "maxmemory", str(used(c) + 1024 * 1024))
        c.call("CONFIG", "SET", "maxmemory-policy", policy)
        fill(c, "v:", 20000, 100, ex=10000)
        assert int(info(c, "stats")["evicted_keys"]) > 5000
        present = c.pipeline([("EXISTS", f"p:{i}") for i in range(2000)])
        assert sum(r.int() for r in present) == 2000, f"{c.sock.getpeername()}: a key without TTL was evicted"
        if policy == "volatile-ttl":
            # Nearest expiry first: the survivors are the late-expiring keys.
            alive = [i for i, r in enumerate(c.pipeline([("EXISTS", f"v:{i}") for i in range(20000)])) if r.int()]
            assert alive and sum(alive) / len(alive) > 14000, sum(alive) / max(1, len(alive))
        c.close()


def test_noeviction_at_the_limit_refuses_then_recovers_after_deletes(server_pair):
    p = server_pair()
    for c in (Conn(p.ref.port), Conn(p.tgt.port)):
        c.call("CONFIG", "SET", "maxmemory", str(used(c) + 2 * 1024 * 1024))
        refused = None
        for i in range(10000):
            r = c.call("SET", f"k{i}", "x" * 1000)
            if r.is_error:
                refused = i
                assert r.raw == OOM
                break
        assert refused is not None and refused > 500
        assert c.call("GET", "k0").text() == "x" * 1000
        assert c.call("DEL", *[f"k{i}" for i in range(refused // 2)]).int() == refused // 2
        assert c.call("SET", "again", "v").raw == b"+OK\r\n"
        c.close()


def test_memory_stays_within_the_limit_under_mixed_writes(server_pair):
    p = server_pair()
    rnd = random.Random(7)
    sizes = [rnd.choice([16, 100, 500, 2000, 8000]) for _ in range(12000)]
    overshoot = {}
    for label, c in (("redis", Conn(p.ref.port)), ("vermilion", Conn(p.tgt.port))):
        limit = used(c) + 8 * 1024 * 1024
        c.call("CONFIG", "SET", "maxmemory", str(limit))
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
        worst = 0
        for start in range(0, len(sizes), 100):
            c.pipeline([("SET", f"k{i}", "y" * sizes[i]) for i in range(start, start + 100)])
            worst = max(worst, used(c) - limit)
        overshoot[label] = worst
        assert int(info(c, "stats")["evicted_keys"]) > 1000
        c.close()
    # Eviction runs before each command, so a write may end above the limit
    # by about its own size plus the pipeline's buffers, in Redis too.
    assert overshoot["vermilion"] <= 256 * 1024, overshoot


def test_config_set_lower_maxmemory_evicts_down_to_it(server_pair):
    p = server_pair()
    for label, c in (("redis", Conn(p.ref.port)), ("vermilion", Conn(p.tgt.port))):
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random")
        fill(c, "k", 8000, 500)
        now = used(c)
        target = now - 2 * 1024 * 1024
        assert c.call("CONFIG", "SET", "maxmemory", str(target)).raw == b"+OK\r\n"
        # Redis finishes in a background timer; each command also evicts.
        for _ in range(200):
            if used(c) <= target:
                break
            c.call("PING")
        assert used(c) <= target, label
        if label == "vermilion":
            assert int(info(c, "stats")["evicted_keys"]) > 1000
        c.close()


def test_huge_sample_count_is_bounded_by_the_table(pair):
    """maxmemory-samples accepts up to INT_MAX (Redis would put that many
    pointers on its stack); sampling stops at the table's size instead."""
    with Conn(pair.tgt.port) as c:
        c.call("FLUSHALL")
        c.pipeline([("SET", f"k{i}", "v") for i in range(200)])
        try:
            for k, v in (("maxmemory-samples", "2147483647"), ("maxmemory-policy", "allkeys-lru"), ("maxmemory", "1")):
                assert c.call("CONFIG", "SET", k, v).raw == b"+OK\r\n"
            assert c.call("DBSIZE").int() == 0
            assert c.call("SET", "x", "y").raw == OOM
        finally:
            # The session's shared server: restore the defaults whatever happened.
            for k, v in (("maxmemory", "0"), ("maxmemory-policy", "noeviction"), ("maxmemory-samples", "5")):
                assert c.call("CONFIG", "SET", k, v).raw == b"+OK\r\n"
        assert c.call("SET", "x", "y").raw == b"+OK\r\n"


def test_scripts_follow_the_oom_rules(d):
    """Redis 7.0's script OOM rules: a deny-oom call is refused when the
    server was out of memory as the script started; reads and deletes run;
    a shebang script that may write is refused up front unless it says
    allow-oom (or no-writes)."""
    d.check("SET", "k", "v")
    d.check("CONFIG", "SET", "maxmemory", "1")
    try:
        d.check("EVAL", "return redis.call('set','x','y')", "0")
        d.check("EVAL", "return redis.pcall('set','x','y')", "0")
        d.check("EVAL", "return redis.call('get','k')", "0")
        d.check("EVAL", "#!lua\nreturn redis.call('get','k')", "0")
        d.check("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "0")
        d.check("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "0")
        d.check("EVAL", "return redis.call('del','k')", "0")
    finally:
        d.check("CONFIG", "SET", "maxmemory", "0")
