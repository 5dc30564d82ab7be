"""Stateful random tests: each collection type gets a Python model (dict,
list, set, score map) and a seeded random walk of commands. Every reply from
vermilion-server must equal what the model predicts, and the same commands go
to redis-server 7.0 whose replies must agree too, so the model itself is
checked against the reference. After the walk, the whole value is read back
and compared with the model. A failure names the seed and the step.
"""

import random

import pytest

from respwire import Conn

SEEDS = [11, 22, 33]
STEPS = 400


def fmt(x):
    return x.decode() if isinstance(x, bytes) else x


class Walk:
    def __init__(self, pair, seed):
        self.rng = random.Random(seed)
        self.seed = seed
        self.ref = Conn(pair.ref.port)
        self.tgt = Conn(pair.tgt.port)
        for c in (self.ref, self.tgt):
            c.call("FLUSHALL")
        self.log = []

    def close(self):
        self.ref.close()
        self.tgt.close()

    def run(self, args, expect, unordered=False):
        """Send to both; vermilion must equal redis and the model's `expect`."""
        args = [str(a) for a in args]
        self.log.append(" ".join(args))
        a, b = self.ref.call(*args).py(), self.tgt.call(*args).py()
        norm = (lambda v: sorted(v) if isinstance(v, list) else v) if unordered else (lambda v: v)
        where = f"seed {self.seed}, step {len(self.log)}: {' '.join(args)}\n  recent: {self.log[-6:]}"
        assert norm(b) == norm(a), f"{where}\n  redis {a!r}\n  vermilion {b!r}"
        if expect is not ...:
            assert norm(b) == norm(expect), f"{where}\n  model {expect!r}\n  vermilion {b!r}"
        return b


def elem(rng, n=12):
    return rng.choice([f"e{rng.randrange(n)}", str(rng.randrange(-5, 40)), "x" * rng.randrange(1, 80)])


