"""Differential tests of streams (issue 5 item 1) against redis-server 7.0,
RESP2 and RESP3: XADD (every ID form, NOMKSTREAM, MAXLEN/MINID with = and ~,
LIMIT), XLEN, XRANGE/XREVRANGE (exclusive bounds, COUNT), XDEL, XTRIM,
XSETID, XREAD (including BLOCK woken by XADD, MULTI/EXEC), consumer groups
(XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM), XINFO, errors and
edge IDs (0-0, 18446744073709551615-18446744073709551615). Replies that
carry times (idle, delivery times, generated IDs) are compared by shape.
"""

import time

import pytest

from test_blocking import Clients
from test_pubsub import check_events

MAX = "18446744073709551615"

CASES = {
    "xadd-ids": f"""
        XADD s 1-1 f v
        XADD s 1-1 f v
        XADD s 1-0 f v
        XADD s 1 f v
        XADD s 1-* f v
        XADD s 2-* f v
        XADD s 2-* a b c d
        XADD s 0-0 f v
        XADD s2 0-0 f v
        EXISTS s2
        XADD s2 0 f v
        EXISTS s2
        XADD s2 0-1 f v
        XADD s abc f v
        XADD s 1-x f v
        XADD s -1 f v
        XADD s 1--1 f v
        XADD s " 3" f v
        XADD s +4 f v
        XADD s 005 f v
        XADD s 6-007 f v
        XADD s {MAX}-{MAX} f v
        XADD s {MAX}-* f v
        XADD s 99-0 f v
        XADD s 18446744073709551616-0 f v
        XADD s2 {MAX}-* f v
        XADD s2 {MAX}-* f v
        XLEN s
        XRANGE s - +
        XADD s 10-0 f
        XADD s 10-0
        XADD s 10-0 f v g
        XADD s NOMKSTREAM 11-0 f v
        XADD nokey NOMKSTREAM 1-0 f v
        EXISTS nokey
        SET str x
        XADD str 1-0 f v
        XLEN str
        XLEN nokey
        TYPE s
        OBJECT ENCODING s
    """,
    "xadd-trim": """
        XADD t MAXLEN 3 1-0 f 1
        XADD t MAXLEN 3 2-0 f 2
        XADD t MAXLEN 3 3-0 f 3
        XADD t MAXLEN 3 4-0 f 4
        XADD t MAXLEN = 3 5-0 f 5
        XRANGE t - +
        XADD t MAXLEN ~ 1 6-0 f 6
        XLEN t
        XADD t MINID 5 7-0 f 7
        XRANGE t - +
        XADD t MINID = 6-5 8-0 f 8
        XRANGE t - +
        XADD t MAXLEN -1 9-0 f v
        XADD t MAXLEN x 9-0 f v
        XADD t MAXLEN 1 MINID 1 9-0 f v
        XADD t LIMIT 10 9-0 f v
        XADD t MAXLEN 5 LIMIT 10 9-0 f v
        XADD t MAXLEN ~ 5 LIMIT 10 9-0 f v
        XADD t MAXLEN ~ 5 LIMIT -1 10-0 f v
        XADD t MINID bad 10-0 f v
        XADD t MAXLEN
        XTRIM t MAXLEN 2
        XRANGE t - +
        XTRIM t MAXLEN ~ 0
        XTRIM t MINID 100
        XLEN t
        XTRIM t
        XTRIM t BOGUS 1
        XTRIM t MAXLEN 1 LIMIT 5
        XTRIM t MAXLEN ~ 1 LIMIT 5
        XTRIM nokey MAXLEN 1
        XTRIM str MAXLEN 1
        SET str x
        XTRIM str MAXLEN 1
    """,
    "xrange": f"""
        XADD r 1-0 a 1
        XADD r 1-1 b 2
        XADD r 2-0 c 3
        XADD r 3-5 d 4 e 5
        XRANGE r - +
        XRANGE r - + COUNT 2
        XRANGE r - + COUNT 0
        XRANGE r - + COUNT -1
        XRANGE r - + COUNT x
        XRANGE r - + BOGUS
        XRANGE r 1 1
        XRANGE r (1-0 +
        XRANGE r - (2-0
        XRANGE r (1 (3
        XRANGE r ({MAX}-{MAX} +
        XRANGE r - (0-0
        XRANGE r ( +
        XRANGE r (- +
        XRANGE r 2 1
        XRANGE r 1-1 1-1
        XREVRANGE r + -
        XREVRANGE r + - COUNT 1
        XREVRANGE r (3-5 -
        XREVRANGE r 2 (1-0
        XREVRANGE r - +
        XRANGE nokey - +
        XRANGE nokey - + COUNT 0
        XRANGE r x +
        SET str x
        XRANGE str - +
    """,
    "xdel-xsetid": f"""
        XADD d 1-0 a 1
        XADD d 2-0 b 2
        XADD d 3-0 c 3
        XDEL d 2-0 2-0 9-0
        XRANGE d - +
        XDEL d 1-0
        XDEL d x
        XDEL nokey x
        XDEL d 3-0
        XLEN d
        EXISTS d
        XADD d 4-0 e 5
        XADD d 3-9 e 5
        XSETID d 2-0
        XSETID d 10-0
        XADD d 1700000000000-0 f v
        XSETID d 20-0 ENTRIESADDED 1
        XSETID d 20-0 ENTRIESADDED -1
        XSETID d 20-0 ENTRIESADDED 50 MAXDELETEDID 30-0
        XSETID d 20-0 ENTRIESADDED 50 MAXDELETEDID 15-0
        XSETID d 19-0
        XSETID d 20-0 BOGUS
        XSETID nokey 1-0
        XSETID d x
        XINFO STREAM d
        SET str x
        XSETID str 1-0
    """,
    "xread": """
        XADD a 1-0 f 1
        XADD a 2-0 f 2
        XADD b 5-0 g 1
        XREAD STREAMS a 0
        XREAD COUNT 1 STREAMS a b 0 0
        XREAD STREAMS a b 1-0 5-0
        XREAD STREAMS a b $ $
        XREAD STREAMS a nokey 0 0
        XREAD STREAMS nokey 0
        XREAD STREAMS a
        XREAD STREAMS a b 0
        XREAD COUNT x STREAMS a 0
        XREAD COUNT -5 STREAMS a 0
        XREAD BLOCK -1 STREAMS a 0
        XREAD BLOCK x STREAMS a 0
        XREAD STREAMS a >
        XREAD GROUP g c STREAMS a 0
        XREAD NOACK STREAMS a 0
        XREAD BOGUS STREAMS a 0
        XREAD COUNT 1
        XREAD STREAMS a x
        XREAD BLOCK 10 STREAMS a 0
        SET str x
        XREAD STREAMS str 0
        MULTI
        XREAD BLOCK 0 STREAMS a $
        EXEC
        EVAL "return redis.call('XREAD','BLOCK','0','STREAMS','a','$')" 0
        EVAL "return redis.pcall('xreadgroup','GROUP','g','c','BLOCK','0','STREAMS','a','>')" 0
        EVAL "return redis.call('XREAD','COUNT','1','STREAMS','a','0')" 0
    """,
    "groups": f"""
        XGROUP CREATE g grp $
        XGROUP CREATE g grp $ MKSTREAM
        XGROUP CREATE g grp $ MKSTREAM
        XADD g 1-0 f 1
        XADD g 2-0 f 2
        XADD g 3-0 f 3
        XGROUP CREATE g all 0
        XGROUP CREATE g bad x
        XGROUP CREATE g er 0 ENTRIESREAD -2
        XGROUP CREATE g er 0 ENTRIESREAD 1
        XGROUP CREATE g er2 0 BOGUS
        XINFO GROUPS g
        XREADGROUP GROUP all alice COUNT 1 STREAMS g >
        XREADGROUP GROUP all bob STREAMS g >
        XREADGROUP GROUP all bob STREAMS g >
        XREADGROUP GROUP all alice STREAMS g 0
        XREADGROUP GROUP all bob STREAMS g 0
        XREADGROUP GROUP all bob COUNT 1 STREAMS g 2-0
        XREADGROUP GROUP nope bob STREAMS g >
        XREADGROUP GROUP all bob STREAMS nokey >
        XREADGROUP GROUP all bob STREAMS g $
        XREADGROUP STREAMS g >
        XREADGROUP GROUP all
        XINFO GROUPS g
        XACK g all 1-0 9-0
        XACK g all 1-0
        XACK g all x
        XACK g nope 1-0
        XACK nokey all 1-0
        XPENDING g all
        XPENDING g all - + 10
        XPENDING g all - + 10 bob
        XPENDING g all - + 10 nobody
        XPENDING g all - + 0
        XPENDING g all (2-0 + 10
        XPENDING g all - + x
        XPENDING g all x + 10
        XPENDING g all - +
        XPENDING g nope
        XPENDING nokey all
        XPENDING g all IDLE 0 - + 10
        XPENDING g all IDLE 999999 - + 10
        XPENDING g all IDLE x - + 10
        XPENDING g all IDLE 0 - +
        XREADGROUP GROUP all carol NOACK STREAMS g 0
        XADD g 4-0 f 4
        XREADGROUP GROUP all carol NOACK STREAMS g >
        XPENDING g all
        XGROUP CREATECONSUMER g all dave
        XGROUP CREATECONSUMER g all dave
        XGROUP CREATECONSUMER g nope dave
        XGROUP DELCONSUMER g all bob
        XGROUP DELCONSUMER g all nobody
        XPENDING g all
        XGROUP SETID g all 0
        XGROUP SETID g all $
        XGROUP SETID g all 1-0 ENTRIESREAD 1
        XGROUP SETID g all 1-0 ENTRIESREAD -3
        XGROUP SETID g all 1-0 BOGUS 1
        XGROUP SETID g nope 0
        XGROUP SETID g all x
        XINFO GROUPS g
        XGROUP DESTROY g all
        XGROUP DESTROY g all
        XGROUP CREATE nokey g2 0
        XGROUP DESTROY nokey g
        XGROUP BOGUS g x
        SET str x
        XGROUP CREATE str g 0
        XINFO GROUPS nokey
        XINFO STREAM nokey
        XINFO STREAM g BOGUS
        XINFO STREAM g FULL COUNT x
    """,
    # CVE-2022-31144 / CVE-2022-35951 (../shared/reference/bad-inputs.md).
    "cve-xautoclaim": """
        XADD x 1-0 a 1
        XADD x 2-0 a 2
        XADD x 3-0 a 3
        XGROUP CREATE x grp 0
        XREADGROUP GROUP grp Alice STREAMS x >
        XAUTOCLAIM x grp Bob 0 3-0 COUNT 8070450532247928833
        XAUTOCLAIM x grp Bob 0 3-0 COUNT 576460752303423487
        XDEL x 1-0 2-0
        XAUTOCLAIM x grp Bob 0 0 COUNT 1
        XAUTOCLAIM x grp Bob 0 0 COUNT 1
        XAUTOCLAIM x grp Bob 0 0 COUNT 1
        XPENDING x grp
        PING
    """,
    "lag-and-entries-read": """
        XADD l 1-0 f v
        XADD l 2-0 f v
        XADD l 3-0 f v
        XGROUP CREATE l g1 0
        XGROUP CREATE l g2 $
        XGROUP CREATE l g3 0 ENTRIESREAD 2
        XINFO GROUPS l
        XREADGROUP GROUP g1 c COUNT 1 STREAMS l >
        XINFO GROUPS l
        XDEL l 2-0
        XINFO GROUPS l
        XREADGROUP GROUP g1 c STREAMS l >
        XINFO GROUPS l
        XADD l 4-0 f v
        XINFO GROUPS l
        XTRIM l MAXLEN 0
        XINFO GROUPS l
        XINFO STREAM l
    """,
}


