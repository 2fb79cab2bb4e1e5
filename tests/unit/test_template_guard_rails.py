"""The production guard rails, read from the template that deploys (infra/resources.json, merged into what
`chalice package` generates). cfn-lint and checkov run over the packaged template in `make test`; these tests
say what each rail is for, so that removing one fails for a reason a reader understands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = json.loads((ROOT / "infra" / "resources.json").read_text(encoding="utf-8"))
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
RUNBOOK = (ROOT / "docs" / "operators" / "deploy.md").read_text(encoding="utf-8")  # for the operators


def of_type(kind: str) -> dict[str, Any]:
    return {k: v for k, v in RESOURCES.items() if v.get("Type") == kind}


def test_every_bucket_refuses_requests_without_tls() -> None:
    policies = {p["Properties"]["Bucket"]["Ref"]: p["Properties"]["PolicyDocument"]["Statement"]
                for p in of_type("AWS::S3::BucketPolicy").values()}
    assert set(policies) == set(of_type("AWS::S3::Bucket"))
    for bucket, statements in policies.items():
        deny = [s for s in statements if s["Effect"] == "Deny"
                and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}]
        assert deny and deny[0]["Action"] == "s3:*" and deny[0]["Principal"] == "*", bucket
        assert {json.dumps(r) for r in deny[0]["Resource"]} == {
            json.dumps({"Fn::GetAtt": [bucket, "Arn"]}), json.dumps({"Fn::Sub": "${" + bucket + ".Arn}/*"})}


def test_the_api_stage_is_throttled_traced_and_logged_without_tokens_or_personal_data() -> None:
    api = RESOURCES["RestAPI"]["Properties"]
    (method,) = api["MethodSettings"]
    assert method["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert method["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}
    assert method["DataTraceEnabled"] is False  # full request logging would write bodies (names, ID numbers)
    assert api["TracingEnabled"] is True
    log_format = json.loads(api["AccessLogSetting"]["Format"])
    for forbidden in ("sourceIp", "userAgent", "authorization", "Authorization", "$input", "$context.path",
                      "requestOverride", "$context.authorizer.claims"):
        assert all(forbidden not in value for value in log_format.values()), forbidden
    plan = RESOURCES["ApiUsagePlan"]["Properties"]
    assert plan["Throttle"] == {"RateLimit": {"Ref": "ApiRateLimit"}, "BurstLimit": {"Ref": "ApiBurstLimit"}}
    assert plan["Quota"]["Period"] == "DAY"


def test_the_steps_that_move_money_have_reserved_concurrency() -> None:
    for step in ("ReserveLimit", "DisburseFunds", "BookLoan", "ReleaseReservation"):
        assert RESOURCES[step]["Properties"]["ReservedConcurrentExecutions"] == {"Ref": "DisbursementConcurrency"}


def test_functions_and_state_machines_are_traced() -> None:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    assert config["stages"]["prod"]["xray"] is True  # chalice sets Tracing: Active on every function
    for machine in of_type("AWS::Serverless::StateMachine").values():
        assert machine["Properties"]["Tracing"] == {"Enabled": True}


def test_every_alarm_notifies_operations_and_has_a_runbook_line() -> None:
    alarms = of_type("AWS::CloudWatch::Alarm")
    watched = {(a["Properties"]["Namespace"], a["Properties"]["MetricName"]) for a in alarms.values()}
    assert {("AWS/SQS", "ApproximateNumberOfMessagesVisible"), ("AWS/States", "ExecutionsFailed"),
            ("Lending", "DrawdownNeedsAttention"), ("Lending", "ReconciliationBreaks"),
            ("AWS/Lambda", "Errors"), ("AWS/ApiGateway", "5XXError")} <= watched
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "OperationsAlarmTopic"}], name
        assert f"`{name}`" in RUNBOOK, f"the operators' runbook has no line for {name}"


def test_every_checkov_skip_says_why() -> None:
    for name, resource in RESOURCES.items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert skip["id"].startswith("CKV_") and len(skip.get("comment", "")) > 40, name


def test_the_packaged_template_has_the_document_function_as_an_image_and_the_rest_in_the_zip(tmp_path: Path) -> None:
    from infra.template import build

    packaged = json.loads(build(tmp_path).read_text(encoding="utf-8"))
    functions = {k: v["Properties"] for k, v in packaged["Resources"].items()
                 if v["Type"] == "AWS::Serverless::Function"}
    document = functions.pop("OnDocumentUploaded")
    assert document["PackageType"] == "Image" and document["ImageUri"] == {"Ref": "DocumentFunctionImageUri"}
    assert "CodeUri" not in document and "Handler" not in document
    assert document["ImageConfig"]["Command"] == ["chalicelib.workflow.handlers.on_document_uploaded"]
    assert all(p["CodeUri"] == "./deployment.zip" and p["Runtime"] == "python3.12" for p in functions.values())
    assert all(p["Tracing"] == "Active" for p in [document, *functions.values()])
    assert functions["SealContract"]["FunctionName"] == {"Fn::Sub": "${AWS::StackName}-seal_contract"}


def test_api_gateways_own_answers_are_in_the_error_format_and_echo_nothing() -> None:
    """API Gateway answers some requests before any function runs (no route, a bad token, a body too large, a
    throttle); its default bodies are outside the error format, and the no-route one echoes the Authorization
    header (``$context.error.messageString``). Every one is given a fixed body the app can show."""
    from chalicelib.api.error_texts import zh_message

    responses = {r["Properties"]["ResponseType"]: r["Properties"]
                 for r in of_type("AWS::ApiGateway::GatewayResponse").values()}
    assert {"DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN",
            "REQUEST_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "THROTTLED", "QUOTA_EXCEEDED"} <= set(responses)
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == "404"  # no such route, said as such
    for kind, props in responses.items():
        template = props["ResponseTemplates"]["application/json"]
        assert "$context" not in template and "$input" not in template, kind  # nothing of the caller's comes back
        error = json.loads(template)["error"]
        assert set(error) == {"code", "message", "message_zh", "details"}, kind
        assert error["message_zh"] == zh_message(error["code"], 500 if kind == "DEFAULT_5XX" else 400), kind
        assert props["ResponseParameters"]["gatewayresponse.header.Content-Type"] == "'application/json'", kind


def test_raw_personal_data_in_buckets_expires() -> None:
    """What is kept raw only to be processed goes once it has been: card photos and selfies (30 days, the
    review's time), officers' watermarked copies (a day), external records such as a court list naming an ID
    number (30 days: twice the dead-letter queue's 14, so a redriven event still finds its record; what the
    record says is kept by the subject's keyed hash in the table). Signed contracts are kept (object lock)."""
    expiry = {(bucket, rule["Prefix"]): rule["ExpirationInDays"]
              for bucket, props in of_type("AWS::S3::Bucket").items()
              for rule in props["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
              if rule["Status"] == "Enabled" and "ExpirationInDays" in rule}
    assert expiry[("UploadsBucket", "applications/")] == 30
    assert expiry[("UploadsBucket", "review-copies/")] == 1
    assert expiry[("CreditReportsBucket", "external/")] == 30
    dead_letters = RESOURCES["ExternalRecordEventsDeadLetterQueue"]["Properties"]["MessageRetentionPeriod"]
    assert expiry[("CreditReportsBucket", "external/")] * 86400 >= 2 * dead_letters
