"""The local stack creates what infra/resources.json declares, as deploy would: same keys, indexes, bucket
protections, queue wiring and state machines. If the template changes and local/cfn.py does not follow, these
fail."""

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.cfn import load_template

RESOURCES = load_template()["Resources"]


def test_the_table_has_the_template_keys_and_indexes(live) -> None:  # type: ignore[no-untyped-def]
    table = boto3.client("dynamodb").describe_table(TableName=os.environ["TABLE_NAME"])["Table"]
    declared = RESOURCES["LendingTable"]["Properties"]
    assert table["KeySchema"] == declared["KeySchema"]
    assert sorted(i["IndexName"] for i in table["GlobalSecondaryIndexes"]) == ["GSI1", "GSI2"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSEDescription"]["Status"] == "ENABLED"


def test_buckets_are_versioned_encrypted_private_and_contracts_are_write_once(live) -> None:  # type: ignore[no-untyped-def]
    s3 = boto3.client("s3")
    for bucket in (os.environ["UPLOADS_BUCKET"], os.environ["CONTRACTS_BUCKET"]):
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    lock = s3.get_object_lock_configuration(Bucket=os.environ["CONTRACTS_BUCKET"])["ObjectLockConfiguration"]
    assert (lock["Rule"]["DefaultRetention"]["Mode"], lock["Rule"]["DefaultRetention"]["Years"]) == ("COMPLIANCE", 10)
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=os.environ["UPLOADS_BUCKET"])["Rules"][0]
    assert lifecycle["Expiration"]["Days"] == 30  # raw identity images do not outlive their purpose


