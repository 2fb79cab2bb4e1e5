"""External records (court lists, registry, tax, bureau refreshes) as JSON objects under ``external/`` in the
reports bucket. Their arrival is an event: the bucket notifies a queue of its own whose handler evaluates the
subject's credit lines. Keys carry no identity (a random name under the source); the body, in the KMS-encrypted
bucket, names the subject as the feed did. The feed's writer may put objects there and nothing else."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from ..domain.errors import NotFoundError
from ..domain.external_records import ExternalRecord, FeedSource
from ..ports import ExternalRecordFeed

PREFIX = "external/"


class S3ExternalRecords(ExternalRecordFeed):
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def deliver(self, record: ExternalRecord) -> str:
        key = f"{PREFIX}{record.source.value}/{uuid.uuid4().hex}.json"
        envelope = {"source": record.source.value, "id_number": record.id_number,
                    "registration_no": record.registration_no, "record_id": record.record_id,
                    "received_at": record.received_at.isoformat(), "record": record.body}
        self._s3.put_object(Bucket=self._bucket, Key=key, ContentType="application/json",
                            Body=json.dumps(envelope, ensure_ascii=False).encode())
        return key

    def read(self, key: str) -> ExternalRecord:
        if not key.startswith(PREFIX):
            raise NotFoundError("not an external record")
        try:
            raw = json.loads(self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read())
        except self._s3.exceptions.NoSuchKey:
            raise NotFoundError("no such external record") from None
        return ExternalRecord(FeedSource(raw["source"]), raw["record_id"], datetime.fromisoformat(raw["received_at"]),
                              dict(raw["record"]), raw.get("id_number"), raw.get("registration_no"))
