"""Lambda's SQS event source mappings, locally: a poller per mapping that hands batches to the function and keeps
what failed, as the Lambda service does. DEV ONLY (local/stack.py installs it).

moto's own mapping is not used: it invokes the function inside the request that sent the message, one message at
a time, always says ``ApproximateReceiveCount: 1``, deletes a message whose handler returned normally even when it
reported the message failed (``batchItemFailures``), and never delivers a message again - a failure on the local
stack was lost where AWS would retry it. Here, as on AWS:

- a batch is up to the mapping's BatchSize messages, each with its real receive count;
- a function error keeps the whole batch; with ``ReportBatchItemFailures`` only the messages named in
  ``batchItemFailures`` are kept, the rest deleted;
- a kept message is delivered again, and after the queue's ``maxReceiveCount`` receives moto's redrive moves it to
  the dead-letter queue.

The one departure: a kept message is visible again after ``retry_seconds`` (one second) instead of the queue's
visibility timeout (three minutes), so that a developer sees the retry while watching."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

_log = logging.getLogger("local.sqs")
_mappings: list[Mapping] = []
_lock = threading.Lock()


@dataclass
class Mapping:
    account_id: str
    region: str
    queue_name: str
    queue_arn: str
    function_arn: str
    batch_size: int
    report_item_failures: bool


class _NoPush(dict):  # type: ignore[type-arg]
    """Stands in for a queue's table of mappings in moto, so that moto never invokes on send (the poller does)."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


def install() -> None:
    """Takes over every SQS event source mapping created from now on (moto keeps it for List/Get calls)."""
    from moto.awslambda.models import LambdaBackend
    from moto.sqs.models import sqs_backends

    if getattr(LambdaBackend, "_local_sqs_delivery", False):
        return
    create = LambdaBackend.create_event_source_mapping

    def create_mapping(self: Any, spec: dict[str, Any]) -> Any:
        esm = create(self, spec)
        for queue in sqs_backends[self.account_id][self.region_name].queues.values():
            if queue.queue_arn == spec["EventSourceArn"]:
                queue.lambda_event_source_mappings = _NoPush()
                with _lock:
                    _mappings.append(Mapping(
                        self.account_id, self.region_name, queue.name, queue.queue_arn, esm.function_arn,
                        int(spec.get("BatchSize") or 10),
                        "ReportBatchItemFailures" in (spec.get("FunctionResponseTypes") or [])))
        return esm

    LambdaBackend.create_event_source_mapping = create_mapping  # type: ignore[method-assign]
    LambdaBackend._local_sqs_delivery = True  # type: ignore[attr-defined]


class Poller:
    """One thread polling every mapping; each batch is handled before the next receive (one concurrent
    invocation per mapping is enough on one machine)."""

    def __init__(self, retry_seconds: int = 1, idle_seconds: float = 0.02) -> None:
        self._retry_seconds, self._idle = retry_seconds, idle_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="local-sqs-delivery", daemon=True)

    def start(self) -> Poller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            with _lock:
                mappings = list(_mappings)
            delivered = 0
            for mapping in mappings:
                try:
                    delivered += deliver_once(mapping, self._retry_seconds)
                except Exception:  # a queue deleted under us (a test's reset): never stop delivering the others
                    _log.exception("local SQS delivery failed for %s", mapping.queue_name)
            if not delivered:
                self._stop.wait(self._idle)


def deliver_once(mapping: Mapping, retry_seconds: int) -> int:
    """Receives one batch and hands it to the function; returns how many messages it received."""
    from moto.awslambda.models import lambda_backends
    from moto.sqs.models import sqs_backends

    sqs = sqs_backends[mapping.account_id][mapping.region]
    queue = sqs.get_queue(mapping.queue_name)
    messages = sqs.receive_message(mapping.queue_name, mapping.batch_size, 0, int(queue.visibility_timeout))
    if not messages:
        return 0
    event = {"Records": [_record(m, mapping) for m in messages]}
    headers: dict[str, Any] = {}
    answer = lambda_backends[mapping.account_id][mapping.region].invoke(
        mapping.function_arn, None, json.dumps(event), {}, headers)
    failed = _failed_ids(answer, headers, messages, mapping)
    for message in messages:
        if message.id in failed:
            sqs.change_message_visibility(mapping.queue_name, message.receipt_handle, retry_seconds)
        else:
            sqs.delete_message(mapping.queue_name, message.receipt_handle)
    if failed:
        _log.info("%d of %d messages from %s kept for another delivery", len(failed), len(messages),
                  mapping.queue_name)
    return len(messages)


def _failed_ids(answer: Any, headers: dict[str, Any], messages: list[Any], mapping: Mapping) -> set[str]:
    if "x-amz-function-error" in headers:
        return {m.id for m in messages}
    if not mapping.report_item_failures:
        return set()
    try:
        reported = json.loads(answer or b"{}").get("batchItemFailures") or []
        return {str(item["itemIdentifier"]) for item in reported}
    except (ValueError, TypeError, KeyError, AttributeError):  # an answer Lambda cannot read fails the batch
        return {m.id for m in messages}


def _record(message: Any, mapping: Mapping) -> dict[str, Any]:
    now_ms = str(int(time.time() * 1000))
    return {
        "messageId": message.id, "receiptHandle": message.receipt_handle, "body": message.body,
        "attributes": {"ApproximateReceiveCount": str(message.approximate_receive_count),
                       "SentTimestamp": str(message.sent_timestamp or now_ms), "SenderId": message.sender_id,
                       "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp
                                                               or now_ms)},
        "messageAttributes": {}, "md5OfBody": message.body_md5, "eventSource": "aws:sqs",
        "eventSourceARN": mapping.queue_arn, "awsRegion": mapping.region,
    }


def clear() -> None:
    """Forgets the mappings (a stack that stops)."""
    with _lock:
        _mappings.clear()


def drain(timeout: float = 30) -> None:
    """Waits until every mapped queue is empty - nothing waiting, nothing being handled (a message is deleted
    only after its function returned). For tests that must see the effect of an event before they go on."""
    from moto.sqs.models import sqs_backends

    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            mappings = list(_mappings)
        pending = sum(len(sqs_backends[m.account_id][m.region].get_queue(m.queue_name)._messages) for m in mappings)
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{pending} queue messages still waiting after {timeout} s")
        time.sleep(0.05)
