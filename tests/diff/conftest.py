"""Fixtures of the differential suite: one redis-server and one vermilion-server
per session, a fresh pair of connections and an empty keyspace per test.

Tests that need servers with other settings (requirepass, protected mode...)
start their own through the `server_pair` factory.
"""

from __future__ import annotations

import pytest

from differ import Differ
from servers import Pair


@pytest.fixture(scope="session")
def pair():
    p = Pair().start()
    yield p
    p.cleanup()


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def proto(request):
    return request.param


def _differ(pair, proto):
    pair.ensure_running()
    dd = Differ(pair.ref.port, pair.tgt.port, proto)
    dd.ref.call("FLUSHALL")
    dd.tgt.call("FLUSHALL")
    yield dd
    dd.close()
    died = [s for s in (pair.ref, pair.tgt) if not s.alive()]
    for s in died:
        tail = s.log_tail()
        s.stop()
        s.start()
        pytest.fail(f"{s.label} exited during this test; log tail:\n{tail}")


@pytest.fixture
def d(pair, proto):
    """A Differ on an empty keyspace (FLUSHALL on both), in RESP2 or RESP3."""
    yield from _differ(pair, proto)


@pytest.fixture
def d2(pair):
    """A RESP2-only Differ, for tests whose point is not the protocol."""
    yield from _differ(pair, 2)


@pytest.fixture
def server_pair():
    """Factory: start a reference and a target with extra arguments; stopped after the test."""
    made = []

    def make(args=None, tgt_args=None):
        p = Pair(args, tgt_args if tgt_args is not None else args).start()
        made.append(p)
        return p

    yield make
    for p in made:
        p.cleanup()
