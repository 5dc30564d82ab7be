"""redis-cli over TLS (`--tls --cacert --cert --key`), as operators use it
against a server protected with a password and TLS: the same outputs from
redis-server 7.0 and vermilion-server, both TLS-only (`port 0`).

Certificates come from tests/tls/gen-certs.sh at run time.
"""

import subprocess
import time
from pathlib import Path

import pytest

from servers import free_port, redis_bin, vermilion_bin

ROOT = Path(__file__).resolve().parents[2]
PW = "tls-pw"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-tls")
    subprocess.run([str(ROOT / "tests/tls/gen-certs.sh"), str(d)], check=True)
    return d


def tls_args(certs, client="client"):
    args = ["--tls", "--cacert", str(certs / "ca.crt")]
    if client:
        args += ["--cert", str(certs / f"{client}.crt"), "--key", str(certs / f"{client}.key")]
    return args


def cli(port, certs, *args, client="client", timeout=20):
    p = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *tls_args(certs, client), *args],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def servers(certs, tmp_path_factory):
    """{label: tls port} for a TLS-only, password-protected pair."""
    procs, ports = [], {}
    try:
        for label, binary in (("redis", redis_bin()), ("vermilion", vermilion_bin())):
            port = free_port()
            d = tmp_path_factory.mktemp(f"cli-tls-{label}")
            procs.append(subprocess.Popen(
                [binary, "--port", "0", "--bind", "127.0.0.1", "--save", "", "--dir", str(d),
                 "--requirepass", PW, "--tls-port", str(port),
                 "--tls-cert-file", str(certs / "server.crt"), "--tls-key-file", str(certs / "server.key"),
                 "--tls-ca-cert-file", str(certs / "ca.crt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
            deadline = time.monotonic() + 20
            while cli(port, certs, "--no-auth-warning", "-a", PW, "ping")[1] != b"PONG\n":
                assert time.monotonic() < deadline, f"{label} did not start with TLS"
                time.sleep(0.05)
            ports[label] = port
        yield ports
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)


def same(servers, certs, *args, client="client"):
    r = {label: cli(port, certs, *args, client=client) for label, port in servers.items()}
    assert r["redis"] == r["vermilion"], r
    return r["redis"]


@pytest.mark.parametrize("args", [
    ("ping",),
    ("-a", PW, "ping"),
    ("--no-auth-warning", "-a", PW, "SET", "cron:lock:job", "locked", "NX", "EX", "300"),
    ("--no-auth-warning", "-a", PW, "GET", "cron:lock:job"),
    ("--no-auth-warning", "-a", PW, "DBSIZE"),
    ("--no-auth-warning", "-a", PW, "KEYS", "cron:*"),
    ("--no-auth-warning", "-a", PW, "--user", "default", "--pass", "wrong", "ping"),
], ids=["noauth", "auth", "lock", "get", "dbsize", "keys", "wrongpass"])
def test_same_output_over_tls(servers, certs, args):
    rc, out, err = same(servers, certs, *args)
    if args == ("ping",):
        assert out.startswith(b"NOAUTH Authentication required.")


def test_info_over_tls(servers, certs):
    fields = {}
    for label, port in servers.items():
        rc, out, err = cli(port, certs, "--no-auth-warning", "-a", PW, "INFO", "stats")
        assert rc == 0, err
        fields[label] = [l.split(":")[0] for l in out.decode().splitlines() if ":" in l]
    assert fields["redis"] == fields["vermilion"]


def test_client_without_certificate_is_refused(servers, certs):
    for label, port in servers.items():
        rc, out, err = cli(port, certs, "--no-auth-warning", "-a", PW, "ping", client=None)
        assert b"PONG" not in out, label
