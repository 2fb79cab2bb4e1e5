"""Dev only: S3 event records carry the object's version id, as real S3's do for a versioned bucket.

moto's event record has key, size and eTag but no ``versionId``. The upload handler pins the version it read
(a replayed presigned POST writes a new version of the same key, and only the first one read may ever be used),
so without this the local stack would hide the very guarantee the tests check. The record shape is S3's own
(docs: "Event message structure": s3.object.versionId)."""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.s3 import notifications

    original = notifications._get_s3_event
    if getattr(original, "_with_version", False):
        return

    def with_version(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event = original(event_name, bucket, key, notification_id)
        version = getattr(key, "version_id", None)
        if version and version != "null":
            for record in event["Records"]:
                record["s3"]["object"]["versionId"] = version
        return event

    with_version._with_version = True  # type: ignore[attr-defined]
    notifications._get_s3_event = with_version
