"""Send the same commands to redis-server and vermilion-server; demand the same reply.

The default comparison is byte equality of each reply frame. The only
exceptions are the rules in allowlist.toml, looked up by command name (and
subcommand): each rule names a comparison mode and the reason the values may
legitimately differ. Nothing here decides on its own that a difference is fine.
"""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

import pytest

import servers
from respwire import Conn, Reply

# When the harness is checked redis-vs-redis, rules that demand a newer
# feature from the target cannot hold; such checks skip instead.
TARGET_IS_REDIS = servers.is_redis(servers.vermilion_bin())

ALLOWLIST_PATH = Path(__file__).with_name("allowlist.toml")

# Commands that issues 2 and 3 ask vermilion to implement. A reply of
# "-ERR unknown command" to anything *else* (XADD, PFADD, EVAL... of later
# issues, used only to set a case up) makes the test skip instead of fail.
ASKED_COMMANDS = set("""
GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND STRLEN
INCR INCRBY INCRBYFLOAT DECR DECRBY GETRANGE SETRANGE SUBSTR LCS
DEL UNLINK EXISTS TYPE RENAME RENAMENX COPY MOVE TOUCH KEYS SCAN RANDOMKEY
DBSIZE FLUSHDB FLUSHALL SWAPDB SELECT EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL
PTTL EXPIRETIME PEXPIRETIME PERSIST OBJECT
PING ECHO QUIT RESET HELLO AUTH CLIENT
INFO CONFIG TIME LASTSAVE COMMAND SLOWLOG MONITOR SHUTDOWN
""".split()) | set("""
HSET HSETNX HGET HMGET HMSET HGETALL HDEL HEXISTS HLEN HSTRLEN HKEYS HVALS HINCRBY
HINCRBYFLOAT HRANDFIELD HSCAN
LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS
RPOPLPUSH LMOVE LMPOP BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP
SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD
SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN
ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE ZRANK ZREVRANK ZRANGE ZRANGESTORE
ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZPOPMIN ZPOPMAX ZMPOP
ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZUNION ZUNIONSTORE ZINTER ZINTERSTORE
ZINTERCARD ZDIFF ZDIFFSTORE ZRANDMEMBER ZSCAN BZPOPMIN BZPOPMAX BZMPOP
MULTI EXEC DISCARD WATCH UNWATCH
SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH SSUBSCRIBE SUNSUBSCRIBE SPUBLISH PUBSUB
SORT SORT_RO
SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO
PFADD PFCOUNT PFMERGE PFDEBUG
GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER GEORADIUS_RO GEORADIUSBYMEMBER_RO
XADD XLEN XRANGE XREVRANGE XDEL XTRIM XREAD XSETID XINFO XGROUP XREADGROUP XACK XPENDING XCLAIM XAUTOCLAIM
""".split()) | set("""
EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT FCALL FCALL_RO FUNCTION
""".split()) | {"MEMORY"} | {"SAVE", "BGSAVE", "DUMP", "RESTORE", "BGREWRITEAOF"}

MODES = {"exact", "kind", "shape", "int-tolerance", "unordered", "unordered-pairs",
         "map-values", "client-fields", "target-only", "info-fields", "float-equal"}


def load_allowlist(path: Path = ALLOWLIST_PATH) -> dict:
    """Rules by match key ("CMD" or "CMD SUB", upper case)."""
    data = tomllib.loads(path.read_text())
    rules = {}
    for rule in data.get("diff", []):
        for key in ("id", "match", "compare", "reason"):
            if key not in rule:
                raise ValueError(f"allowlist rule {rule.get('id')!r} lacks {key!r}")
        if rule["compare"] not in MODES:
            raise ValueError(f"allowlist rule {rule['id']!r}: unknown compare {rule['compare']!r}")
        for m in rule["match"]:
            rules[m.upper()] = rule
    return rules


ALLOW = load_allowlist()


def rule_for(args, proto: int):
    name = _s(args[0]).upper() if args else ""
    keys = []
    if len(args) > 1:
        keys.append(f"{name} {_s(args[1]).upper()}")
    keys.append(name)
    for k in keys:
        r = ALLOW.get(k)
        if r and r.get("proto", proto) == proto:
            return r
    return None


def _s(x) -> str:
    if isinstance(x, bytes):
        return x.decode("latin-1")
    return str(x)


def fmt_cmd(args) -> str:
    return " ".join(shlex.quote(_s(a)) if len(_s(a)) < 80 else f"<{len(_s(a))} bytes>" for a in args)


# -- comparison modes --------------------------------------------------------

def shape(r: Reply):
    """Frame kinds and aggregate sizes; scalar values dropped (errors kept)."""
    if isinstance(r.value, list):
        if r.kind in (b"%", b"|"):
            return (r.kind, tuple((shape(k), shape(v)) for k, v in r.value))
        return (r.kind, tuple(shape(x) for x in r.value))
    if r.is_error:
        return (r.kind, r.value)
    return (r.kind, r.value is None)


