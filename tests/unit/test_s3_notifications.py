"""The handlers read S3 notifications (as SQS delivers them); services get the object that was created, and a batch
answers which of its messages failed, so that only those are delivered again."""

import json
from datetime import UTC, datetime

from chalicelib.ports import StoredObject
from chalicelib.workflow.s3_notifications import each_object_created, objects_created


def body(*records: dict) -> str:
    return json.dumps({"Records": list(records)})


def created(key: str, name: str = "ObjectCreated:Post") -> dict:
    return {"eventName": name, "eventTime": "2026-11-29T01:00:00.000Z",
            "s3": {"object": {"key": key, "size": 10, "eTag": "e1", "versionId": "v1"}}}


def sqs_event(*bodies: str, receive_count: int = 1) -> dict:
    return {"Records": [{"messageId": f"m{i}", "receiptHandle": f"r{i}", "body": b, "eventSource": "aws:sqs",
                         "attributes": {"ApproximateReceiveCount": str(receive_count)}, "messageAttributes": {},
                         "md5OfBody": "", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q", "awsRegion": "us-east-1"}
                        for i, b in enumerate(bodies)]}


def test_keys_are_decoded_and_only_created_objects_are_passed_on() -> None:
    assert objects_created(body(created("applications/app_1/ID_CARD_FRONT/a%2Bb+c"),
                                created("reports/app_1/bureau.json", "ObjectRemoved:Delete"))) == [
        StoredObject("applications/app_1/ID_CARD_FRONT/a+b c", 10, "e1", "v1", datetime(2026, 11, 29, 1, tzinfo=UTC))]
    assert objects_created(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == []  # no records


def test_one_bad_message_is_reported_alone_and_the_others_are_handled() -> None:
    handled: list[tuple[str, int]] = []

    def handle(obj: StoredObject, delivery: int) -> None:
        if "poison" in obj.key:
            raise MemoryError("a read that fails")
        handled.append((obj.key, delivery))

    event = sqs_event(*(body(created(f"external/court/{n}.json")) for n in ("a", "poison", "c")), receive_count=2)
    answer = each_object_created(event, "external-records", handle)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert handled == [("external/court/a.json", 2), ("external/court/c.json", 2)]  # with their delivery count


def test_a_batch_that_fails_entirely_names_every_message_and_raises_nothing() -> None:
    def fail(obj: StoredObject, delivery: int) -> None:
        raise RuntimeError("down")

    answer = each_object_created(sqs_event(body(created("a")), "not json"), "documents", fail)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m0"}, {"itemIdentifier": "m1"}]}


def test_every_queue_function_reports_partial_batch_failures_in_the_deploy_template() -> None:
    import app
    from local.cfn import response_types

    queues = [s.name for s in app.app.event_sources if hasattr(s, "queue")]
    assert queues and all(response_types(name) == ["ReportBatchItemFailures"] for name in queues)
