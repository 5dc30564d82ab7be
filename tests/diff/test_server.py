"""Differential tests of the server commands of issue 2: INFO, CONFIG, COMMAND,
TIME, LASTSAVE, SLOWLOG. Values that measure the process are compared by
shape (allowlist.toml); names, sections, counters and texts exactly.
"""

import time

import pytest

import servers
from differ import TARGET_IS_REDIS, compare_info

# Parameters a test may change; restored after each test that uses `restore_config`.
TOUCHED = ["maxmemory", "maxmemory-policy", "timeout", "slowlog-log-slower-than",
           "slowlog-max-len", "tcp-keepalive", "hz", "maxclients"]

COMMON_PARAMS = [
    "maxmemory", "maxmemory-policy", "maxmemory-samples", "save", "appendonly",
    "appendfsync", "databases", "timeout", "tcp-keepalive", "requirepass",
    "protected-mode", "proto-max-bulk-len", "client-query-buffer-limit",
    "maxclients", "slowlog-log-slower-than", "slowlog-max-len", "hz", "bind",
    "daemonize", "dbfilename", "appendfilename", "loglevel", "logfile",
    "notify-keyspace-events", "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush",
    "lua-time-limit", "busy-reply-threshold", "tcp-backlog", "io-threads",
    "activerehashing", "lfu-log-factor", "lfu-decay-time", "maxmemory-clients",
    "client-output-buffer-limit", "unixsocket", "stop-writes-on-bgsave-error",
    "list-max-listpack-size", "hash-max-listpack-entries", "set-max-intset-entries",
]


@pytest.fixture
def restore_config(pair):
    from respwire import Conn
    saved = {}
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port) as c:
            r = c.call("CONFIG", "GET", *TOUCHED)
            saved[srv.label] = [x.value for x in r.items()] if not r.is_error else []
    yield
    for srv in (pair.ref, pair.tgt):
        if srv.alive() and saved[srv.label]:
            with Conn(srv.port) as c:
                c.call("CONFIG", "SET", *saved[srv.label])
                c.call("CONFIG", "RESETSTAT")


@pytest.mark.parametrize("param", COMMON_PARAMS)
def test_config_get_common_param(d2, param):
    d2.check("CONFIG", "GET", param)


def test_config_get_patterns_and_several(d):
    d.run("""
        CONFIG GET maxmemory maxmemory-policy
        CONFIG GET maxmemory*
        CONFIG GET *keepalive*
        CONFIG GET slowlog-*
        CONFIG GET MAXMEMORY
        CONFIG GET bogus-param
        CONFIG GET maxmemory bogus
        CONFIG GET maxmemory maxmemory
        CONFIG GET
        CONFIG BOGUS
        CONFIG
        config get timeout
    """)


def test_config_get_port_is_own_port(pair, proto):
    from respwire import Conn
    for srv in (pair.ref, pair.tgt):
        with Conn(srv.port, proto=proto) as c:
            assert c.call("CONFIG", "GET", "port").py() in (
                [b"port", str(srv.port).encode()], {b"port": str(srv.port).encode()}), srv.label


def test_config_set(d, restore_config):
    d.run("""
        CONFIG SET maxmemory 256mb
        CONFIG GET maxmemory
        CONFIG SET maxmemory 1GB
        CONFIG GET maxmemory
        CONFIG SET maxmemory 1000k
        CONFIG GET maxmemory
        CONFIG SET maxmemory-policy allkeys-lru
        CONFIG GET maxmemory-policy
        CONFIG SET maxmemory 0 maxmemory-policy volatile-ttl
        CONFIG GET maxmemory maxmemory-policy
        CONFIG SET maxmemory-policy ALLKEYS-LFU
        CONFIG GET maxmemory-policy
        CONFIG SET maxmemory-policy bogus
        CONFIG SET maxmemory abc
        CONFIG SET maxmemory -1
        CONFIG SET timeout abc
        CONFIG SET timeout 30
        CONFIG GET timeout
        CONFIG SET bogus-param 1
        CONFIG SET maxmemory 1 maxmemory 2
        CONFIG SET maxmemory 10mb bogus 1
        CONFIG GET maxmemory
        CONFIG SET maxmemory
        CONFIG SET
        CONFIG SET slowlog-max-len 64 slowlog-log-slower-than 5000
        CONFIG GET slowlog-*
        CONFIG SET port abc
        CONFIG SET databases 32
        CONFIG SET tcp-keepalive 60
        CONFIG GET tcp-keepalive
        CONFIG RESETSTAT
        CONFIG RESETSTAT extra
        CONFIG REWRITE
    """)


