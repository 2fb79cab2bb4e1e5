"""Least privilege, enforced: every function runs on the local stack with its own role from the template, and
IAM is checked as AWS checks it. For each function, calls it has no business making are refused; the calls its
code makes are allowed (the journey, review, daily-job and renewal tests run under the same enforcement)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from local import moto_iam

pytestmark = pytest.mark.usefixtures("live")


def client(service: str) -> Any:
    """A client that signs as whichever function is acting (as the app's own clients do)."""
    made = boto3.client(service, config=boto3.session.Config(signature_version="s3v4") if service == "s3" else None)
    moto_iam.sign_as_acting(made)
    return made


def refused(function: str, call: Callable[[], Any]) -> str:
    with moto_iam.acting_as(function), pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def allowed(function: str, call: Callable[[], Any]) -> Any:
    with moto_iam.acting_as(function):
        return call()


def seal_key() -> str:
    return os.environ["SEAL_KEY_ID"]


def sign_with_seal() -> Any:
    return client("kms").sign(KeyId=seal_key(), Message=b"x" * 32, MessageType="RAW",
                              SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")


def test_only_the_sealing_function_signs_with_the_bank_seal() -> None:
    assert allowed("seal_contract", sign_with_seal)["Signature"]
    for function in ("api_handler", "jwt_authorizer", "renew_archive_timestamps", "disburse_funds", "make_offer",
                     "on_document_uploaded"):
        assert refused(function, sign_with_seal) == "AccessDeniedException", function


def test_the_authorizer_reads_nothing() -> None:
    table = os.environ["TABLE_NAME"]
    get = lambda: client("dynamodb").get_item(TableName=table, Key={"PK": {"S": "X"}, "SK": {"S": "X"}})  # noqa: E731
    assert refused("jwt_authorizer", get) == "AccessDeniedException"
    assert refused("jwt_authorizer", lambda: client("s3").get_object(
        Bucket=os.environ["UPLOADS_BUCKET"], Key="anything")) == "AccessDenied"
    assert refused("jwt_authorizer", lambda: client("secretsmanager").get_secret_value(
        SecretId=os.environ["OTP_SECRET_ARN"])) == "AccessDeniedException"
    assert allowed("api_handler", get) is not None


def test_the_api_cannot_write_credit_reports_nor_decrypt_with_keys_it_does_not_hold() -> None:
    put_report = lambda: client("s3").put_object(Bucket=os.environ["REPORTS_BUCKET"], Key="reports/x/forged.json",  # noqa: E731
                                                  Body=b"{}")
    assert refused("api_handler", put_report) == "AccessDenied"
    assert allowed("gather_credit_data", put_report)
    public_key = lambda: client("kms").get_public_key(KeyId=seal_key())  # noqa: E731
    assert refused("api_handler", public_key) == "AccessDeniedException"
    with moto_iam.acting_as("api_handler"):
        blob = client("kms").encrypt(KeyId=os.environ["FIELD_KEY_ID"], Plaintext=b"secret")["CiphertextBlob"]
    assert allowed("disburse_funds", lambda: client("kms").decrypt(CiphertextBlob=blob))["Plaintext"] == b"secret"
    assert refused("disburse_funds", lambda: client("kms").encrypt(KeyId=os.environ["FIELD_KEY_ID"],
                                                                   Plaintext=b"x")) == "AccessDeniedException"
    assert refused("api_handler", lambda: client("kms").create_key()) == "AccessDeniedException"


def test_workflow_steps_cannot_reach_what_other_steps_need() -> None:
    table = os.environ["TABLE_NAME"]
    delete = lambda: client("dynamodb").delete_item(TableName=table, Key={"PK": {"S": "X"}, "SK": {"S": "X"}})  # noqa: E731
    scan = lambda: client("dynamodb").scan(TableName=table, Limit=1)  # noqa: E731
    read_upload = lambda: client("s3").get_object(Bucket=os.environ["UPLOADS_BUCKET"], Key="x")  # noqa: E731
    start = lambda: client("stepfunctions").start_execution(  # noqa: E731
        stateMachineArn=os.environ["DRAWDOWN_STATE_MACHINE_ARN"], input="{}")
    for function in ("reserve_limit", "disburse_funds", "book_loan", "release_reservation", "notify_disbursed",
                     "record_drawdown_failure", "make_offer", "score_application", "sweep_shard",
                     "daily_sweep",
                     "seal_contract", "renew_archive_timestamps", "on_credit_report_stored"):
        assert refused(function, delete) == "AccessDeniedException", function
        assert refused(function, scan) == "AccessDeniedException", function
        assert refused(function, read_upload) == "AccessDenied", function
        assert refused(function, start) == "AccessDeniedException", function
    # the document handler reads uploads (and is told "no such key" for a missing one, having s3:ListBucket)
    assert refused("on_document_uploaded", read_upload) == "NoSuchKey"
    assert refused("on_document_uploaded", delete) == "AccessDeniedException"


def test_the_workflow_role_invokes_the_steps_and_nothing_else() -> None:
    from local import lambda_runtime

    prefix = lambda_runtime.FUNCTION_PREFIX
    creds = moto_iam._identities["states"]
    lam = boto3.client("lambda", aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
                       aws_session_token=creds.token)
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName=prefix + "seal_contract", Payload=b"{}")
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    answer = lam.invoke(FunctionName=prefix + "release_reservation", Payload=json.dumps({}).encode())
    assert answer["StatusCode"] == 200  # allowed: the step itself then fails on its empty input


def test_a_missing_key_is_access_denied_to_a_role_that_may_not_list_the_bucket() -> None:
    """AWS answers 403, not 404, for a key that is not there unless the caller may s3:ListBucket."""
    iam, sts = boto3.client("iam"), boto3.client("sts")
    bucket = os.environ["UPLOADS_BUCKET"]
    role = iam.create_role(RoleName="test-get-only", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
            "AWS": boto3.client("sts").get_caller_identity()["Arn"]}}]}))["Role"]  # the operator may assume it
    iam.put_role_policy(RoleName="test-get-only", PolicyName="get", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    try:
        moto_iam.register_identity("test-get-only", sts.assume_role(RoleArn=role["Arn"],
                                                                    RoleSessionName="test")["Credentials"])
        assert refused("test-get-only", lambda: client("s3").get_object(Bucket=bucket, Key="none")) == "AccessDenied"
        iam.put_role_policy(RoleName="test-get-only", PolicyName="list", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",
                                                    "Resource": f"arn:aws:s3:::{bucket}"}]}))
        assert refused("test-get-only", lambda: client("s3").get_object(Bucket=bucket, Key="none")) == "NoSuchKey"
    finally:
        for name in iam.list_role_policies(RoleName="test-get-only")["PolicyNames"]:
            iam.delete_role_policy(RoleName="test-get-only", PolicyName=name)
        iam.delete_role(RoleName="test-get-only")