def run(d, script):
    """d.run, comparing by shape the replies that carry times (idle, delivery times)."""
    import shlex
    for line in script.strip().splitlines():
        args = shlex.split(line)
        timed = ((args[0] == "XPENDING" and len(args) > 3) or args[:2] == ["XINFO", "CONSUMERS"]
                 or (args[0] == "XADD" and "*" in args))
        d.check(*args, mode="shape" if timed else None)


@pytest.mark.parametrize("name", sorted(CASES))
def test_stream_script(d, name):
    run(d, CASES[name])


def test_xinfo_stream_and_full(d):
    d.run("""
        XADD i 1-0 a 1 b 2
        XADD i 2-0 a 3 b 4
        XADD i 3-0 c 5
        XDEL i 2-0
        XGROUP CREATE i g 0
    """)
    # Node counts of Redis's radix tree and delivery times differ by design: compare shapes.
    d.check("XINFO", "STREAM", "i", mode="shape")
    d.check("XREADGROUP", "GROUP", "g", "c", "STREAMS", "i", ">")
    d.check("XINFO", "STREAM", "i", "FULL", mode="shape")
    d.check("XINFO", "STREAM", "i", "FULL", "COUNT", "1", mode="shape")
    d.check("XINFO", "CONSUMERS", "i", "g", mode="shape")
    d.check("XINFO", "CONSUMERS", "i", "nope")


