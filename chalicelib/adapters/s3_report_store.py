"""Credit reports (bureau, tax) as JSON objects in the reports bucket, keyed by application. Their arrival is an
event: the bucket notifies a queue whose handler scores the application (event-triggered scoring)."""

from __future__ import annotations

import json
from typing import Any

from ..ports import ReportStore


class S3ReportStore(ReportStore):
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    @staticmethod
    def key(application_id: str, kind: str) -> str:
        return f"reports/{application_id}/{kind}.json"

    def put_report(self, application_id: str, kind: str, report: dict[str, Any]) -> str:
        key = self.key(application_id, kind)
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=json.dumps(report).encode(),
                            ContentType="application/json")
        return key

    def get_report(self, application_id: str, kind: str) -> dict[str, Any] | None:
        try:
            body = self._s3.get_object(Bucket=self._bucket, Key=self.key(application_id, kind))["Body"].read()
        except self._s3.exceptions.NoSuchKey:
            return None
        return dict(json.loads(body))