@pytest.mark.parametrize("seed", SEEDS)
def test_hash_model(pair, seed):
    w, m = Walk(pair, seed), {}
    rng = w.rng
    try:
        for _ in range(STEPS):
            f, v = elem(rng), elem(rng)
            op = rng.randrange(9)
            if op < 3:
                new = f not in m
                m[f] = v
                w.run(["HSET", "h", f, v], int(new))
            elif op == 3:
                had = f in m
                m.pop(f, None)
                w.run(["HDEL", "h", f], int(had))
            elif op == 4:
                w.run(["HGET", "h", f], m.get(f, None) if f not in m else m[f].encode())
            elif op == 5:
                w.run(["HLEN", "h"], len(m))
            elif op == 6:
                cur = m.get(f, "0")
                try:
                    n = int(cur) + 3
                    if str(int(cur)) != cur:
                        raise ValueError
                except ValueError:
                    w.run(["HINCRBY", "h", f, 3], ...)
                    continue
                m[f] = str(n)
                w.run(["HINCRBY", "h", f, 3], n)
            elif op == 7:
                new = f not in m
                if new:
                    m[f] = v
                w.run(["HSETNX", "h", f, v], int(new))
            else:
                w.run(["HEXISTS", "h", f], int(f in m))
        for conn in (w.ref, w.tgt):
            got = conn.call("HGETALL", "h").py()
            pairs = dict(zip(got[::2], got[1::2])) if isinstance(got, list) else got
            assert {fmt(k): fmt(v) for k, v in pairs.items()} == m, f"seed {seed}: HGETALL differs from the model"
    finally:
        w.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_list_model(pair, seed):
    w, m = Walk(pair, seed), []
    rng = w.rng
    try:
        for _ in range(STEPS):
            e = elem(rng, 6)
            op = rng.randrange(10)
            if op < 2:
                m.insert(0, e)
                w.run(["LPUSH", "l", e], len(m))
            elif op < 4:
                m.append(e)
                w.run(["RPUSH", "l", e], len(m))
            elif op == 4:
                w.run(["LPOP", "l"], m.pop(0).encode() if m else None)
            elif op == 5:
                w.run(["RPOP", "l"], m.pop().encode() if m else None)
            elif op == 6:
                i = rng.randrange(-len(m) - 2, len(m) + 2)
                ok = -len(m) <= i < len(m)
                w.run(["LINDEX", "l", i], m[i].encode() if ok else None)
            elif op == 7:
                s, t = rng.randrange(-8, 8), rng.randrange(-8, 8)
                n = len(m)
                a = max(s + n if s < 0 else s, 0)
                b = min(t + n if t < 0 else t, n - 1)
                w.run(["LRANGE", "l", s, t], [x.encode() for x in m[a:b + 1]] if a <= b else [])
            elif op == 8:
                cnt = rng.randrange(-2, 3)
                removed, out, left = 0, [], abs(cnt)
                seq = m if cnt >= 0 else list(reversed(m))
                for x in seq:
                    if x == e and (cnt == 0 or left > 0):
                        removed += 1
                        left -= 1
                        continue
                    out.append(x)
                m[:] = out if cnt >= 0 else list(reversed(out))
                w.run(["LREM", "l", cnt, e], removed)
            else:
                w.run(["LLEN", "l"], len(m))
        w.run(["LRANGE", "l", 0, -1], [x.encode() for x in m])
    finally:
        w.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_set_model(pair, seed):
    w, m = Walk(pair, seed), set()
    rng = w.rng
    try:
        for _ in range(STEPS):
            e = elem(rng)
            op = rng.randrange(8)
            if op < 3:
                new = e not in m
                m.add(e)
                w.run(["SADD", "s", e], int(new))
            elif op == 3:
                had = e in m
                m.discard(e)
                w.run(["SREM", "s", e], int(had))
            elif op == 4:
                w.run(["SISMEMBER", "s", e], int(e in m))
            elif op == 5:
                w.run(["SCARD", "s"], len(m))
            elif op == 6:
                got = w.tgt.call("SPOP", "s").py()
                w.ref.call("SREM", "s", got if got is not None else "")
                w.log.append("SPOP s")
                if m:
                    assert got is not None and got.decode() in m, (seed, got, m)
                    m.discard(got.decode())
                else:
                    assert got is None
            else:
                w.run(["SINTERCARD", 1, "s"], len(m))
        w.run(["SMEMBERS", "s"], sorted(x.encode() for x in m), unordered=True)
    finally:
        w.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_zset_model(pair, seed):
    w, m = Walk(pair, seed), {}
    rng = w.rng
    try:
        def ordered():
            return sorted(m.items(), key=lambda kv: (kv[1], kv[0].encode()))

        for _ in range(STEPS):
            e = elem(rng)
            sc = rng.randrange(-20, 20)
            op = rng.randrange(9)
            if op < 3:
                new = e not in m
                m[e] = sc
                w.run(["ZADD", "z", sc, e], int(new))
            elif op == 3:
                had = e in m
                m.pop(e, None)
                w.run(["ZREM", "z", e], int(had))
            elif op == 4:
                w.run(["ZSCORE", "z", e], str(m[e]).encode() if e in m else None)
            elif op == 5:
                r = [k for k, _ in ordered()].index(e) if e in m else None
                w.run(["ZRANK", "z", e], r)
            elif op == 6:
                lo, hi = sorted((rng.randrange(-25, 25), rng.randrange(-25, 25)))
                w.run(["ZCOUNT", "z", lo, hi], sum(1 for v in m.values() if lo <= v <= hi))
            elif op == 7:
                s, t = rng.randrange(-5, 5), rng.randrange(-5, 5)
                items = [k.encode() for k, _ in ordered()]
                n = len(items)
                a = max(s + n if s < 0 else s, 0)
                b = min(t + n if t < 0 else t, n - 1)
                w.run(["ZRANGE", "z", s, t], items[a:b + 1] if a <= b else [])
            else:
                if m:
                    k, v = ordered()[0]
                    del m[k]
                    w.run(["ZPOPMIN", "z"], [k.encode(), str(v).encode()])
                else:
                    w.run(["ZPOPMIN", "z"], [])
        w.run(["ZRANGE", "z", 0, -1], [k.encode() for k, _ in ordered()])
    finally:
        w.close()
