"""The maxmemory suites of scripts/bench (issue 7): `--suite eviction` and `--suite memory`.

eviction: a cache workload replayed against redis-server and vermilion-server
with `maxmemory 64mb` under allkeys-lru and allkeys-lfu. Keys follow a Zipf
law (exponent 0.99 over a universe much larger than what fits); each request
is GET, and a miss is followed by SET of a 200-399 byte value, as a
read-through cache does. Requests go in pipelined batches: the GETs of batch
i travel with the SETs for the misses of batch i-1, so both servers see the
same command sequence (same seed). Reported: hit ratio after warm-up, and
the peak of used_memory / maxmemory sampled after every batch.

memory: RSS and used_memory per key for 1M string keys (16-byte keys and
values), 100k hashes of 5 small fields (sessions) and 1M string keys with a
TTL, each loaded into a fresh server.

Both are bounded: a fixed number of requests or keys, no time-based loops.
"""

from __future__ import annotations

import bisect
import random
import socket
import sys
import time

import servers
from respwire import Conn

MAXMEMORY = 64 * 1024 * 1024
UNIVERSE = 1_000_000
ZIPF_S = 0.99
BATCH = 500


def zipf_sequence(n: int, universe: int, s: float, seed: int) -> list[int]:
    """n key ids drawn from Zipf(s) over 0..universe-1, hottest first, then
    scattered by a fixed permutation so hot keys are not neighbours."""
    cdf, acc = [], 0.0
    for k in range(1, universe + 1):
        acc += 1.0 / k ** s
        cdf.append(acc)
    rnd = random.Random(seed)
    ranks = [bisect.bisect_left(cdf, rnd.random() * acc) for _ in range(n)]
    perm = list(range(universe))
    random.Random(seed + 1).shuffle(perm)
    return [perm[min(r, universe - 1)] for r in ranks]


def _key(k: int) -> bytes:
    return b"obj:%08d" % k


def _get(k: int) -> bytes:
    key = _key(k)
    return b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key)


def _set(k: int) -> bytes:
    key = _key(k)
    val = b"v" * (200 + (k * 7919) % 200)
    return b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(val), val)