def test_an_upload_form_is_accepted_only_as_its_signer_may_and_as_it_was_signed() -> None:
    bucket = os.environ["UPLOADS_BUCKET"]

    def form(function: str, key: str) -> dict[str, Any]:
        with moto_iam.acting_as(function):
            return dict(client("s3").generate_presigned_post(
                Bucket=bucket, Key=key, Fields={"Content-Type": "image/jpeg"},
                Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, 100]], ExpiresIn=60))

    def post(presigned: dict[str, Any], data: bytes, **changed: str) -> int:
        fields = {**presigned["fields"], **changed}
        return requests.post(presigned["url"], data=fields, files={"file": ("f", data, "image/jpeg")},
                             timeout=10).status_code

    by_api = form("api_handler", "uploads/test/photo.jpg")
    assert post(by_api, b"x" * 10) in (200, 204)
    assert post(by_api, b"x" * 101) == 400  # EntityTooLarge: bigger than the form allows
    assert post(by_api, b"x" * 10, key="uploads/test/other.jpg") == 403  # a key the form was not signed for
    assert post(form("make_offer", "uploads/test/photo2.jpg"), b"x" * 10) == 403  # signer may not PutObject
    v2 = {"url": by_api["url"], "fields": {"key": "uploads/test/v2.jpg", "AWSAccessKeyId": "AKIA0000000000000000",
                                           "policy": by_api["fields"]["policy"], "signature": "x"}}
    assert post(v2, b"x" * 10) == 403  # signature version 2: S3 refuses it for SSE-KMS buckets


