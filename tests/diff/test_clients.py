"""CLIENT LIST / CLIENT KILL / INFO clients as operators read them: client
classes (TYPE pubsub), the last command (`cmd=`), argument and buffer
sizes, and the output backlog of a subscriber that stopped reading. The
numbers differ between servers (buffer sizes are implementation details,
which is why the allow-list ignores them in the differential scripts);
these tests check, on both servers alike, what each field must show.
"""

import socket
import time

import pytest

from respwire import Conn


def fields(line: str) -> dict:
    return dict(f.split("=", 1) for f in line.split(" ") if "=" in f)


def client_list(conn: Conn, *args) -> list[dict]:
    text = conn.call("CLIENT", "LIST", *args).value.decode()
    return [fields(l) for l in text.splitlines() if l]


def info_field(conn: Conn, section: str, name: str) -> int:
    for line in conn.call("INFO", section).value.decode().splitlines():
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1])
    raise AssertionError(f"INFO {section} has no {name}")


@pytest.fixture
def ports(pair):
    pair.ensure_running()
    return [("redis", pair.ref.port), ("vermilion", pair.tgt.port)]


def test_type_pubsub_holds_every_kind_of_subscriber(ports):
    for label, port in ports:
        admin = Conn(port)
        subs = []
        for cmd in ("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"):
            c = Conn(port)
            c.call("CLIENT", "SETNAME", f"sub-{cmd.lower()}")
            c.call(cmd, "ch*")
            subs.append(c)
        plain = Conn(port)
        plain.call("CLIENT", "SETNAME", "plain")
        pubsub = {f["name"] for f in client_list(admin, "TYPE", "pubsub")}
        normal = {f["name"] for f in client_list(admin, "TYPE", "normal")}
        assert pubsub == {"sub-subscribe", "sub-psubscribe", "sub-ssubscribe"}, (label, pubsub)
        assert "plain" in normal and not normal & pubsub, (label, normal)
        # Unsubscribing from everything makes a client normal again.
        subs[0].call("UNSUBSCRIBE")
        assert "sub-subscribe" in {f["name"] for f in client_list(admin, "TYPE", "normal")}, label
        # CLIENT KILL TYPE pubsub takes only the (remaining) subscribers.
        assert admin.call("CLIENT", "KILL", "TYPE", "pubsub").value == b"2", label
        time.sleep(0.1)
        left = {f["name"] for f in client_list(admin)}
        assert {"plain", "sub-subscribe"} <= left and not left & {"sub-psubscribe", "sub-ssubscribe"}, (label, left)
        for c in [admin, plain, *subs]:
            c.sock.close()


def test_cmd_shows_each_clients_last_command(ports):
    for label, port in ports:
        admin, other = Conn(port), Conn(port)
        other.call("CLIENT", "SETNAME", "other")

        def last():
            return [f for f in client_list(admin) if f["name"] == "other"][0]["cmd"]

        assert last() == "client|setname", label
        other.call("GET", "k")
        assert last() == "get", label
        other.call("CONFIG", "GET", "maxmemory")
        assert last() == "config|get", label
        # A refused command still counts; an unknown one clears it.
        assert other.call("GET").is_error
        assert last() == "get", label
        other.call("MULTI")
        other.call("INCR", "n")
        assert last() == "incr", label
        other.call("EXEC")
        assert last() == "exec", label
        assert other.call("NOSUCHCOMMAND").is_error
        assert last() == "NULL", label
        # The caller sees its own running command, and its arguments' size.
        me = fields(admin.call("CLIENT", "INFO").value.decode().strip())
        assert me["cmd"] == "client|info" and me["argv-mem"] == "10", (label, me)
        mine = [f for f in client_list(admin) if f["cmd"] == "client|list"]
        assert len(mine) == 1 and mine[0]["argv-mem"] == "10", (label, mine)
        assert int(mine[0]["tot-mem"]) > 0, (label, mine)
        admin.sock.close()
        other.sock.close()