class Replies:
    """Reads GET (bulk or null) and SET (+OK / -error) replies off a socket."""

    def __init__(self, sock: socket.socket):
        self.sock, self.buf, self.pos = sock, b"", 0

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line, self.pos = self.buf[self.pos:i], i + 2
                return line
            self._more()

    def _more(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise RuntimeError("server closed the connection")
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0

    def next(self) -> tuple[bytes, int]:
        """(type byte, bulk length or 0)."""
        line = self._line()
        t = line[:1]
        if t == b"$":
            n = int(line[1:])
            if n >= 0:
                while len(self.buf) - self.pos < n + 2:
                    self._more()
                self.pos += n + 2
            return t, n
        return t, 0


def info_memory(c: Conn) -> dict:
    text = c.call("INFO", "memory").text()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def replay(port: int, policy: str, seq: list[int], warmup: int) -> dict:
    with Conn(port) as c:
        c.call("FLUSHALL")
        c.call("CONFIG", "SET", "maxmemory-policy", policy)
        c.call("CONFIG", "SET", "maxmemory", str(MAXMEMORY))
        info = Conn(port)
        sock = socket.create_connection(("127.0.0.1", port))
        replies = Replies(sock)
        hits = gets = errors = 0
        peak = 0
        pending_sets: list[int] = []
        t0 = time.monotonic()
        for start in range(0, len(seq), BATCH):
            batch = seq[start:start + BATCH]
            sock.sendall(b"".join(map(_set, pending_sets)) + b"".join(map(_get, batch)))
            for _ in pending_sets:
                t, _n = replies.next()
                errors += t == b"-"
            pending_sets = []
            for i, k in enumerate(batch):
                t, n = replies.next()
                hit = t == b"$" and n >= 0
                if start + i >= warmup:
                    gets += 1
                    hits += hit
                if not hit:
                    pending_sets.append(k)
            peak = max(peak, int(info_memory(info)["used_memory"]))
        secs = time.monotonic() - t0
        st = dict(line.split(":", 1) for line in info.call("INFO", "stats").text().splitlines() if ":" in line)
        keys = info.call("DBSIZE").int()
        sock.close()
        info.close()
    return dict(hit=hits / max(1, gets), peak=peak / MAXMEMORY, over=peak - MAXMEMORY, errors=errors, secs=secs,
                evicted=int(st["evicted_keys"]), keys=keys)


def eviction_suite(requests: int) -> list[str]:
    warmup = requests // 3
    print(f"eviction: drawing {requests} Zipf({ZIPF_S}) keys over {UNIVERSE}", file=sys.stderr)
    seq = zipf_sequence(requests, UNIVERSE, ZIPF_S, seed=42)
    rows = {}
    for policy in ("allkeys-lru", "allkeys-lfu"):
        for srv in (servers.reference(), servers.target()):
            srv.start()
            try:
                r = replay(srv.port, policy, seq, warmup)
            finally:
                srv.cleanup()
            rows[(policy, srv.label)] = r
            print(f"eviction: {srv.label} {policy}: hit {r['hit']:.4f} peak {r['peak']:.4f} "
                  f"{r['secs']:.1f}s", file=sys.stderr)
    md = [f"Cache replay: {requests:,} GETs (SET on miss, values 200-399 B), keys Zipf({ZIPF_S}) over "
          f"{UNIVERSE:,} ids, `maxmemory 64mb`, batches of {BATCH} pipelined; hit ratio over the last "
          f"{requests - warmup:,} GETs; peak = max used_memory (INFO, after each batch) / maxmemory.\n",
          "| policy | server | hit ratio | peak used/maxmemory | peak - maxmemory B | keys at end | evicted "
          "| OOM errors | run s |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for (policy, label), r in rows.items():
        md.append(f"| {policy} | {label} | {r['hit']:.4f} | {r['peak']:.5f} | {r['over']:,} | {r['keys']:,} | "
                  f"{r['evicted']:,} | {r['errors']} | {r['secs']:.1f} |")
    for policy in ("allkeys-lru", "allkeys-lfu"):
        a, b = rows[(policy, "redis")], rows[(policy, "vermilion")]
        md.append(f"| {policy} | ratio vermilion/redis | {b['hit'] / a['hit']:.3f} | {b['peak'] / a['peak']:.3f} "
                  f"| | | | | |")
    md.append("")
    return md


def _pipe(port: int, gen, n: int, batch: int = 10000) -> float:
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as s:
        r = Replies(s)
        for start in range(0, n, batch):
            end = min(n, start + batch)
            s.sendall(b"".join(gen(i) for i in range(start, end)))
            for _ in range(start, end):
                t, _n = r.next()
                if t == b"-":
                    raise RuntimeError("error reply during load")
    return time.monotonic() - t0


def _cmd(*args: bytes) -> bytes:
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


LOADS = {
    "1M strings (16 B keys and values)": (1_000_000, lambda i: _cmd(b"SET", b"key:%012d" % i, b"val:%012d" % i)),
    "100k hashes of 5 fields (sessions)": (100_000, lambda i: _cmd(
        b"HSET", b"sess:%011d" % i, b"user", b"%d" % (i * 7), b"created", b"1732590000",
        b"ip", b"10.0.%d.%d" % (i % 250, i % 200), b"agent", b"Mozilla/5.0", b"csrf", b"%016x" % (i * 2654435761))),
    "1M strings with TTL (EX 100000)": (1_000_000, lambda i: _cmd(
        b"SET", b"key:%012d" % i, b"val:%012d" % i, b"EX", b"100000")),
}


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def memory_suite(scale: float = 1.0) -> list[str]:
    rows = {}
    for name, (n, gen) in LOADS.items():
        n = max(1000, int(n * scale))
        for srv in (servers.reference(), servers.target()):
            srv.start()
            try:
                time.sleep(0.3)
                with Conn(srv.port) as c:
                    b_used = int(info_memory(c)["used_memory"])
                b_rss = rss_bytes(srv.pid())
                secs = _pipe(srv.port, gen, n)
                time.sleep(1.0)  # background rehash settles
                with Conn(srv.port) as c:
                    used = int(info_memory(c)["used_memory"])
                    keys = c.call("DBSIZE").int()
                rss = rss_bytes(srv.pid())
            finally:
                srv.cleanup()
            rows[(name, srv.label)] = ((rss - b_rss) / keys, (used - b_used) / keys, keys, secs)
            print(f"memory: {srv.label} {name}: {keys} keys in {secs:.1f}s", file=sys.stderr)
    md = ["Memory per key, (after - before) / keys, each load in a fresh server:\n",
          "| load | keys | redis RSS B/key | vermilion RSS B/key | RSS ratio | redis used B/key "
          "| vermilion used B/key | used ratio |",
          "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in LOADS:
        r, v = rows[(name, "redis")], rows[(name, "vermilion")]
        md.append(f"| {name} | {v[2]:,} | {r[0]:.1f} | {v[0]:.1f} | {v[0] / r[0]:.2f} | {r[1]:.1f} | {v[1]:.1f} "
                  f"| {v[1] / r[1]:.2f} |")
    md.append("")
    return md
