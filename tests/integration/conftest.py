"""The repository contract's two subjects: what a test asks with the ``repo`` fixture holds for the in-memory fake
the service tests use and for DynamoDB on moto alike (a module may define its own ``repo`` for DynamoDB only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(params=["memory", "dynamodb"])
def repo(request: Any) -> Iterator[Any]:
    if request.param == "memory":
        from tests.fakes.memory import MemoryRepository

        yield MemoryRepository()
    else:
        request.getfixturevalue("live")
        from chalicelib import bootstrap

        yield bootstrap.deps().repo