def test_an_upload_form_refuses_fields_its_policy_does_not_name() -> None:
    """S3 answers "Invalid according to Policy: Extra input fields": an uploader cannot make the photo public
    (acl=public-read was stored as a public grant) nor send the browser on to a site of its choosing."""
    bucket = os.environ["UPLOADS_BUCKET"]
    key = "uploads/test/extra.jpg"
    with moto_iam.acting_as("api_handler"):
        presigned = client("s3").generate_presigned_post(
            Bucket=bucket, Key=key, Fields={"Content-Type": "image/jpeg"},
            Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, 100]], ExpiresIn=60)

    def post(**extra: str) -> int:
        return requests.post(presigned["url"], data={**presigned["fields"], **extra},
                             files={"file": ("f", b"x" * 10, "image/jpeg")}, timeout=10).status_code

    assert post(acl="public-read") == 403
    assert post(success_action_redirect="https://evil.example/") == 403
    assert post(**{"x-amz-meta-owner": "someone"}) == 403
    with pytest.raises(ClientError):  # none of the refused forms stored anything
        boto3.client("s3").head_object(Bucket=bucket, Key=key)
    assert post(**{"x-ignore-note": "S3 ignores x-ignore-* fields"}) in (200, 204)
    assert post() in (200, 204)
    grants = boto3.client("s3").get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants)


def test_the_operator_is_not_a_function_and_functions_are_not_the_operator() -> None:
    assert moto_iam.acting_function() is None
    with moto_iam.acting_as("api_handler"):
        who = client("sts").get_caller_identity()["Arn"]
    assert who.endswith("assumed-role/lending-local-ApiHandlerRole/api_handler")
    assert boto3.client("sts").get_caller_identity()["Arn"].endswith(f"user/{moto_iam.OPERATOR_USER}")


def test_a_presigned_download_is_honoured_only_as_signed_and_only_for_its_signer() -> None:
    bucket, key = os.environ["CONTRACTS_BUCKET"], "contracts/test/agreement-unsigned.pdf"
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=b"%PDF-1.7 test")

    def url(function: str, object_key: str = key) -> str:
        with moto_iam.acting_as(function):
            return str(client("s3").generate_presigned_url("get_object", Params={"Bucket": bucket,
                                                                                "Key": object_key}, ExpiresIn=60))

    good = url("api_handler")
    assert requests.get(good, timeout=10).content == b"%PDF-1.7 test"
    assert requests.get(good.replace("agreement-unsigned", "agreement-signed"), timeout=10).status_code == 403
    assert requests.get(url("make_offer"), timeout=10).status_code == 403  # its role may not read contracts


def test_every_function_is_refused_something_it_does_not_need() -> None:
    """At least one refusal for every function the app has: none but the sealing function signs with the seal,
    none but the API scans the table or starts a workflow."""
    import app
    from local import lambda_runtime

    table = os.environ["TABLE_NAME"]
    scan = lambda: client("dynamodb").scan(TableName=table, Limit=1)  # noqa: E731
    start = lambda: client("stepfunctions").start_execution(  # noqa: E731
        stateMachineArn=os.environ["ORIGINATION_STATE_MACHINE_ARN"], input="{}")
    for function in lambda_runtime.identities(app.app):
        if function != "seal_contract":
            assert refused(function, sign_with_seal) == "AccessDeniedException", function
        if function != "api_handler":
            assert refused(function, scan) == "AccessDeniedException", function
            assert refused(function, start) == "AccessDeniedException", function


def test_only_the_feed_delivers_external_records_and_only_their_handler_reads_them() -> None:
    bucket = os.environ["REPORTS_BUCKET"]
    put = lambda key: (lambda: client("s3").put_object(Bucket=bucket, Key=key, Body=b"{}"))  # noqa: E731
    get = lambda key: (lambda: client("s3").get_object(Bucket=bucket, Key=key))  # noqa: E731
    # the feed's role writes under external/ (the dev route's tests deliver records that way) and nowhere else,
    # and it cannot read anything back
    assert refused("external_records_feed", put("reports/app_x/bureau.json")) == "AccessDenied"
    assert refused("external_records_feed", get("reports/app_x/bureau.json")) == "AccessDenied"
    for function in ("api_handler", "gather_credit_data", "on_credit_report_stored", "on_external_record"):
        assert refused(function, put("external/JUDICIAL/forged.json")) == "AccessDenied", function
    for function in ("api_handler", "gather_credit_data", "score_application", "on_credit_report_stored"):
        assert refused(function, get("external/JUDICIAL/any.json")) == "AccessDenied", function
    assert refused("on_external_record", get("reports/app_x/bureau.json")) == "AccessDenied"