def test_a_locked_contract_version_cannot_be_deleted(live) -> None:  # type: ignore[no-untyped-def]
    from chalicelib import bootstrap

    store = bootstrap.deps().documents
    version = store.put_contract("contracts/test/locked.pdf", b"%PDF-1.7 test",
                                 datetime.now(UTC) + timedelta(days=1))
    with pytest.raises(ClientError) as caught:
        boto3.client("s3").delete_object(Bucket=os.environ["CONTRACTS_BUCKET"], Key="contracts/test/locked.pdf",
                                         VersionId=version)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_uploads_notify_the_document_queue_which_feeds_the_handler(live) -> None:  # type: ignore[no-untyped-def]
    s3, sqs, lam = boto3.client("s3"), boto3.client("sqs"), boto3.client("lambda")
    config = s3.get_bucket_notification_configuration(Bucket=os.environ["UPLOADS_BUCKET"])
    queue_arn = config["QueueConfigurations"][0]["QueueArn"]
    assert queue_arn.endswith(":lending-document-events")
    mappings = lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]
    assert [m["FunctionArn"].rsplit(":", 1)[-1] for m in mappings] == ["lending-local-on_document_uploaded"]
    url = sqs.get_queue_url(QueueName="lending-document-events")["QueueUrl"]
    redrive = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
                         ["Attributes"]["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":lending-document-events-dlq")


def test_state_machines_are_the_asl_files_with_the_local_functions_substituted(live) -> None:  # type: ignore[no-untyped-def]
    sfn = boto3.client("stepfunctions")
    definition = json.loads(sfn.describe_state_machine(
        stateMachineArn=os.environ["ORIGINATION_STATE_MACHINE_ARN"])["definition"])
    assert definition["States"]["VerifyIdentity"]["Resource"].endswith(":function:lending-local-verify_identity")
    assert "${" not in json.dumps(definition)


def test_the_user_pool_has_the_risk_officer_group_and_the_demo_users(live, stack) -> None:  # type: ignore[no-untyped-def]
    idp = boto3.client("cognito-idp")
    pool = os.environ["USER_POOL_ID"]
    officers = idp.list_users_in_group(UserPoolId=pool, GroupName="risk-officers")["Users"]
    assert sorted(u["Username"] for u in officers) == ["clara", "olivia", "oscar"]
    compliance = idp.list_users_in_group(UserPoolId=pool, GroupName="compliance-officers")["Users"]
    assert [u["Username"] for u in compliance] == ["clara"]  # the only one who decides sanctions hits
    assert {u["username"] for u in stack.users} == {"alice", "bob", "carol", "dave", "erin", "frank", "olivia", "oscar",
                                                    "clara", "sandbox-thin", "sandbox-dormant", "sandbox-falling"}


def test_a_duplicate_upload_event_changes_nothing(live) -> None:  # type: ignore[no-untyped-def]
    from chalicelib import bootstrap
    from chalicelib.services.origination import documents
    from chalicelib.workflow.s3_notifications import objects_created
    from tests.unit.test_application_states import new_app

    def stored_object(record: dict) -> Any:
        return objects_created(json.dumps({"Records": [record]}))[0]

    deps = bootstrap.deps()
    app = new_app()
    deps.repo.add_application(app)
    key = f"applications/{app.application_id}/SELFIE/{'a' * 32}"
    record = {"eventName": "ObjectCreated:Post", "eventTime": "2026-11-29T01:00:00.000Z",
              "s3": {"object": {"key": key, "size": 10, "eTag": "e1"}}}
    assert documents.on_object_created(deps, stored_object(record))
    assert not documents.on_object_created(deps, stored_object(record))  # redelivered
    older = {**record, "eventTime": "2026-11-29T00:59:00.000Z",
             "s3": {"object": {"key": key.replace("a" * 32, "b" * 32), "size": 9, "eTag": "e0"}}}
    assert not documents.on_object_created(deps, stored_object(older))  # out of order: the newer upload stays
    assert [d.s3_key for d in deps.repo.documents_of(app.application_id)] == [key]
    assert not documents.on_object_created(deps, stored_object(
        {**record, "s3": {"object": {"key": "elsewhere/x", "size": 1, "eTag": "e"}}}))


def test_a_cancelled_transaction_leaves_every_item_it_named_as_it_was(live) -> None:  # type: ignore[no-untyped-def]
    """The local stack undoes a cancelled TransactWriteItems item by item (local/moto_atomic.py) instead of
    copying whole tables: the undo must cover updates, puts over existing items and puts of new items."""
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    keyed = lambda pk: {"PK": {"S": pk}, "SK": {"S": "T"}}  # noqa: E731
    db.put_item(TableName=table, Item={**keyed("TXN#updated"), "n": {"N": "1"}})
    db.put_item(TableName=table, Item={**keyed("TXN#replaced"), "n": {"N": "1"}})
    db.put_item(TableName=table, Item={**keyed("TXN#guard"), "n": {"N": "1"}})
    with pytest.raises(ClientError) as refused:
        db.transact_write_items(TransactItems=[
            {"Update": {"TableName": table, "Key": keyed("TXN#updated"), "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}}}},
            {"Put": {"TableName": table, "Item": {**keyed("TXN#replaced"), "n": {"N": "2"}}}},
            {"Put": {"TableName": table, "Item": {**keyed("TXN#new"), "n": {"N": "2"}}}},
            {"ConditionCheck": {"TableName": table, "Key": keyed("TXN#guard"), "ConditionExpression": "n = :two",
                                "ExpressionAttributeValues": {":two": {"N": "2"}}}},
        ])
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    for pk in ("TXN#updated", "TXN#replaced", "TXN#guard"):
        assert db.get_item(TableName=table, Key=keyed(pk))["Item"]["n"] == {"N": "1"}
    assert "Item" not in db.get_item(TableName=table, Key=keyed("TXN#new"))


def test_dynamodb_answers_are_the_same_written_directly_as_by_moto(live) -> None:  # type: ignore[no-untyped-def]
    """local/moto_fast.py writes DynamoDB's item answers as JSON itself; botocore must read exactly what moto's
    own encoder gives, for every attribute type, every item operation and an error."""
    from moto.dynamodb.responses import DynamoResult

    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    item = {"PK": {"S": "FAST#1"}, "SK": {"S": "T"}, "s": {"S": "农商银行 ✓"}, "n": {"N": "-12.50"},
            "b": {"B": b"\x00\xff\x10"}, "t": {"BOOL": True}, "z": {"NULL": True},
            "l": {"L": [{"S": "a"}, {"N": "1"}, {"M": {}}]},
            "m": {"M": {"ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"a", b"\x01"]}}}}
    key = {"PK": item["PK"], "SK": item["SK"]}

    def answers() -> list[object]:
        db.put_item(TableName=table, Item=item)
        got = [db.put_item(TableName=table, Item=item, ReturnValues="ALL_OLD")["Attributes"],
               db.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"],
               db.get_item(TableName=table, Key={"PK": {"S": "FAST#none"}, "SK": {"S": "T"}}),
               db.query(TableName=table, KeyConditionExpression="PK = :pk",
                        ExpressionAttributeValues={":pk": item["PK"]})["Items"],
               db.update_item(TableName=table, Key=key, UpdateExpression="SET n2 = :n",
                              ExpressionAttributeValues={":n": {"N": "3"}}, ReturnValues="ALL_NEW")["Attributes"],
               db.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key}}])["Responses"],
               db.batch_get_item(RequestItems={table: {"Keys": [key]}})["Responses"]]
        try:
            db.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(PK)")
        except ClientError as refused:
            got.append(refused.response["Error"]["Code"])
        for answer in got:
            if isinstance(answer, dict):
                answer.pop("ResponseMetadata", None)
        return got

    fast = answers()
    direct = DynamoResult.execute_result
    DynamoResult.execute_result = direct.__wrapped__  # moto's own encoder
    try:
        assert answers() == fast
    finally:
        DynamoResult.execute_result = direct
    assert fast[1]["b"] == {"B": b"\x00\xff\x10"} and fast[-1] == "ConditionalCheckFailedException"
