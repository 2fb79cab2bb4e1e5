"""S3 event notifications, as SQS delivers them, read into what the services need: the objects created.

The services take a StoredObject (ports/origination.py) and never see the notification's shape: S3 URL-encodes
keys, sends an ``s3:TestEvent`` without records when a notification is configured, and may deliver a record
twice or late. The shapes are read with Powertools' event source data classes, and a batch with Powertools' batch
processor: each message is handled on its own, and the answer names the messages that failed
(``batchItemFailures``; the event source mapping has ``ReportBatchItemFailures``), so that one bad message is
delivered again alone, not with the
nine good ones beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from ..observability import logger
from ..ports import StoredObject

if TYPE_CHECKING:  # imported where used: app.py imports this module, and the API's cold start never needs them
    from aws_lambda_powertools.utilities.data_classes.s3_event import S3EventRecord
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord


def stored_object(record: S3EventRecord) -> StoredObject | None:
    """One notification record; None for anything but ObjectCreated."""
    if not record.event_name.startswith("ObjectCreated"):
        return None
    obj = record.s3.get_object
    return StoredObject(key=unquote_plus(obj.key), size=int(obj.get("size") or 0), etag=obj.etag,
                        version_id=obj.version_id or "",
                        stored_at=datetime.fromisoformat(record.event_time.replace("Z", "+00:00")))


def objects_created(body: str) -> list[StoredObject]:
    """The objects created that one SQS message's body (an S3 notification) tells of, in order."""
    from aws_lambda_powertools.utilities.data_classes import S3Event

    notification = json.loads(body)
    if not notification.get("Records"):  # s3:TestEvent has none
        return []
    return [o for o in map(stored_object, S3Event(notification).records) if o is not None]


Handler = Callable[[StoredObject, int], Any]


def each_object_created(event: Any, queue: str, handle: Handler) -> dict[str, Any]:
    """Hands every object created in a batch to ``handle(object, delivery)`` - ``delivery`` is how many times SQS
    has delivered its message (1 the first time) - and answers which messages failed. A failure is logged with
    its class only (an exception's text may carry what a customer sent)."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    def one_message(record: SQSRecord) -> None:
        delivery = int(record.attributes.approximate_receive_count or 1)
        try:
            for created in objects_created(record.body):
                handle(created, delivery)
        except Exception as err:
            logger.warning("queue message failed; it will be delivered again",
                           extra={"queue": queue, "error": type(err).__name__, "delivery": delivery})
            raise

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    raw = event.to_dict() if hasattr(event, "to_dict") else event
    return dict(process_partial_response(event=raw, record_handler=one_message, processor=processor))
