"""Differential tests of long-running scripts (issue 4 item 5):
busy-reply-threshold, BUSY replies to other clients, SCRIPT KILL, FUNCTION
KILL, UNKILLABLE, FUNCTION STATS while a function runs, SHUTDOWN NOSAVE.

Every scenario runs on both servers with real sockets; the replies every
connection gets must be byte-identical. Scripts that would loop forever are
always killed (or their server shut down), and every read has a timeout.
The threshold is 100 ms and each step waits 300 ms or more after starting a
script before it expects BUSY, so the outcome does not hinge on timing.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from respwire import Conn
from servers import reference, target

# Long enough past the 100 ms threshold that the script is surely "busy".
PAST_THRESHOLD = 0.3
LOOP = "while true do end"
WRITE_THEN_LOOP = "redis.call('set','written','1') while true do end"
# Busy-waits for ARGV[1] ms of server time, then returns 7 (no os.clock in Redis 7.0).
TIMED = """
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
while true do
  t = redis.call('TIME')
  if t[1] * 1000000 + t[2] - start >= tonumber(ARGV[1]) * 1000 then break end
end
return 7
"""
LIB = """#!lua name=busylib
redis.register_function('loop', function(keys, args) while true do end end)
redis.register_function{function_name='roloop', callback=function(keys, args) while true do end end, flags={'no-writes'}}
"""


def as_dict(v):
    """A RESP3 map or a RESP2 flat array of pairs, as a dict."""
    return v if isinstance(v, dict) else dict(zip(v[::2], v[1::2]))


def both(pair):
    return [pair.ref, pair.tgt]


@pytest.fixture
def servers(pair):
    pair.ensure_running()
    for s in both(pair):
        with Conn(s.port) as c:
            c.call("FLUSHALL")
            c.call("FUNCTION", "FLUSH")
            c.call("CONFIG", "RESETSTAT")
            assert c.call("CONFIG", "SET", "busy-reply-threshold", "100").text() == "OK"
    yield pair
    for s in both(pair):
        with Conn(s.port) as c:
            # Whatever happened, leave no script running and the default threshold.
            c.call("SCRIPT", "KILL")
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000")


class Scene:
    """Named connections to both servers, each step applied to both."""

    def __init__(self, pair, proto=2):
        self.pair = pair
        self.proto = proto
        self.conns: dict[str, list[Conn]] = {}

    def open(self, name):
        self.conns[name] = [Conn(s.port, proto=self.proto, timeout=10) for s in both(self.pair)]

    def send(self, name, *args):
        for c in self.conns[name]:
            c.send_cmd(*args)

    def read(self, name):
        a, b = (c.read() for c in self.conns[name])
        assert a.raw == b.raw, f"{name}: redis {a.raw!r} vermilion {b.raw!r}"
        return a

    def call(self, name, *args):
        self.send(name, *args)
        return self.read(name)

    def close(self):
        for cs in self.conns.values():
            for c in cs:
                c.close()


@pytest.fixture
def sc(servers, proto):
    s = Scene(servers, proto)
    s.open("a")
    s.open("b")
    yield s
    s.close()


def test_script_kill_from_a_new_connection(sc):
    sc.call("b", "SET", "k", "v")
    sc.send("a", "EVAL", LOOP, "0")
    time.sleep(PAST_THRESHOLD)
    busy = sc.call("b", "PING")
    assert busy.text().startswith("BUSY Redis is busy running a script. You can only call SCRIPT KILL")
    sc.call("b", "GET", "k")
    # Unknown commands and wrong arity are refused before BUSY, as in Redis.
    sc.call("b", "NOSUCHCOMMAND")
    sc.call("b", "GET")
    sc.open("killer")
    assert sc.call("killer", "FUNCTION", "KILL").text().startswith("BUSY")
    assert sc.call("killer", "FUNCTION", "STATS").text().startswith("BUSY")
    assert sc.call("killer", "SHUTDOWN").text().startswith("BUSY")
    assert sc.call("killer", "SCRIPT", "KILL").text() == "OK"
    killed = sc.read("a")
    assert killed.text().startswith("ERR Script killed by user with SCRIPT KILL...")
    assert sc.call("b", "GET", "k").text() == "v"
    assert sc.call("killer", "SCRIPT", "KILL").text().startswith("NOTBUSY")
    # BUSY replies count as rejected calls and BUSY errors.
    info = sc.call("b", "INFO", "errorstats").text()
    assert "errorstat_BUSY:count=5" in info


def test_transaction_doomed_by_busy(sc):
    sc.call("b", "MULTI")
    sc.send("a", "EVAL", LOOP, "0")
    time.sleep(PAST_THRESHOLD)
    assert sc.call("b", "SET", "x", "1").text().startswith("BUSY")
    sc.open("killer")
    sc.call("killer", "SCRIPT", "KILL")
    sc.read("a")
    assert sc.call("b", "EXEC").text().startswith("EXECABORT")
    assert sc.call("b", "GET", "x").is_null
    # MULTI itself is allowed while busy; what follows is refused and dooms it.
    sc.send("a", "EVAL", LOOP, "0")
    time.sleep(PAST_THRESHOLD)
    assert sc.call("b", "MULTI").text() == "OK"
    assert sc.call("b", "SET", "x", "2").text().startswith("BUSY")
    sc.call("killer", "SCRIPT", "KILL")
    sc.read("a")
    assert sc.call("b", "EXEC").text().startswith("EXECABORT")
    assert sc.call("b", "GET", "x").is_null


def test_script_that_wrote_is_unkillable(servers, proto):
    s = Scene(servers, proto)
    try:
        s.open("a")
        s.open("k")
        s.send("a", "EVAL", WRITE_THEN_LOOP, "0")
        time.sleep(PAST_THRESHOLD)
        assert s.call("k", "SCRIPT", "KILL").text().startswith("UNKILLABLE")
        assert s.call("k", "FUNCTION", "KILL").text().startswith("UNKILLABLE")
    finally:
        s.close()
        # Only SHUTDOWN NOSAVE ends it: restart both servers.
        for srv in both(servers):
            with Conn(srv.port) as c:
                c.send_cmd("SHUTDOWN", "NOSAVE")
                c.read_until_closed(5)
            srv.proc.wait(10)
            srv.stop()
            srv.start()


def test_function_kill(sc):
    sc.call("b", "FUNCTION", "LOAD", LIB)
    sc.send("a", "FCALL", "loop", "1", "key", "arg")
    time.sleep(PAST_THRESHOLD)
    busy = sc.call("b", "GET", "key")
    assert busy.text().startswith("BUSY Redis is busy running a script. You can only call FUNCTION KILL")
    sc.open("killer")
    assert sc.call("killer", "SCRIPT", "KILL").text().startswith("BUSY")
    # FUNCTION STATS shows the running function; only duration_ms differs.
    got = []
    for c in sc.conns["killer"]:
        c.send_cmd("FUNCTION", "STATS")
        got.append(as_dict(c.read().py()))
    for g in got:
        rs = as_dict(g.pop(b"running_script"))
        assert rs[b"name"] == b"loop"
        assert rs[b"command"] == [b"FCALL", b"loop", b"1", b"key", b"arg"]
        assert rs[b"duration_ms"] >= 100
    assert got[0] == got[1]
    assert sc.call("killer", "FUNCTION", "KILL").text() == "OK"
    assert sc.read("a").text().startswith("ERR Script killed by user with SCRIPT KILL... script: loop")
    sc.send("a", "FCALL_RO", "roloop", "0")
    time.sleep(PAST_THRESHOLD)
    assert sc.call("killer", "FUNCTION", "KILL").text() == "OK"
    sc.read("a")
    assert sc.call("b", "PING").text() in ("PONG",)


def test_slow_script_finishes_and_busy_was_seen(sc):
    sc.send("a", "EVAL", TIMED, "0", "800")
    time.sleep(PAST_THRESHOLD)
    assert sc.call("b", "PING").text().startswith("BUSY")
    assert sc.read("a").int() == 7
    assert sc.call("b", "PING").text() == "PONG"
    # Under the threshold nothing is busy: a short script, then PING.
    sc.call("b", "CONFIG", "SET", "lua-time-limit", "5000")
    assert sc.call("b", "CONFIG", "GET", "busy-reply-threshold").py() in (
        [b"busy-reply-threshold", b"5000"], {b"busy-reply-threshold": b"5000"})
    sc.send("a", "EVAL", TIMED, "0", "200")
    time.sleep(0.05)
    sc.send("b", "PING")
    assert sc.read("a").int() == 7
    assert sc.read("b").text() == "PONG"


def exit_codes_while_busy(script: str, act) -> list:
    """For each server in turn: a dedicated one with a 100 ms busy
    threshold, `script` running from one connection until it is busy, then
    `act(srv, conn)`. Returns the exit statuses (None for a server that did
    not exit within 10 s)."""
    codes = []
    for make in (reference, target):
        srv = make(["--busy-reply-threshold", "100"]).start()
        try:
            a = Conn(srv.port, timeout=10)
            a.send_cmd("EVAL", script, "0")
            time.sleep(PAST_THRESHOLD)
            act(srv, a)
            codes.append(srv.proc.wait(10))
            a.close()
        except subprocess.TimeoutExpired:
            codes.append(None)
        finally:
            srv.cleanup()
    return codes


def test_shutdown_nosave_while_busy():
    """SHUTDOWN NOSAVE from a new connection ends a script that wrote and
    loops; both servers exit with status 0."""

    def act(srv, a):
        with Conn(srv.port, timeout=10) as k:
            assert k.call("SCRIPT", "KILL").text().startswith("UNKILLABLE")
            assert k.call("SHUTDOWN").text().startswith("BUSY")
            k.send_cmd("SHUTDOWN", "NOSAVE")
            data, closed = k.read_until_closed(10)
            assert data == b"" and closed
        data, closed = a.read_until_closed(10)
        assert data == b"" and closed

    assert exit_codes_while_busy(WRITE_THEN_LOOP, act) == [0, 0]


def test_subscriber_gets_messages_then_busy(sc):
    sc.call("b", "SUBSCRIBE", "ch")
    sc.send("a", "EVAL", "redis.call('publish','ch','m1') " + LOOP, "0")
    time.sleep(PAST_THRESHOLD)
    # In RESP2 GET is refused by the subscribed context before BUSY.
    sc.send("b", "PING")
    sc.send("b", "GET", "k")
    time.sleep(0.1)
    sc.open("killer")
    assert sc.call("killer", "SCRIPT", "KILL").text() == "OK"
    sc.read("a")
    # The message published before the loop comes first, then PING's BUSY.
    # (Vermilion writes these two only once the script ends: replies that
    # queue behind a pushed message wait for the connection's task.)
    assert sc.read("b").items()[-1].text() == "m1"
    assert sc.read("b").text().startswith("BUSY")
    sc.read("b")
    sc.call("b", "UNSUBSCRIBE", "ch")


def test_auth_and_hello_while_busy(server_pair):
    """A password-protected pair: a fresh connection gets NOAUTH before
    BUSY, authenticates with HELLO 3 while the script runs, kills it, and
    keeps both the login and RESP3 afterwards."""
    p = server_pair(["--requirepass", "pw", "--busy-reply-threshold", "100"])
    s = Scene(p)
    try:
        s.open("a")
        s.open("b")
        s.call("a", "AUTH", "pw")
        s.send("a", "EVAL", LOOP, "0")
        time.sleep(PAST_THRESHOLD)
        assert s.call("b", "GET", "k").text().startswith("NOAUTH")
        assert s.call("b", "SCRIPT", "KILL").text().startswith("NOAUTH")
        # HELLO's reply holds the client id, which differs: compare the rest.
        hello = []
        for c in s.conns["b"]:
            c.send_cmd("HELLO", "3", "AUTH", "default", "pw")
            r = c.read().py()
            r.pop(b"id")
            hello.append(r)
        assert hello[0] == hello[1] and hello[0][b"proto"] == 3
        for c in s.conns["b"]:
            c.proto = 3
        assert s.call("b", "PING").text().startswith("BUSY")
        assert s.call("b", "SCRIPT", "KILL").text() == "OK"
        assert s.read("a").text().startswith("ERR Script killed")
        assert s.call("b", "GET", "k").kind == b"_"
        assert s.call("b", "SET", "k", "v").text() == "OK"
    finally:
        s.close()


def test_signals_while_busy():
    """As Redis: SIGTERM during a looping script only schedules a shutdown
    (the server keeps serving BUSY); a SIGINT on top of it exits at once, status 1."""

    def act(srv, a):
        srv.proc.terminate()
        time.sleep(0.3)
        assert srv.proc.poll() is None
        with Conn(srv.port, timeout=10) as b:
            assert b.call("PING").text().startswith("BUSY")
        srv.proc.send_signal(signal.SIGINT)

    assert exit_codes_while_busy(LOOP, act) == [1, 1]