def test_auto_ids_and_claims(d):
    d.check("XADD", "a", "*", "f", "v", mode="shape")
    d.check("XADD", "a", "*", "f", "v", mode="shape")
    d.check("XLEN", "a")
    d.run("""
        XADD c 1-0 f 1
        XADD c 2-0 f 2
        XADD c 3-0 f 3
        XADD c 4-0 f 4
        XGROUP CREATE c g 0
        XREADGROUP GROUP g alice STREAMS c >
        XDEL c 2-0
        XCLAIM c g bob 0 1-0 2-0 JUSTID
        XCLAIM c g bob 0 3-0 RETRYCOUNT 7
        XCLAIM c g bob 999999 4-0
        XCLAIM c g bob 0 9-0 FORCE
        XCLAIM c g bob 0 4-0 FORCE JUSTID LASTID 100-0
        XINFO GROUPS c
        XCLAIM c g bob x 1-0
        XCLAIM c g bob 0 1-0 IDLE x
        XCLAIM c g bob 0 1-0 TIME x
        XCLAIM c g bob 0 1-0 RETRYCOUNT x
        XCLAIM c g bob 0 1-0 BOGUS
        XCLAIM c g bob 0 1-0 LASTID x
        XCLAIM c nope bob 0 1-0
        XCLAIM nokey g bob 0 1-0
        XAUTOCLAIM c g carol 0 0 COUNT 1
        XAUTOCLAIM c g carol 0 0 JUSTID
        XAUTOCLAIM c g carol 0 (3-0
        XAUTOCLAIM c g carol 999999 0
        XAUTOCLAIM c g carol 0 0 COUNT 0
        XAUTOCLAIM c g carol 0 0 COUNT x
        XAUTOCLAIM c g carol 0 0 COUNT 9223372036854775807
        XAUTOCLAIM c g carol x 0
        XAUTOCLAIM c g carol 0 x
        XAUTOCLAIM c g carol 0 0 BOGUS
        XAUTOCLAIM c nope carol 0 0
        XAUTOCLAIM nokey g carol 0 0
        XADD c 5-0 f 5
        XADD c 6-0 f 6
        XREADGROUP GROUP g dave STREAMS c >
        XDEL c 5-0
        XAUTOCLAIM c g erin 0 0 COUNT 2
        XAUTOCLAIM c g erin 0 0
    """)
    d.check("XPENDING", "c", "g", "-", "+", "100", mode="shape")
    d.check("XCLAIM", "c", "g", "bob", "0", "6-0", "IDLE", "5000", mode="shape")
    d.check("XPENDING", "c", "g", "IDLE", "4000", "-", "+", "10", mode="shape")