def test_stalled_subscriber_shows_its_output_backlog(ports):
    """A subscriber that stops reading: its pending output shows as
    obl/oll/omem, events=rw, in INFO's client_recent_max_output_buffer and
    mem_clients_normal; once it reads again, the backlog drains to 0."""
    msg = b"x" * 1000
    n = 10_000  # 10 MB: beyond what loopback socket buffers hold, under the 32 MB hard limit
    for label, port in ports:
        sub = socket.create_connection(("127.0.0.1", port))
        # A fixed 64 KiB window: small enough to stall, big enough to drain fast.
        sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        sub.sendall(b"CLIENT SETNAME stalled\r\nSUBSCRIBE ch\r\n")
        time.sleep(0.2)
        sub.recv(1000)
        pub = Conn(port)
        for i in range(0, n, 100):
            pub.pipeline([("PUBLISH", "ch", msg)] * 100)
        me = [f for f in client_list(pub) if f.get("name") == "stalled"][0]
        obl, oll, omem = int(me["obl"]), int(me["oll"]), int(me["omem"])
        assert obl >= 0 and oll > 0 and omem > 1_000_000, (label, me)
        assert me["events"] == "rw", (label, me)
        assert int(me["tot-mem"]) > omem, (label, me)
        # Redis refreshes these from its client cron: poll for a moment.
        deadline = time.time() + 3
        while time.time() < deadline and not (
            info_field(pub, "clients", "client_recent_max_output_buffer") > 1_000_000
            and info_field(pub, "memory", "mem_clients_normal") > 1_000_000
        ):
            time.sleep(0.05)
        assert info_field(pub, "clients", "client_recent_max_output_buffer") > 1_000_000, label
        assert info_field(pub, "memory", "mem_clients_normal") > 1_000_000, label
        # Drain it: the backlog goes.
        sub.settimeout(5)
        got, deadline = 0, time.time() + 20
        while got < n * 1000 and time.time() < deadline:
            chunk = sub.recv(1 << 20)
            if not chunk:
                break
            got += len(chunk)
        assert got >= n * 1000, (label, got)
        # The last bytes can reach us a moment before the server notes
        # its write finished: poll for a moment, as above.
        deadline = time.time() + 3
        while True:
            me = [f for f in client_list(pub) if f.get("name") == "stalled"][0]
            if (me["obl"], me["oll"], me["omem"]) == ("0", "0", "0") or time.time() > deadline:
                break
            time.sleep(0.05)
        assert (me["obl"], me["oll"], me["omem"]) == ("0", "0", "0"), (label, me)
        sub.close()
        pub.sock.close()


def test_multi_mem_counts_the_queue(ports):
    # Redis counts argument bytes plus a pointer per argument: 166 here.
    for label, port in ports:
        a, b = Conn(port), Conn(port)
        a.call("CLIENT", "SETNAME", "tx")
        a.call("MULTI")
        a.call("SET", "a", "1")
        a.call("SET", "bbbbbbbbbb", "x" * 100)

        def tx():
            return [f for f in client_list(b) if f["name"] == "tx"][0]

        assert tx()["multi-mem"] == "166", (label, tx())
        a.call("EXEC")
        assert tx()["multi-mem"] == "0", (label, tx())
        a.sock.close()
        b.sock.close()


def test_recent_max_input_buffer_remembers_a_big_request(ports):
    """client_recent_max_input_buffer is the largest query buffer of the
    last seconds: a 1 MB request that was held half-sent, then completed and
    run, still shows after its buffer is gone, on both servers."""
    seen = {}
    for label, port in ports:
        admin = Conn(port)
        c = Conn(port)
        value = b"v" * 1_000_000
        head = b"*3\r\n$3\r\nSET\r\n$9\r\nbig:value\r\n$%d\r\n" % len(value)
        c.send(head + value[:400_000])
        time.sleep(0.4)  # several cron ticks see it held
        during = info_field(admin, "clients", "client_recent_max_input_buffer")
        c.send(value[400_000:] + b"\r\n")
        assert c.read().raw == b"+OK\r\n"
        c.call("PING")
        after = info_field(admin, "clients", "client_recent_max_input_buffer")
        qbuf_now = int(client_list(admin, "ID", str(c.call("CLIENT", "ID").int()))[0]["qbuf"])
        seen[label] = (during >= 400_000, after >= 400_000, qbuf_now < 1000)
        admin.call("DEL", "big:value")
        c.close()
        admin.close()
    assert seen["redis"] == seen["vermilion"] == (True, True, True), seen
