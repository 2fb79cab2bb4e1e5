"""Dev only: makes the embedded DynamoDB atomic, as the real one is.

moto runs every request on its own thread, and its TransactWriteItems copies whole tables, applies the writes and,
when a condition fails, puts the copies back - so a transaction that fails can erase a write another thread made
meanwhile, or see half of it (ENGINEERING.md: moto is not thread-safe for conditional writes). The local stack
runs API requests, S3-event handlers and workflow steps concurrently, so it serialises DynamoDB operations with
one lock: each call is then atomic, as in AWS, while requests and workflows still interleave between calls."""

from __future__ import annotations

import functools
import threading
from typing import Any

_LOCK = threading.RLock()
_OPERATIONS = ("put_item", "get_item", "update_item", "delete_item", "query", "scan", "transact_write_items")


def install() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in _OPERATIONS:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_serialised", False):
            continue

        @functools.wraps(original)
        def serialised(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return __original(self, *args, **kwargs)

        serialised._serialised = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, serialised)
