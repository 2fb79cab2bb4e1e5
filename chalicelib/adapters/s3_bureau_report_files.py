"""The bank's copy of each credit-bureau report, in the reports bucket under bureau-reporting/ (a prefix with no
event: unlike reports/ and external/, nothing is triggered by a report being written). Encrypted at rest by the
bucket's key: the file names each borrower in the clear, as the bureau needs."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..ports.bureau_reporting import BureauReportFiles


class S3BureauReportFiles(BureauReportFiles):
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3, self._bucket = client, bucket

    @staticmethod
    def key(reporting_date: date) -> str:
        return f"bureau-reporting/{reporting_date.isoformat()}/accounts.jsonl"

    def put(self, reporting_date: date, body: bytes) -> str:
        key = self.key(reporting_date)
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="application/x-ndjson")
        return key

    def get(self, reporting_date: date) -> bytes | None:
        try:
            return bytes(self._s3.get_object(Bucket=self._bucket, Key=self.key(reporting_date))["Body"].read())
        except self._s3.exceptions.NoSuchKey:
            return None
