"""Dev and test only: puts the embedded AWS's data back to what the stack seeded, without restarting it.

The test session starts one local stack (resources from infra/, roles, users: ~10 s) and every module of tests
writes into it. Kept for the whole session, that data made each later test slower and the process larger:
moto answers a Scan, and a Query on an index, by walking every item of the table; it keeps every S3 object's
bytes in memory and every workflow execution with its history. So each test module starts from the data the
stack had once it was up (``Baseline``): the items, objects and finished executions written since are dropped,
in-process, under the DynamoDB lock (local/moto_atomic.py), and the freed memory is handed back to the system.
Executions still running - a workflow of the last module waiting on a signature, say - are stopped, so that
none writes into the next module's data. Resources, roles, users and keys stay."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"


@dataclass
class Baseline:
    items: dict[str, set[tuple[Any, Any]]] = field(default_factory=dict)  # table -> (hash, range) keys
    objects: dict[str, set[str]] = field(default_factory=dict)  # bucket -> key names


def _dynamodb(region: str) -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[ACCOUNT][region]


def _buckets() -> dict[str, Any]:
    from moto.s3.models import s3_backends

    return s3_backends[ACCOUNT]["aws"].buckets  # type: ignore[no-any-return]


def _keys(table: Any) -> set[tuple[Any, Any]]:
    if table.range_key_attr:
        return {(h, r) for h, bucket in table.items.items() for r in bucket}
    return {(h, None) for h in table.items}


def baseline(region: str) -> Baseline:
    from local.moto_atomic import _LOCK

    with _LOCK:
        return Baseline({name: _keys(t) for name, t in _dynamodb(region).tables.items()},
                        {name: set(b.keys.keys()) for name, b in _buckets().items()})


def restore(region: str, seeded: Baseline) -> dict[str, int]:
    """Drops what was written after ``seeded``; returns how many items, objects and executions went."""
    from moto.stepfunctions.models import stepfunctions_backends
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    from local.moto_atomic import _LOCK

    dropped = {"items": 0, "objects": 0, "executions": 0}
    with _LOCK:
        for name, table in _dynamodb(region).tables.items():
            keep = seeded.items.get(name, set())
            for hash_value in list(table.items):
                if table.range_key_attr:
                    bucket = table.items[hash_value]
                    for range_value in [r for r in bucket if (hash_value, r) not in keep]:
                        del bucket[range_value]
                        dropped["items"] += 1
                    if not bucket:
                        del table.items[hash_value]
                elif (hash_value, None) not in keep:
                    del table.items[hash_value]
                    dropped["items"] += 1
    for name, bucket in _buckets().items():
        keep = seeded.objects.get(name, set())
        for key_name in [k for k in list(bucket.keys.keys()) if k not in keep]:
            for version in bucket.keys.getlist(key_name) or []:
                dispose = getattr(version, "dispose", None)
                if dispose is not None:
                    dispose()  # the object's bytes and its temporary file
            bucket.keys.pop(key_name)
            dropped["objects"] += 1
    for backends in (stepfunctions_backends, stepfunctions_parser_backends):  # plain, and executing ASL
        for machine in backends[ACCOUNT][region].state_machines:
            finished = [e for e in machine.executions if getattr(e.status, "value", e.status) != "RUNNING"]
            for execution in finished:
                machine.executions.remove(execution)
            dropped["executions"] += len(finished)
            for waiting in [e for e in machine.executions if e not in finished]:
                _stop(waiting)  # a workflow of the last module (waiting on a signature, say) must not write later
    _give_back_memory()
    return dropped


def _stop(execution: Any) -> None:
    import contextlib
    from datetime import UTC, datetime

    with contextlib.suppress(Exception):  # an execution that ended by itself meanwhile is as good
        execution.stop(stop_date=datetime.now(UTC), error="LocalStackReset", cause="its test module ended")


def _give_back_memory() -> None:
    """What was dropped was freed as it went (items hold no cycles: no collection pass is needed, and one over
    a large heap would cost more than the module it follows); glibc keeps freed memory in its heap unless asked
    to return it."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused by this process instead
        pass


def forget_partitions(region: str, table_name: str, prefixes: tuple[str, ...]) -> int:
    """Drops every item whose partition key starts with one of ``prefixes`` (a Scan with a filter would walk and
    serialise every item of the table to find them)."""
    from local.moto_atomic import _LOCK

    with _LOCK:
        table = _dynamodb(region).tables[table_name]
        doomed = [h for h in table.items if str(h.value).startswith(prefixes)]
        for hash_value in doomed:
            del table.items[hash_value]
    return len(doomed)
