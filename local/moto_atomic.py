"""Dev only: makes the embedded DynamoDB atomic, as the real one is, and keeps its transactions cheap.

1. Atomic. moto runs every request on its own thread, and its TransactWriteItems applies the writes one by one
   and, when a condition fails, puts the earlier state back - so a transaction that fails can erase a write
   another thread made meanwhile, or see half of it (moto is not thread-safe for conditional writes). The local
   stack runs API requests, S3-event handlers and workflow steps concurrently, so it serialises DynamoDB
   operations with one lock: each call is then atomic, as in AWS, while requests and workflows still interleave
   between calls.
2. Cheap. moto's TransactWriteItems deep-copies *every table it touches, whole*, before each transaction, to
   put it back on failure. With one table holding everything, each transaction cost time and garbage in
   proportion to all data written so far: the test suite slowed as it went and its heap grew to 7 GB. Under the
   lock, only the items a transaction names can change, so the undo record here is those items alone; the
   table copy is skipped. Behaviour is unchanged: a cancelled transaction leaves every named item as it was.
3. Partitions. moto answers a Query on the table by walking every item of the table for the ones with the
   partition key asked for; the partition is a dict lookup away. With all data in one table, each query cost
   time in proportion to everything written so far (the daily sweep reads each drawn line's partition). Here a
   Query on the table's own key walks that partition only; the answer is the same. (Index queries still walk
   the table, as moto keeps no index.)
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import Any

_LOCK = threading.RLock()
_OPERATIONS = ("put_item", "get_item", "update_item", "delete_item", "query", "scan")


class _NoTableCopies:
    """Stands in for the `copy` module inside moto's DynamoDB backend: a Table is 'copied' as itself (the undo
    record below restores the items instead); everything else is copied as before."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _serialised(original: Any) -> Any:
    @functools.wraps(original)
    def serialised(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return original(self, *args, **kwargs)

    serialised._serialised = True  # type: ignore[attr-defined]
    return serialised


def _item_key(table: Any, op_type: str, op: dict[str, Any]) -> tuple[Any, Any]:
    from moto.dynamodb.models.dynamo_type import DynamoType

    source = op["Item"] if op_type == "Put" else op["Key"]
    hash_value = DynamoType(source[table.hash_key_attr])
    range_value = DynamoType(source[table.range_key_attr]) if table.range_key_attr else None
    return hash_value, range_value


def _transact_write_items(original: Any) -> Any:
    @functools.wraps(original)
    def transact(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        with _LOCK:
            undo: list[tuple[Any, Any, Any, Any]] = []
            for entry in transact_items:
                op_type, op = next(iter(entry.items()))
                table = self.tables.get(op.get("TableName"))
                if table is None or op_type == "ConditionCheck":
                    continue
                try:
                    hash_value, range_value = _item_key(table, op_type, op)
                except KeyError:
                    continue  # a malformed item: moto refuses it before writing anything
                undo.append((table, hash_value, range_value,
                             copy.deepcopy(table.get_item(hash_value, range_value))))
            try:
                return original(self, transact_items)
            except Exception:
                for table, hash_value, range_value, before in reversed(undo):
                    _restore(table, hash_value, range_value, before)
                raise

    transact._serialised = True  # type: ignore[attr-defined]
    return transact


def _restore(table: Any, hash_value: Any, range_value: Any, before: Any) -> None:
    if range_value is None:
        if before is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = before
        return
    bucket = table.items[hash_value]
    if before is None:
        bucket.pop(range_value, None)
        if not bucket:
            table.items.pop(hash_value, None)
    else:
        bucket[range_value] = before


def _partition_query(original: Any) -> Any:
    import inspect

    signature = inspect.signature(original)

    @functools.wraps(original)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        hash_key, index_name = bound.arguments.get("hash_key"), bound.arguments.get("index_name")
        if hash_key is None or not self.range_key_attr:
            return original(self, *args, **kwargs)
        if index_name is not None:
            partition = _index_partition(self, index_name, hash_key)
            if partition is None:
                return original(self, *args, **kwargs)
        else:
            bucket = self.items.get(hash_key)
            partition = sorted(bucket.values(), key=lambda x: x.range_key) if bucket else []
        self.all_items = lambda: partition  # only while this query runs (under the lock)
        try:
            return original(self, *args, **kwargs)
        finally:
            del self.all_items

    query._partition = True  # type: ignore[attr-defined]
    return query


def _index_partition(table: Any, index_name: str, hash_key: Any) -> list[Any] | None:
    """The items of one partition of a global index with a single string hash key: moto walks, sorts and compares
    every item of the table as DynamoDB types for each index query (most of the suite's DynamoDB time); this keeps
    the items whose index key is the value asked, in the table's order, and lets moto do the rest on those. Any
    other shape of index or key (unknown index, composite or non-string keys) is left to moto whole."""
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index is not None else []
    if len(hashes) != 1 or getattr(hash_key, "type", None) != "S":
        return None
    name, wanted = hashes[0], hash_key.value
    found = []
    for bucket in table.items.values():
        for item in bucket.values():
            value = item.attrs.get(name)
            if value is not None and value.type == "S" and value.value == wanted:
                found.append(item)
    return sorted(found, key=lambda x: (x.hash_key, x.range_key))


def install() -> None:
    import moto.dynamodb.models as backend_module
    from moto.dynamodb.models import DynamoDBBackend

    for name in _OPERATIONS:
        original = getattr(DynamoDBBackend, name)
        if not getattr(original, "_serialised", False):
            setattr(DynamoDBBackend, name, _serialised(original))
    if not getattr(DynamoDBBackend.transact_write_items, "_serialised", False):
        DynamoDBBackend.transact_write_items = _transact_write_items(DynamoDBBackend.transact_write_items)
    backend_module.copy = _NoTableCopies()  # type: ignore[assignment]
    from moto.dynamodb.models.table import Table

    if not getattr(Table.query, "_partition", False):
        Table.query = _partition_query(Table.query)  # type: ignore[method-assign]
