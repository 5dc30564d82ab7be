"""redis-cli against vermilion-server, as the seed application's operators use it.

Each command runs through the real redis-cli binary against redis-server 7.0
and vermilion-server; outputs must be identical except where a value is a
measurement (then the field names must match). Every subprocess has a timeout.
"""

import re
import subprocess
import threading
import time

import pytest

from respwire import Conn
from servers import Pair

PW = "cli-pw"


def cli(port, *args, input=None, timeout=20):
    p = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
                       input=input, stdin=None if input is not None else subprocess.DEVNULL,
                       capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def both(pair, *args, input=None):
    """Run redis-cli against both servers; return {label: (rc, out, err)}."""
    return {s.label: cli(s.port, *args, input=input) for s in (pair.ref, pair.tgt)}


def assert_same(pair, *args, input=None):
    r = both(pair, *args, input=input)
    assert r["redis"] == r["vermilion"], f"redis-cli {' '.join(args)}:\n redis     {r['redis']!r}\n vermilion {r['vermilion']!r}"
    return r["redis"]


@pytest.fixture
def p(clipair):
    clipair.ensure_running()
    for s in (clipair.ref, clipair.tgt):
        with Conn(s.port) as c:
            c.call("FLUSHALL")
    return clipair


def seed_keys(pair):
    for s in (pair.ref, pair.tgt):
        with Conn(s.port) as c:
            c.call("MSET", "cron:lock:portfolio-update", "locked", "cron:lock:sync", "locked",
                   "cron:lock:report", "locked", "session:1", "x", "counter", "41")


def test_ping(p):
    assert assert_same(p, "ping") == (0, b"PONG\n", b"")
    assert assert_same(p, "PING", "hello")[1] == b"hello\n"


@pytest.mark.parametrize("section", ["stats", "memory", "server", "clients", "keyspace"])
def test_info_section_fields(p, section):
    seed_keys(p)
    r = both(p, "info", section)
    fields = {}
    for label, (rc, out, err) in r.items():
        assert rc == 0, (label, err)
        lines = out.decode().split("\r\n")
        fields[label] = [l.split(":")[0] for l in lines if l and not l.startswith("#")]
        assert lines[0] == f"# {section.capitalize()}", (label, lines[:2])
    missing = [f for f in fields["redis"] if f not in fields["vermilion"]]
    assert not missing, f"INFO {section} lacks {missing}"


def test_info_memory_upper_case(p):
    rc, out, _ = cli(p.tgt.port, "INFO", "memory")
    assert rc == 0 and b"used_memory:" in out and b"maxmemory_policy:" in out


@pytest.mark.parametrize("args", [
    ("DBSIZE",), ("GET", "counter"), ("GET", "missing"), ("INCR", "counter"),
    ("DEL", "cron:lock:portfolio-update"), ("DEL", "cron:lock:portfolio-update"),
    ("EXISTS", "session:1"), ("TYPE", "session:1"), ("MGET", "session:1", "missing"),
    ("SET", "k", "v", "NX", "EX", "300"), ("SET", "k", "v", "NX", "EX", "300"),
    ("--no-raw", "GET", "missing"), ("--no-raw", "MGET", "session:1", "missing"),
    ("--no-raw", "INCR", "counter"), ("--no-raw", "NOSUCHCMD"), ("--no-raw", "GET"),
    ("-3", "GET", "missing"), ("-3", "--no-raw", "GET", "missing"), ("-3", "--no-raw", "CONFIG", "GET", "maxmemory"),
    ("CONFIG", "GET", "maxmemory-policy"), ("OBJECT", "ENCODING", "counter"),
    ("--no-raw", "HELLO", "4"), ("ECHO", "a b\nc"),
], ids=lambda a: "_".join(a))
def test_same_output(p, args):
    seed_keys(p)
    assert_same(p, *args)


def test_keys_star(p):
    seed_keys(p)
    r = both(p, "KEYS", "*")
    assert sorted(r["redis"][1].split()) == sorted(r["vermilion"][1].split())
    assert len(r["redis"][1].split()) == 5


