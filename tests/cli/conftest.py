"""Fixtures of the redis-cli suite: the harness modules live in tests/diff."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "diff"))

from servers import Pair  # noqa: E402


@pytest.fixture(scope="session")
def clipair():
    p = Pair().start()
    yield p
    p.cleanup()