def test_object_freq_with_lfu(d, restore_config):
    d.run("""
        CONFIG SET maxmemory-policy allkeys-lfu
        SET k v
        OBJECT FREQ k
        OBJECT IDLETIME k
    """)


def test_time_and_lastsave(d):
    a, b = d.check("TIME")
    now = time.time()
    for r in (a, b):
        secs, usecs = (int(x.value) for x in r.items())
        assert abs(secs - now) < 5 and 0 <= usecs < 1_000_000, r
    a, b = d.check("LASTSAVE")
    assert a.int() <= now + 1 and b.int() <= now + 1
    d.run("""
        TIME extra
        LASTSAVE extra
    """)


# --- INFO --------------------------------------------------------------------

INFO_ARGS = [(), ("default",), ("server",), ("clients",), ("memory",), ("persistence",),
             ("stats",), ("replication",), ("cpu",), ("commandstats",), ("errorstats",),
             ("keyspace",), ("all",), ("everything",), ("server", "clients"),
             ("SERVER",), ("bogus",)]


@pytest.mark.parametrize("args", INFO_ARGS, ids=lambda a: "_".join(a) or "none")
def test_info_sections_and_fields(d, args):
    d.run("""
        SET a 1
        SET b 2 EX 1000
        SELECT 2
        SET c 3
        SELECT 0
        INCR a
    """)
    d.check("INFO", *args)


def _info(conn, section) -> dict:
    text = conn.call("INFO", section).text()
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


def test_info_keyspace_counts(d):
    d.run(f"""
        MSET a 1 b 2
        SET c 3 EX 1000
        SELECT 5
        SET x 1
        SELECT 0
    """)
    ka, kb = _info(d.ref, "keyspace"), _info(d.tgt, "keyspace")
    strip = lambda v: v.rsplit(",avg_ttl=", 1)[0]
    assert {k: strip(v) for k, v in ka.items()} == {k: strip(v) for k, v in kb.items()}


def test_info_errorstats_and_commandstats_counts(d):
    d.run("""
        CONFIG RESETSTAT
        SET a 1
        GET a
        GET a
        INCR a
        LPUSH a x
        SET a 1 EX 0
        BOGUSCMD
        GET
    """)
    ea, eb = _info(d.ref, "errorstats"), _info(d.tgt, "errorstats")
    assert ea == eb
    ca, cb = _info(d.ref, "commandstats"), _info(d.tgt, "commandstats")
    counts = lambda m: {k: ",".join(p for p in v.split(",") if not p.startswith("usec"))
                        for k, v in m.items() if not k.startswith("cmdstat_lpush")}
    assert counts(ca) == counts(cb)
    sa, sb = _info(d.ref, "stats"), _info(d.tgt, "stats")
    for field in ("total_error_replies", "unexpected_error_replies", "keyspace_hits", "keyspace_misses",
                  "expired_keys", "evicted_keys"):
        assert sa.get(field) == sb.get(field), field


def test_info_versions_clients_rely_on(pair):
    """BullMQ needs redis_version >= 7.0.8 and maxmemory_policy; redis-py reads arch_bits."""
    from respwire import Conn
    with Conn(pair.tgt.port) as c:
        server = _info(c, "server")
        version = tuple(int(x) for x in server["redis_version"].split(".")[:3])
        assert version >= (7, 0, 8), server["redis_version"]
        assert server.get("arch_bits") == "64"
        assert _info(c, "memory").get("maxmemory_policy") == "noeviction"
        assert _info(c, "persistence").get("loading") == "0"
        if not TARGET_IS_REDIS:
            assert server.get("vermilion_version"), "INFO server lacks vermilion_version"


# --- COMMAND -----------------------------------------------------------------

def test_command_subcommands(d):
    d.run("""
        COMMAND COUNT
        COMMAND LIST
        COMMAND INFO get set
        COMMAND INFO GET bogus
        COMMAND GETKEYS SET k v
        COMMAND GETKEYS MSET a 1 b 2
        COMMAND GETKEYS GET
        COMMAND GETKEYS bogus a
        COMMAND GETKEYS PING
        COMMAND GETKEYS
        COMMAND BOGUS
        COMMAND COUNT extra
    """)


STRING_AND_KEY_COMMANDS = """get set setnx setex psetex getset getdel getex mget mset msetnx append strlen
incr incrby incrbyfloat decr decrby getrange setrange substr lcs del unlink exists type rename
renamenx copy move touch keys scan randomkey dbsize flushdb flushall swapdb select expire pexpire
expireat pexpireat ttl pttl expiretime pexpiretime persist ping echo quit reset hello auth
time lastsave""".split()


