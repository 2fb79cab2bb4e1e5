"""S3 event notifications, as SQS delivers them, read into what the services need: the objects created.

The services take a StoredObject (ports.py) and never see the notification's shape: S3 URL-encodes keys, sends an
``s3:TestEvent`` without records when a notification is configured, and may deliver a record twice or late."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from ..ports import StoredObject


def stored_object(record: dict[str, Any]) -> StoredObject | None:
    """One notification record; None for anything but ObjectCreated."""
    if not str(record.get("eventName", "")).startswith("ObjectCreated"):
        return None
    obj = record.get("s3", {}).get("object", {})
    return StoredObject(key=unquote_plus(str(obj.get("key", ""))), size=int(obj.get("size", 0)),
                        etag=str(obj.get("eTag", "")), version_id=str(obj.get("versionId", "")),
                        stored_at=datetime.fromisoformat(str(record["eventTime"]).replace("Z", "+00:00")))


def objects_created(messages: Iterable[Any]) -> Iterator[StoredObject]:
    """Every object created, in order, across a batch of SQS messages whose bodies are S3 notifications."""
    for message in messages:
        for record in json.loads(message.body).get("Records", []):  # s3:TestEvent has none
            created = stored_object(record)
            if created is not None:
                yield created
