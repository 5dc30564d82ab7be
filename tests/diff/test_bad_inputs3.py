"""bad-inputs.md rows that concern issue 3's commands, beyond the per-family
differential scripts: huge replies against the output-buffer limit. The
client asking for a reply larger than `client-output-buffer-limit normal`
is disconnected mid-reply; the server stays up and other clients are unaffected."""

import time

import pytest

from respwire import Closed, Conn

HUGE = [
    ("HSET", "h", "f1", "v1", "f2", "v2"), ("HRANDFIELD", "h", "-999999999"),
    ("HSET", "h", "f1", "v1", "f2", "v2"), ("HRANDFIELD", "h", "-999999999", "WITHVALUES"),
    ("SADD", "s", "a", "b", "c"), ("SRANDMEMBER", "s", "-9223372036854775807"),
    ("ZADD", "z", "1", "a", "2", "b"), ("ZRANDMEMBER", "z", "-999999999", "WITHSCORES"),
]


@pytest.mark.parametrize("i", range(0, len(HUGE), 2), ids=lambda i: HUGE[i + 1][0])
def test_huge_random_reply_hits_output_limit(server_pair, i):
    setup, cmd = HUGE[i], HUGE[i + 1]
    p = server_pair(["--client-output-buffer-limit", "normal", "1000000", "0", "0"])
    for srv in (p.ref, p.tgt):
        other = Conn(srv.port)
        c = Conn(srv.port, timeout=20)
        c.call(*setup)
        t = time.time()
        c.send_cmd(*cmd)
        got = 0
        with pytest.raises((Closed, ConnectionResetError)):
            while True:
                c._fill()
                got = len(c.buf)
        assert time.time() - t < 15, f"{srv.label}: took too long"
        assert other.call("PING").value == b"PONG", srv.label
        assert other.call("EXISTS", setup[1]).int() == 1
        other.close()
