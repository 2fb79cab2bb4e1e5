"""The handlers read S3 notifications (as SQS delivers them); services get the object that was created."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

from chalicelib.ports import StoredObject
from chalicelib.workflow.s3_notifications import objects_created


def message(*records: dict) -> SimpleNamespace:
    return SimpleNamespace(body=json.dumps({"Records": list(records)}))


def created(key: str, name: str = "ObjectCreated:Post") -> dict:
    return {"eventName": name, "eventTime": "2026-11-29T01:00:00.000Z",
            "s3": {"object": {"key": key, "size": 10, "eTag": "e1", "versionId": "v1"}}}


def test_keys_are_decoded_and_only_created_objects_are_passed_on() -> None:
    batch = [message(created("applications/app_1/ID_CARD_FRONT/a%2Bb+c"),
                     created("reports/app_1/bureau.json", "ObjectRemoved:Delete")),
             SimpleNamespace(body=json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})),  # no records
             message(created("external/court/2026-11-29.json"))]
    assert list(objects_created(batch)) == [
        StoredObject("applications/app_1/ID_CARD_FRONT/a+b c", 10, "e1", "v1", datetime(2026, 11, 29, 1, tzinfo=UTC)),
        StoredObject("external/court/2026-11-29.json", 10, "e1", "v1", datetime(2026, 11, 29, 1, tzinfo=UTC))]
