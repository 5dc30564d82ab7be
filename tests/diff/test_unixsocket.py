"""`unixsocket` / `unixsocketperm`: both servers listen on a unix socket
beside their TCP port; replies, CLIENT LIST fields (addr/laddr `<path>:0`,
flag U), the socket file's mode, protected mode, a stale file from an
earlier run, redis-cli -s, and removal of the file at SHUTDOWN.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from respwire import Conn
from servers import Pair


@pytest.fixture
def unix_pair(tmp_path):
    made = []

    def make(*extra, perm="700"):
        # Paths of one length: Redis cuts a client's addr at 77 bytes.
        paths = [str(tmp_path / f"{who}.sock") for who in ("ref", "tgt")]
        args = [["--unixsocket", p, "--unixsocketperm", perm, *extra] for p in paths]
        p = Pair(args[0], args[1]).start()
        p.ref.sock, p.tgt.sock = paths
        made.append(p)
        return p

    yield make
    for p in made:
        p.cleanup()


def same(pair, fn):
    r, t = fn(pair.ref), fn(pair.tgt)
    assert r == t, f"redis={r!r} vermilion={t!r}"
    return r


def normalized_client_line(line: str, path: str) -> str:
    line = line.replace(path, "<sock>")
    return re.sub(r"\b(id|fd|age|idle|tot-mem|qbuf-free|rbs|rbp)=\d+", r"\1=#", line.strip())


@pytest.mark.parametrize("proto", [2, 3])
def test_replies_and_client_fields_over_unix_socket(unix_pair, proto):
    pair = unix_pair()

    def run(srv):
        c = Conn(0, unix=srv.sock, proto=proto)
        out = [c.call("SET", "cron:lock:job", "locked", "NX", "EX", "300").raw,
               c.call("GET", "cron:lock:job").raw, c.call("DEL", "cron:lock:job").raw]
        out += [r.raw for r in c.pipeline([("INCR", "n")] * 500)][-2:]
        line = c.call("CLIENT", "INFO").value.decode()
        out.append(normalized_client_line(line, srv.sock).split(" lib-name")[0])
        out.append(c.call("CONFIG", "GET", "unixsocketperm").raw)
        c.call("FLUSHALL")
        return out

    r = same(pair, run)
    assert "addr=<sock>:0 laddr=<sock>:0" in r[-2] and "flags=U" in r[-2], r[-2]


def test_long_socket_path_is_cut_in_client_addr():
    """Redis shows a unix client's addr as `<path>:0` cut to 77 bytes.
    (About 85 bytes here: longer than that, under the 107 a socket path
    may have.)"""
    base = Path(tempfile.mkdtemp(prefix="vmunix"))
    d = base / ("d" * 60)
    d.mkdir()
    paths = [str(d / f"{who}.sock") for who in ("ref", "tgt")]
    pair = Pair(["--unixsocket", paths[0]], ["--unixsocket", paths[1]]).start()
    try:
        pair.ref.sock, pair.tgt.sock = paths
        addrs = same(pair, lambda s: [f for f in Conn(0, unix=s.sock).call("CLIENT", "INFO").value.decode().split()
                                      if f.startswith(("addr=", "laddr="))][0][len("addr="):].replace(s.sock, "<sock>"))
        assert 77 < len(paths[0]) + 2 < 108 and not addrs.endswith(":0"), addrs
    finally:
        pair.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def test_socket_file_mode(unix_pair):
    pair = unix_pair(perm="770")
    modes = same(pair, lambda s: stat.S_IMODE(os.stat(s.sock).st_mode))
    assert modes == 0o770
    assert same(pair, lambda s: stat.S_ISSOCK(os.stat(s.sock).st_mode)) is True


def test_unix_clients_pass_protected_mode(unix_pair):
    """Protected mode refuses non-loopback TCP clients without a password; a
    unix socket client is local, and may also change protected configs
    under `enable-protected-configs local`."""
    pair = unix_pair("--enable-protected-configs", "local")
    assert same(pair, lambda s: Conn(0, unix=s.sock).call("PING").raw) == b"+PONG\r\n"
    got = same(pair, lambda s: Conn(0, unix=s.sock).call("CONFIG", "SET", "dir", str(os.path.dirname(s.sock))).raw)
    assert got == b"+OK\r\n"


def test_stale_socket_file_is_replaced(tmp_path):
    paths = [str(tmp_path / f"{who}.sock") for who in ("redis", "vermilion")]
    for p in paths:
        s = socket.socket(socket.AF_UNIX)
        s.bind(p)  # a file left behind: nobody listens on it
        s.close()
    pair = Pair(["--unixsocket", paths[0]], ["--unixsocket", paths[1]]).start()
    try:
        pair.ref.sock, pair.tgt.sock = paths
        assert same(pair, lambda s: Conn(0, unix=s.sock).call("PING").raw) == b"+PONG\r\n"
    finally:
        pair.cleanup()


def test_redis_cli_dash_s_and_shutdown_removes_the_file(unix_pair):
    pair = unix_pair()

    def run(srv):
        out = subprocess.run(["redis-cli", "-s", srv.sock, "SET", "k", "v"], capture_output=True,
                             stdin=subprocess.DEVNULL, timeout=20).stdout
        out += subprocess.run(["redis-cli", "-s", srv.sock, "GET", "k"], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=20).stdout
        subprocess.run(["redis-cli", "-s", srv.sock, "SHUTDOWN", "NOSAVE"], capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=20)
        srv.proc.wait(10)
        return out, os.path.exists(srv.sock)

    assert same(pair, run) == (b"OK\nv\n", False)


def test_config_set_unixsocket_is_refused_identically(unix_pair):
    pair = unix_pair()
    r = same(pair, lambda s: Conn(s.port).call("CONFIG", "SET", "unixsocket", "/tmp/elsewhere.sock").raw)
    assert r.startswith(b"-ERR CONFIG SET failed (possibly related to argument 'unixsocket')")


def test_busy_script_killed_from_a_new_unix_connection(unix_pair):
    """While a script runs past busy-reply-threshold, a client that connects
    through the unix socket gets BUSY and can SCRIPT KILL it."""
    pair = unix_pair("--busy-reply-threshold", "100")
    loop = "local i = 0 while true do i = i + 1 end"
    runners = []
    for srv in (pair.ref, pair.tgt):
        c = Conn(srv.port, timeout=20)
        c.send_cmd("EVAL", loop, "0")
        runners.append(c)
    time.sleep(0.5)

    def kill(srv):
        c = Conn(0, unix=srv.sock, timeout=10)
        return [c.call("PING").raw[:5], c.call("SCRIPT", "KILL").raw]

    assert same(pair, kill) == [b"-BUSY", b"+OK\r\n"]
    killed = [c.read().raw for c in runners]
    assert killed[0] == killed[1] and killed[0].startswith(b"-ERR Script killed by user")
