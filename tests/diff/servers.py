"""Start and stop the servers under test: redis-server 7.0 and vermilion-server.

Each server gets a free port on 127.0.0.1, a temporary --dir, no persistence,
and a log file. This module only manages processes; it does not speak RESP
beyond the readiness probe.

Environment:
  VERMILION_BIN      the server under test (default: target/release/vermilion-server).
                     Point it at redis-server to check the harness itself.
  REDIS_SERVER_BIN   the reference server (default: redis-server on PATH).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def vermilion_bin() -> str:
    return os.environ.get("VERMILION_BIN") or str(REPO / "target/release/vermilion-server")


def redis_bin() -> str:
    return os.environ.get("REDIS_SERVER_BIN") or shutil.which("redis-server") or "redis-server"


def is_redis(binary: str) -> bool:
    return Path(binary).name.startswith("redis-server")


def free_port() -> int:
    """An ephemeral port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process on 127.0.0.1:<free port>."""

    def __init__(self, binary: str, label: str, args: list[str] | None = None,
                 conf_text: str | None = None):
        self.binary = binary
        self.label = label
        self.extra = list(args or [])
        self.conf_text = conf_text
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.dir = Path(tempfile.mkdtemp(prefix=f"vmtest-{label}-"))
        self.log_path = self.dir / "server.log"
        self.starts = 0

    def argv(self) -> list[str]:
        argv = [self.binary]
        if self.conf_text is not None:
            conf = self.dir / "test.conf"
            conf.write_text(self.conf_text)
            argv.append(str(conf))
        argv += ["--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        if is_redis(self.binary):
            argv += ["--daemonize", "no"]
        return argv + self.extra

    def start(self, timeout: float = 20.0) -> "Server":
        last = ""
        for _attempt in range(3):  # a free port can be taken between probe and bind
            self.port = free_port()
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(self.argv(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=self.dir)
            log.close()
            self.starts += 1
            if self._wait_ready(timeout):
                return self
            last = self.log_tail()
            self.stop()
        raise RuntimeError(f"{self.label} ({self.binary}) did not start; log tail:\n{last}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"*1\r\n$4\r\nPING\r\n")
                    s.settimeout(2)
                    if s.recv(64)[:1] in (b"+", b"-"):  # -NOAUTH also means "up"
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def log_tail(self, n: int = 30) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


def reference(args=None, conf_text=None) -> Server:
    return Server(redis_bin(), "redis", args, conf_text)


def target(args=None, conf_text=None) -> Server:
    return Server(vermilion_bin(), "vermilion", args, conf_text)


class Pair:
    """The reference and the target server, restarted if one of them dies."""

    def __init__(self, ref_args=None, tgt_args=None):
        self.ref = reference(ref_args)
        self.tgt = target(tgt_args)

    def start(self):
        self.ref.start()
        self.tgt.start()
        return self

    def ensure_running(self):
        for s in (self.ref, self.tgt):
            if not s.alive():
                s.start()

    def cleanup(self):
        self.ref.cleanup()
        self.tgt.cleanup()