def test_edge_ids(d):
    d.run(f"""
        XADD e {MAX}-{MAX} f v
        XADD e * f v
        XADD e {MAX}-* f v
        XRANGE e - +
        XRANGE e {MAX} {MAX}
        XREVRANGE e + -
        XREAD STREAMS e {MAX}-{MAX}
        XREAD STREAMS e 0-0
    """)
    d.check("XINFO", "STREAM", "e", mode="shape")


@pytest.fixture
def cl(pair, proto):
    c = Clients(pair, proto, 3)
    for conns in (c.ref, c.tgt):
        conns[0].call("FLUSHALL")
    yield c
    c.close()


def test_xread_block_woken_by_xadd(cl):
    cl.send(0, "XADD", "s", "1-0", "f", "old")
    cl.read(0)
    cl.send(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    cl.send(2, "XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", "nokey", "$", "$")
    time.sleep(0.1)
    assert cl.pending(1, 0.05) == b""
    cl.send(0, "XADD", "s", "2-0", "f", "new")
    cl.read(0)
    cl.read(1)
    cl.read(2)


def test_xread_block_woken_by_exec_and_times_out(cl):
    cl.send(1, "XREAD", "BLOCK", "0", "STREAMS", "m", "0")
    time.sleep(0.1)
    for args in (["MULTI"], ["XADD", "m", "5-0", "a", "1"], ["XADD", "m", "6-0", "b", "2"], ["EXEC"]):
        cl.send(0, *args)
        cl.read(0)
    cl.read(1)
    cl.send(2, "XREAD", "BLOCK", "50", "STREAMS", "m", "$")
    time.sleep(0.2)
    cl.read(2)


def test_xread_block_not_woken_by_xdel(cl):
    cl.send(0, "XADD", "s", "1-0", "f", "v")
    cl.read(0)
    cl.send(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    time.sleep(0.1)
    cl.send(0, "XDEL", "s", "1-0")
    cl.read(0)
    assert cl.pending(1, 0.1) == b""
    cl.send(0, "XADD", "s", "3-0", "f", "v")
    cl.read(0)
    cl.read(1)


def test_xreadgroup_block(cl):
    cl.send(0, "XGROUP", "CREATE", "q", "g", "$", "MKSTREAM")
    cl.read(0)
    cl.send(1, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "q", ">")
    time.sleep(0.05)
    cl.send(2, "XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "q", ">")
    time.sleep(0.1)
    cl.send(0, "XADD", "q", "1-0", "job", "a")
    cl.read(0)
    cl.read(1)
    assert cl.pending(2, 0.1) == b""
    cl.send(0, "XADD", "q", "2-0", "job", "b")
    cl.read(0)
    cl.read(2)
    cl.send(0, "XPENDING", "q", "g")
    cl.read(0)


def test_stream_events(d, pair):
    check_events(d, pair, [
        "XADD s 1-0 f v", "XADD s MAXLEN 1 2-0 f v", "XDEL s 2-0", "XDEL s 2-0",
        "XTRIM s MAXLEN 0", "XSETID s 5-0", "XGROUP CREATE s g 0",
        "XGROUP CREATE n g 0 MKSTREAM", "XADD s 6-0 f v",
        "XREADGROUP GROUP g c STREAMS s >", "XGROUP CREATECONSUMER s g c2",
        "XGROUP DELCONSUMER s g c2", "XGROUP SETID s g 0", "XACK s g 6-0",
        "XCLAIM s g c3 0 6-0 FORCE", "XGROUP DESTROY s g"])


def test_xread_block_woken_by_script(cl):
    cl.send(0, "XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM")
    cl.read(0)
    cl.send(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    cl.send(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s2", ">")
    time.sleep(0.1)
    assert cl.pending(2, 0.05) == b""
    cl.send(0, "EVAL", "redis.call('XADD', KEYS[1], '7-0', 'by', 'script') "
                       "redis.call('XADD', KEYS[2], '8-0', 'by', 'script') return 1", "2", "s", "s2")
    cl.read(0)
    cl.read(1)
    cl.read(2)
