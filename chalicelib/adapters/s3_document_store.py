"""Uploads and contracts on S3. Uploads go straight from the app to S3 with a presigned POST whose policy fixes
the key, the content type and the size range; contracts are written once under Object Lock (COMPLIANCE)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from ..ports import DocumentStore


class S3DocumentStore(DocumentStore):
    def __init__(self, client: Any, uploads_bucket: str, contracts_bucket: str) -> None:
        self._s3 = client
        self._uploads = uploads_bucket
        self._contracts = contracts_bucket

    def presigned_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        return dict(self._s3.generate_presigned_post(
            Bucket=self._uploads, Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        ))

    def get_upload(self, key: str, max_bytes: int, version_id: str = "") -> bytes:
        try:
            response = self._s3.get_object(Bucket=self._uploads, Key=key,
                                           **({"VersionId": version_id} if version_id else {}))
        except self._s3.exceptions.NoSuchKey as err:
            raise FileNotFoundError(key) from err
        if int(response["ContentLength"]) > max_bytes:
            response["Body"].close()
            raise ValueError("upload larger than allowed")
        return bytes(response["Body"].read(max_bytes + 1))

    def put_liveness_reference(self, key: str, image: bytes) -> str:
        response = self._s3.put_object(Bucket=self._uploads, Key=key, Body=image, ContentType="image/jpeg")
        return str(response.get("VersionId", ""))

    def put_contract(self, key: str, body: bytes, retain_until: datetime) -> str:
        md5 = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()  # Object Lock needs it
        response = self._s3.put_object(
            Bucket=self._contracts, Key=key, Body=body, ContentType="application/pdf", ContentMD5=md5,
            ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=retain_until,
        )
        return str(response.get("VersionId", ""))

    def get_contract(self, key: str, version_id: str | None = None) -> bytes:
        kwargs = {"Bucket": self._contracts, "Key": key, **({"VersionId": version_id} if version_id else {})}
        try:
            return bytes(self._s3.get_object(**kwargs)["Body"].read())
        except self._s3.exceptions.NoSuchKey as err:
            raise FileNotFoundError(key) from err

    def presigned_contract_download(self, key: str, expires_in: int, version_id: str | None = None) -> str:
        params = {"Bucket": self._contracts, "Key": key, **({"VersionId": version_id} if version_id else {})}
        return str(self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in))

    def put_review_copy(self, key: str, image: bytes) -> None:
        # under review-copies/, which the bucket's lifecycle deletes after a day and no event notification watches
        self._s3.put_object(Bucket=self._uploads, Key=key, Body=image, ContentType="image/jpeg",
                            CacheControl="no-store")

    def presigned_review_copy(self, key: str, expires_in: int) -> str:
        params = {"Bucket": self._uploads, "Key": key, "ResponseCacheControl": "no-store",
                  "ResponseContentType": "image/jpeg"}
        return str(self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in))