ISSUE3_COMMANDS = """hset hsetnx hget hmget hmset hgetall hdel hexists hlen hstrlen hkeys hvals hincrby
hincrbyfloat hrandfield hscan lpush rpush lpushx rpushx lpop rpop llen lrange lindex lset linsert lrem
ltrim lpos rpoplpush lmove lmpop blpop brpop brpoplpush blmove blmpop sadd srem smembers sismember
smismember scard spop srandmember smove sinter sintercard sinterstore sunion sunionstore sdiff
sdiffstore sscan zadd zincrby zrem zcard zcount zlexcount zscore zmscore zrank zrevrank zrange
zrangestore zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex zrevrange zpopmin zpopmax zmpop
zremrangebyrank zremrangebyscore zremrangebylex zunion zunionstore zinter zinterstore zintercard zdiff
zdiffstore zrandmember zscan bzpopmin bzpopmax bzmpop multi exec discard watch unwatch subscribe
unsubscribe psubscribe punsubscribe publish ssubscribe sunsubscribe spublish sort sort_ro""".split()


@pytest.mark.parametrize("cmd", STRING_AND_KEY_COMMANDS + ISSUE3_COMMANDS)
def test_command_info_entry(d2, cmd):
    """Arity, flags, key positions, ACL categories, key specs as Redis has them."""
    d2.check("COMMAND", "INFO", cmd)


@pytest.mark.parametrize("cmd", ["get", "set", "expire", "lcs", "scan"] + ISSUE3_COMMANDS)  # containers list subcommands in hash order
def test_command_docs_entry(d2, cmd):
    d2.check("COMMAND", "DOCS", cmd)


@pytest.mark.parametrize("args", [
    "ZUNIONSTORE dst 2 a b WEIGHTS 1 2", "ZINTER 3 a b c", "ZDIFF 1 a", "ZINTERCARD 2 a b LIMIT 1",
    "ZMPOP 2 a b MIN", "BZMPOP 0 2 a b MAX", "LMPOP 2 a b LEFT", "BLMPOP 0 1 a RIGHT", "SINTERCARD 2 a b",
    "BLPOP a b 0", "BLMOVE a b LEFT RIGHT 0", "ZRANGESTORE dst src 0 -1", "SMOVE a b m", "WATCH a b",
    "SSUBSCRIBE a b", "SPUBLISH ch m", "SORT_RO l BY w_*", "SORT l BY w_* GET x STORE dst LIMIT 0 1",
    "SORT l STORE a STORE b", "SORT l LIMIT store x STORE", "SORT l GET store",
])
def test_command_getkeys_issue3(d2, args):
    d2.check("COMMAND", "GETKEYS", *args.split())
    d2.check("COMMAND", "GETKEYSANDFLAGS", *args.split())


def test_command_table_lists_issue2_commands(d2):
    a, b = d2.check("COMMAND", "LIST")
    names = {x.value for x in b.items()}
    missing = sorted(c for c in STRING_AND_KEY_COMMANDS + ISSUE3_COMMANDS if c.encode() not in names)
    assert not missing, f"COMMAND LIST lacks {missing}"


# --- SLOWLOG -------------------------------------------------------------------

def test_slowlog(d, restore_config):
    d.run("""
        CONFIG SET slowlog-log-slower-than 0
        SLOWLOG RESET
        SET slow-key value
        GET slow-key
        CLIENT SETNAME slow-client
        ECHO hello
        SLOWLOG LEN
    """)
    a, b = d.check("SLOWLOG", "GET", "3")
    for ea, eb in zip(a.items(), b.items()):
        # id, timestamp, duration, args, client addr, client name
        assert ea.items()[3].raw == eb.items()[3].raw, (ea, eb)
        assert ea.items()[5].raw == eb.items()[5].raw, (ea, eb)
    d.run("""
        SLOWLOG GET 0
        SLOWLOG GET -1
        SLOWLOG GET abc
        SLOWLOG RESET
        SLOWLOG LEN
        CONFIG SET slowlog-log-slower-than -1
        SET not-logged 1
        SLOWLOG LEN
        SLOWLOG BOGUS
        SLOWLOG
    """)


def test_slowlog_truncates_long_arguments(d, restore_config):
    d.run("""
        CONFIG SET slowlog-log-slower-than 0
        SLOWLOG RESET
    """)
    d.check("MSET", *[f"k{i}" for i in range(40)])
    d.check("SET", "big", "x" * 200)
    a, b = d.check("SLOWLOG", "GET", "2")
    for ea, eb in zip(a.items(), b.items()):
        assert ea.items()[3].raw == eb.items()[3].raw, (ea, eb)