def _parse_fields(text: str) -> list[list[tuple[str, str]]]:
    """CLIENT INFO/LIST text: one list of (field, value) per line."""
    out = []
    for line in text.strip("\n").split("\n"):
        fields = []
        for tok in line.split(" "):
            k, _, v = tok.partition("=")
            fields.append((k, v))
        out.append(fields)
    return out


def _parse_info(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    sections, cur = [], None
    for line in text.split("\r\n"):
        if line.startswith("# "):
            cur = (line[2:], [])
            sections.append(cur)
        elif line and cur is not None:
            k, _, v = line.partition(":")
            cur[1].append((k, v))
    return sections


def compare(rule, args, a: Reply, b: Reply) -> str | None:
    """None when the replies agree under the rule, else a short explanation."""
    mode = rule["compare"] if rule else "exact"
    if mode == "exact":
        return None if a.raw == b.raw else "bytes differ"
    if mode == "target-only":
        want = rule["expect"].encode().decode("unicode_escape").encode("latin-1")
        return None if b.raw == want else f"expected {want!r} from vermilion"
    if a.is_error or b.is_error or a.kind != b.kind:
        return None if a.raw == b.raw else "bytes differ (error or type)"
    if mode == "kind":
        return None
    if mode == "shape":
        return None if shape(a) == shape(b) else "shapes differ"
    if mode == "int-tolerance":
        if a.kind != b":":
            return None if a.raw == b.raw else "bytes differ"
        x, y = a.int(), b.int()
        if x < 0 or y < 0:
            return None if x == y else "special values differ"
        return None if abs(x - y) <= rule["tolerance"] else f"|{x} - {y}| > {rule['tolerance']}"
    if mode == "unordered":
        if not isinstance(a.value, list) or not isinstance(b.value, list):
            return None if a.raw == b.raw else "bytes differ"
        return None if sorted(x.raw for x in a.value) == sorted(x.raw for x in b.value) else "elements differ"
    if mode == "unordered-pairs":
        if not isinstance(a.value, list) or not isinstance(b.value, list):
            return None if a.raw == b.raw else "bytes differ"
        pa = sorted((k.raw, v.raw) for k, v in a.pairs())
        pb = sorted((k.raw, v.raw) for k, v in b.pairs())
        return None if pa == pb else "pairs differ"
    if mode == "map-values":
        ign = set(rule.get("ignore_values", []))
        pa, pb = a.pairs(), b.pairs()
        if [k.raw for k, _ in pa] != [k.raw for k, _ in pb]:
            return "map keys differ"
        for (k, va), (_, vb) in zip(pa, pb):
            key = k.text()
            if key in ign:
                if shape(va) != shape(vb):
                    return f"shape of {key!r} differs"
            elif va.raw != vb.raw:
                return f"value of {key!r} differs"
        return None
    if mode == "client-fields":
        ign = set(rule.get("ignore_values", []))
        extra = set(rule.get("extra_fields", []))
        la = _parse_fields(a.text())
        lb = [[f for f in line if f[0] not in extra] for line in _parse_fields(b.text())]
        if len(la) != len(lb):
            return f"{len(la)} vs {len(lb)} lines"
        for fa, fb in zip(la, lb):
            if [k for k, _ in fa] != [k for k, _ in fb]:
                return "field names or order differ"
            for (k, va), (_, vb) in zip(fa, fb):
                if k not in ign and va != vb:
                    return f"value of {k!r} differs ({va!r} vs {vb!r})"
        return None
    if mode == "info-fields":
        return compare_info(rule, a.text(), b.text())
    if mode == "float-equal":
        return None if float_equal(a, b) else "values differ (floats compared as numbers)"
    raise AssertionError(mode)


def _as_float(r: Reply):
    """The float a bulk string or RESP3 double spells, else None."""
    if r.kind not in (b"$", b",") or not isinstance(r.value, (bytes, bytearray)):
        return None
    try:
        return float(bytes(r.value).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None


def float_equal(a: Reply, b: Reply) -> bool:
    """Same structure and frame types; bulk strings / doubles that both parse
    as floats (inf and -inf included) compare as numbers, everything else byte
    for byte. For scores: Redis 7.0 prints %.17g, vermilion the shortest
    round-trip form (as Redis 7.2 does)."""
    if a.raw == b.raw:
        return True
    if a.kind != b.kind:
        return False
    if isinstance(a.value, list) or isinstance(b.value, list):
        if not (isinstance(a.value, list) and isinstance(b.value, list)) or len(a.value) != len(b.value):
            return False
        if a.kind in (b"%", b"|"):
            return all(float_equal(ka, kb) and float_equal(va, vb)
                       for (ka, va), (kb, vb) in zip(a.value, b.value))
        return all(float_equal(x, y) for x, y in zip(a.value, b.value))
    fa, fb = _as_float(a), _as_float(b)
    if fa is None or fb is None:
        return False
    return fa == fb or (fa != fa and fb != fb)


def compare_info(rule, ref_text: str, tgt_text: str) -> str | None:
    """Same sections in the same order; every reference field present.

    Values are not compared except for fields listed in exact_values; vermilion
    may add only the fields listed in extra_fields.
    """
    ra, rb = _parse_info(ref_text), _parse_info(tgt_text)
    if [s for s, _ in ra] != [s for s, _ in rb]:
        return f"sections differ: {[s for s, _ in ra]} vs {[s for s, _ in rb]}"
    extra_ok = set(rule.get("extra_fields", []))
    exact = set(rule.get("exact_values", []))
    problems = []
    for (sec, fa), (_, fb) in zip(ra, rb):
        da, db = dict(fa), dict(fb)
        if sec.lower() in ("commandstats", "errorstats", "keyspace"):
            # their field names follow the commands run and the keys present
            missing = set(da) - set(db)
        else:
            missing = [k for k, _ in fa if k not in db]
        if missing:
            problems.append(f"[{sec}] missing {sorted(missing)}")
        extra = [k for k in db if k not in da and k not in extra_ok
                 and sec.lower() not in ("commandstats", "errorstats", "keyspace")]
        if extra:
            problems.append(f"[{sec}] unexpected {extra}")
        for k in exact:
            if k in da and da[k] != db.get(k):
                problems.append(f"[{sec}] {k}: {da[k]!r} vs {db.get(k)!r}")
    return "; ".join(problems) or None


# -- the pair of connections -------------------------------------------------

class Differ:
    """One connection to each server, same protocol; check() compares replies."""

    def __init__(self, ref_port: int, tgt_port: int, proto: int = 2, auth=None):
        self.proto = proto
        self.ref = Conn(ref_port, proto=2, auth=None if proto == 3 else auth)
        self.tgt = Conn(tgt_port, proto=2, auth=None if proto == 3 else auth)
        if proto == 3:
            hello = ["HELLO", "3"] + (["AUTH", *auth] if auth else [])
            self.check(*hello)
            self.ref.proto = self.tgt.proto = 3

    def close(self):
        self.ref.close()
        self.tgt.close()

    def fail(self, args, a: Reply, b: Reply, why: str):
        raise AssertionError(
            f"[RESP{self.proto}] {fmt_cmd(args)}: {why}\n"
            f"  redis:     {a.raw[:600]!r}\n  vermilion: {b.raw[:600]!r}")

    def maybe_skip(self, args, b: Reply):
        name = _s(args[0]).upper()
        if (b.is_error and b.text().startswith("ERR unknown command")
                and name not in ASKED_COMMANDS):
            pytest.skip(f"vermilion lacks {name}, which issues 2 and 3 do not ask for "
                        f"(used here only to set up the case)")

    def check(self, *args, mode: str | None = None, **params) -> tuple[Reply, Reply]:
        """Send args to both servers; fail unless the replies agree."""
        a, b = self.ref.call(*args), self.tgt.call(*args)
        rule = rule_for(args, self.proto)
        if mode:
            rule = {"compare": mode, **params}
        why = compare(rule, args, a, b)
        if why and rule and rule["compare"] == "target-only" and TARGET_IS_REDIS:
            pytest.skip(f"{fmt_cmd(args)}: allow-listed as target-only, and the target is redis-server")
        if why:
            self.maybe_skip(args, b)
            self.fail(args, a, b, why)
        return a, b

    def check_each(self, ref_args, tgt_args) -> tuple[Reply, Reply]:
        """Like check(), for commands whose arguments name per-server things (ids, addresses)."""
        a, b = self.ref.call(*ref_args), self.tgt.call(*tgt_args)
        why = compare(rule_for(ref_args, self.proto), ref_args, a, b)
        if why:
            self.fail(ref_args, a, b, why)
        return a, b

    def run(self, script: str):
        """Check each line of a script (shlex syntax, '#' comments)."""
        for line in script.strip().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                self.check(*shlex.split(line))

    def raw(self, data: bytes, frames: int = 1) -> tuple[list, list]:
        """Send raw bytes to both and compare the next `frames` replies."""
        self.ref.send(data)
        self.tgt.send(data)
        ra = [self.ref.read() for _ in range(frames)]
        rb = [self.tgt.read() for _ in range(frames)]
        for a, b in zip(ra, rb):
            if a.raw != b.raw:
                self.fail([repr(data[:60])], a, b, "bytes differ")
        return ra, rb

    def scan_all(self, *args, max_calls: int = 10000) -> set:
        """Iterate SCAN to the end on both; compare the sets of keys returned."""
        sets = []
        for conn in (self.ref, self.tgt):
            cursor, seen = b"0", []
            for _ in range(max_calls):
                r = conn.call("SCAN", cursor, *args)
                if r.is_error:
                    seen = r.raw
                    break
                cursor = r.items()[0].value
                seen += [x.value for x in r.items()[1].items()]
                if cursor == b"0":
                    break
            else:
                raise AssertionError("SCAN did not finish")
            sets.append(seen if isinstance(seen, bytes) else set(seen))
        if sets[0] != sets[1]:
            raise AssertionError(f"SCAN {fmt_cmd(args)}: redis {sets[0]!r} vs vermilion {sets[1]!r}")
        return sets[0]