def test_scan_pattern(p):
    seed_keys(p)
    r = both(p, "--scan", "--pattern", "cron:lock:*")
    assert sorted(r["redis"][1].split()) == sorted(r["vermilion"][1].split())


def test_keys_pipe_xargs_del(p):
    seed_keys(p)
    out = {}
    for s in (p.ref, p.tgt):
        cmd = (f"redis-cli -h 127.0.0.1 -p {s.port} KEYS 'cron:lock:*' "
               f"| xargs redis-cli -h 127.0.0.1 -p {s.port} DEL")
        r = subprocess.run(["bash", "-c", cmd], stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        rest = cli(s.port, "KEYS", "*")[1]
        out[s.label] = (r.returncode, r.stdout, r.stderr, sorted(rest.split()))
    assert out["redis"] == out["vermilion"], out
    assert out["redis"][1] == b"3\n"


def test_slowlog_get_10(p):
    for s in (p.ref, p.tgt):
        with Conn(s.port) as c:
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0")
            c.call("SLOWLOG", "RESET")
            c.call("SET", "slow", "1")
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000")
    r = both(p, "SLOWLOG", "GET", "10")
    norm = {}
    for label, (rc, out, err) in r.items():
        assert rc == 0, err
        lines = out.decode().splitlines()
        # entry: id, time, duration, args..., addr, name -> keep the arguments
        norm[label] = [l for l in lines if not re.fullmatch(r"\d+|127\.0\.0\.1:\d+", l)]
    assert norm["redis"] == norm["vermilion"], norm


@pytest.fixture(scope="module")
def authpair():
    pp = Pair(["--requirepass", PW], ["--requirepass", PW]).start()
    yield pp
    pp.cleanup()


@pytest.mark.parametrize("args", [
    ("-a", PW, "ping"), ("--user", "default", "--pass", PW, "ping"), ("ping",),
    ("-a", "wrong", "ping"), ("--no-auth-warning", "-a", PW, "DBSIZE"),
    ("--user", "default", "--pass", "wrong", "ping"),
], ids=["a", "user-pass", "noauth", "wrong", "no-warning", "user-wrong"])
def test_auth_options(authpair, args):
    authpair.ensure_running()
    rc, out, err = assert_same(authpair, *args)
    if args == ("ping",):
        assert out.startswith(b"NOAUTH Authentication required.\n")


def test_auth_url(authpair):
    authpair.ensure_running()
    r = {s.label: subprocess.run(["redis-cli", "-u", f"redis://default:{PW}@127.0.0.1:{s.port}", "ping"],
                                 stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
         for s in (authpair.ref, authpair.tgt)}
    assert r["redis"].stdout == r["vermilion"].stdout == b"PONG\n"


def _monitor_lines(port, actions, want: int, limit=10.0):
    """Start `redis-cli monitor`, run actions from another client, collect lines."""
    mon = subprocess.Popen(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "monitor"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []
    reader = threading.Thread(target=lambda: [lines.append(l) for l in iter(mon.stdout.readline, b"")],
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + limit
        while not lines and time.monotonic() < deadline:
            time.sleep(0.02)
        assert lines and lines[0] == b"OK\n", lines
        with Conn(port) as c:
            actions(c)
        while len(lines) < want + 1 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        mon.terminate()
        mon.wait(5)
    return [l.decode("utf-8", "replace").rstrip("\n") for l in lines[1:]]


def test_monitor_line_format(p):
    def actions(c):
        c.call("SET", "k", "v")
        c.call("GET", "k")
        c.call("SELECT", "2")
        c.call("set", "quoted \"x\"", b"bin\x00\n\xff")
        c.call("SET", "", "")

    got = {}
    for s in (p.ref, p.tgt):
        got[s.label] = _monitor_lines(s.port, actions, 5)
    pat = re.compile(r'^\d{10}\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] (.*)$')
    norm = {}
    for label, lines in got.items():
        assert len(lines) >= 5, (label, lines)
        for l in lines:
            assert pat.match(l), (label, l)
        norm[label] = [pat.match(l).groups() for l in lines[:5]]
    assert norm["redis"] == norm["vermilion"], norm
    assert norm["redis"][0] == ("0", '"SET" "k" "v"')
