"""Writes infra/*.asl.json: the state machines, spelled out once here so that every Task gets the same
timeout, retry and catch discipline. The JSON files are committed and are what deploy, the local stack and the
tests all read; a test fails if they differ from what this script writes. Run: python infra/build_asl.py"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

# Lambda service errors: retried with exponential backoff and full jitter.
LAMBDA_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                 "Lambda.TooManyRequestsException", "Lambda.Unknown"]
LAMBDA_RETRY = {"ErrorEquals": LAMBDA_ERRORS, "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0,
                "MaxDelaySeconds": 8, "JitterStrategy": "FULL"}
# Business outcomes are final: never retried (MaxAttempts 0), they go straight to their Catch.
FINAL = {"ErrorEquals": ["IdentityNotVerifiedError", "ApplicationWithdrawnError", "DisbursementRefusedError",
                         "InvalidTransitionError"], "MaxAttempts": 0}
# Anything unexpected (a crash, a network error): every step is idempotent, so running it again is safe.
ANY_RETRY = {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0,
             "JitterStrategy": "FULL"}
# Optimistic concurrency lost a race: re-running the step re-reads and tries again.
CONFLICT_RETRY = {"ErrorEquals": ["ConcurrentModificationError"], "IntervalSeconds": 1, "MaxAttempts": 3,
                  "BackoffRate": 2.0, "JitterStrategy": "FULL"}


def task(function: str, next_state: str | None, *, result_path: str, catch: list[dict[str, Any]],
         timeout: int = 30, retry: list[dict[str, Any]] | None = None,
         parameters: dict[str, Any] | None = None, end: bool = False) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": "${" + function + "FunctionArn}",
        "Parameters": parameters or {"application_id.$": "$.application_id"},
        "ResultPath": result_path,
        "TimeoutSeconds": timeout,
        "Retry": [FINAL, *(retry or []), CONFLICT_RETRY, LAMBDA_RETRY, ANY_RETRY],
        "Catch": catch,
    }
    if next_state:
        state["Next"] = next_state
    if end:
        state["End"] = True
    return state


def wait_for_token(function: str, next_state: str, *, result_path: str, catch: list[dict[str, Any]],
                   timeout: int | None = None, timeout_path: str | None = None,
                   id_field: str = "application_id") -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "${" + function + "FunctionArn}",
                       "Payload": {f"{id_field}.$": f"$.{id_field}", "task_token.$": "$$.Task.Token"}},
        "ResultPath": result_path,
        "Retry": [CONFLICT_RETRY, LAMBDA_RETRY],
        "Catch": catch,
        "Next": next_state,
    }
    if timeout_path:
        state["TimeoutSecondsPath"] = timeout_path
    else:
        state["TimeoutSeconds"] = timeout
    return state


def catch(error: str, next_state: str) -> dict[str, Any]:
    return {"ErrorEquals": [error], "ResultPath": "$.error", "Next": next_state}


APP_FAILURE = catch("States.ALL", "RecordFailure")
WITHDRAWN = catch("ApplicationWithdrawnError", "Withdrawn")
WITH_ERROR = {"application_id.$": "$.application_id", "error.$": "$.error"}

ORIGINATION: dict[str, Any] = {
    "Comment": "Loan origination: identity (a person's check where she gave no biometric consent) -> "
               "credit data -> score -> decide (offer / decline / manual review) -> "
               "wait for the signed contract (expires with the offer) -> activate the credit line. "
               "Only ids travel through this workflow; state lives in DynamoDB.",
    "StartAt": "VerifyIdentity",
    "States": {
        "VerifyIdentity": task("VerifyIdentity", "IdentityRoute", result_path="$.identity", timeout=120,
                               catch=[catch("IdentityNotVerifiedError", "DeclineUnverifiedIdentity"), WITHDRAWN,
                                      APP_FAILURE]),
        # no biometric consent: a person verifies her in a branch or by video (the officer's record resumes it)
        "IdentityRoute": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.identity.in_person", "BooleanEquals": True,
                         "Next": "AwaitInPersonVerification"}],
            "Default": "GatherCreditData",
        },
        "AwaitInPersonVerification": wait_for_token(
            "AwaitInPersonVerification", "GatherCreditData", result_path="$.in_person", timeout=14 * 24 * 3600,
            catch=[catch("IdentityNotVerifiedError", "DeclineUnverifiedIdentity"),
                   catch("States.Timeout", "DeclineUnverifiedIdentity"), WITHDRAWN, APP_FAILURE]),
        "DeclineUnverifiedIdentity": task("DeclineApplication", "Declined", result_path="$.outcome",
                                          parameters=WITH_ERROR, catch=[APP_FAILURE]),
        "GatherCreditData": task(
            "GatherCreditData", "ScoreApplication", result_path="$.credit_data", timeout=60,
            retry=[{"ErrorEquals": ["CreditDataUnavailableError"], "IntervalSeconds": 1, "MaxAttempts": 2,
                    "BackoffRate": 2.0, "JitterStrategy": "FULL"}],
            catch=[WITHDRAWN, APP_FAILURE]),
        "ScoreApplication": task("ScoreApplication", "Decide", result_path="$.decision",
                                 catch=[WITHDRAWN, APP_FAILURE]),
        "Decide": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.decision.outcome", "StringEquals": "APPROVE", "Next": "MakeOfferAndAwaitSignature"},
                {"Variable": "$.decision.outcome", "StringEquals": "DECLINE", "Next": "DeclineApplication"},
                {"Variable": "$.decision.outcome", "StringEquals": "REFER", "Next": "AwaitManualReview"},
            ],
            "Default": "UnknownDecision",
        },
        "UnknownDecision": {"Type": "Pass", "Result": {"Error": "UnknownDecisionOutcome"}, "ResultPath": "$.error",
                            "Next": "RecordFailure"},
        "AwaitManualReview": wait_for_token(
            "AwaitReview", "ReviewOutcome", result_path="$.review", timeout=5 * 24 * 3600,
            catch=[WITHDRAWN, APP_FAILURE]),
        "ReviewOutcome": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.review.outcome", "StringEquals": "APPROVE", "Next": "MakeOfferAndAwaitSignature"},
                {"Variable": "$.review.outcome", "StringEquals": "DECLINE", "Next": "DeclineApplication"},
            ],
            "Default": "UnknownDecision",
        },
        "MakeOfferAndAwaitSignature": wait_for_token(
            "MakeOffer", "ActivateCreditLine", result_path="$.signature",
            timeout_path="$.decision.offer_validity_seconds",
            catch=[catch("States.Timeout", "ExpireOffer"), WITHDRAWN, APP_FAILURE]),
        "ExpireOffer": task("ExpireOffer", "AfterExpiry", result_path="$.expiry", catch=[APP_FAILURE]),
        "AfterExpiry": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.expiry.signed", "BooleanEquals": True, "Next": "ActivateCreditLine"}],
            "Default": "Expired",
        },
        "ActivateCreditLine": task("ActivateCreditLine", "Activated", result_path="$.credit_line",
                                   catch=[APP_FAILURE]),
        "DeclineApplication": task("DeclineApplication", "Declined", result_path="$.outcome",
                                   catch=[WITHDRAWN, APP_FAILURE]),
        "RecordFailure": task("RecordApplicationFailure", "Failed", result_path="$.failure", parameters=WITH_ERROR,
                              catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure_of_failure",
                                      "Next": "Failed"}]),
        "Activated": {"Type": "Succeed"},
        "Declined": {"Type": "Succeed"},
        "Expired": {"Type": "Succeed"},
        "Withdrawn": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "Error": "OriginationFailed",
                   "Cause": "a step failed after its retries; the reason is recorded on the application"},
    },
}

DD = {"drawdown_id.$": "$.drawdown_id"}
DD_WITH_ERROR = {"drawdown_id.$": "$.drawdown_id", "error.$": "$.error"}
DD_FAILURE = catch("States.ALL", "RecordDrawdownFailure")

DRAWDOWN: dict[str, Any] = {
    "Comment": "Drawdown: check rules and reserve the limit atomically -> disburse (asking the core for the outcome "
               "by drawdown id before any retry) -> book the loan and its schedule -> notify. A definitive refusal "
               "releases the reservation exactly once; any other failure keeps it for reconciliation.",
    "StartAt": "ReserveLimit",
    "States": {
        "ReserveLimit": task("ReserveLimit", "ReservationOutcome", result_path="$.reservation", parameters=DD,
                             catch=[DD_FAILURE]),
        "ReservationOutcome": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.reservation.reserved", "BooleanEquals": True, "Next": "DisburseFunds"}],
            "Default": "Rejected",
        },
        "DisburseFunds": task(
            "DisburseFunds", "BookLoan", result_path="$.payout", parameters=DD, timeout=60,
            retry=[{"ErrorEquals": ["DisbursementOutcomeUnknownError"], "IntervalSeconds": 2, "MaxAttempts": 4,
                    "BackoffRate": 2.0, "MaxDelaySeconds": 30, "JitterStrategy": "FULL"}],
            catch=[catch("DisbursementRefusedError", "ReleaseReservation"), DD_FAILURE]),
        "ReleaseReservation": task("ReleaseReservation", "PayoutRefused", result_path="$.release",
                                   parameters=DD_WITH_ERROR, catch=[DD_FAILURE]),
        "BookLoan": task("BookLoan", "NotifyDisbursed", result_path="$.loan", parameters=DD, catch=[DD_FAILURE]),
        "NotifyDisbursed": task("NotifyDisbursed", "Completed", result_path="$.notification", parameters=DD,
                                catch=[DD_FAILURE]),
        "RecordDrawdownFailure": task("RecordDrawdownFailure", "DrawdownFailed", result_path="$.failure",
                                      parameters=DD_WITH_ERROR,
                                      catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure_of_failure",
                                              "Next": "DrawdownFailed"}]),
        "Completed": {"Type": "Succeed"},
        "Rejected": {"Type": "Succeed"},
        "PayoutRefused": {"Type": "Fail", "Error": "DisbursementRefusedError",
                          "Cause": "the core banking system refused the payout; the reservation was released"},
        "DrawdownFailed": {"Type": "Fail", "Error": "DrawdownFailed",
                           "Cause": "a step failed after its retries; the reason is recorded on the drawdown"},
    },
}

def distributed_map(comment: str, parts: str, count: int, carried: dict[str, Any], selected: dict[str, Any],
                    task: str, function: str,
                    parameters: dict[str, Any], retry: list[dict[str, Any]], failed: str, error: str,
                    cause: str) -> dict[str, Any]:
    """A run split into ``count`` parts (``parts``: their list's name), each a child execution of its own (its own
    history, retried on its own), 32 at a time, no function ever looping over all of it; a part that fails after
    its retries fails the run (an alarm), and running it again is safe. ``carried``: what the run's input hands
    on; ``selected``: what each part's task gets beside its number."""
    return {
        "Comment": comment,
        "StartAt": parts.title(),
        "States": {
            parts.title(): {"Type": "Pass", "Parameters": {**carried,
                                                           f"{parts}.$": f"States.ArrayRange(0, {count - 1}, 1)"},
                            "Next": task + "s"},
            task + "s": {
                "Type": "Map",
                "ItemsPath": f"$.{parts}",
                "ItemSelector": {f"{parts[:-1]}.$": "$$.Map.Item.Value", **selected},
                "MaxConcurrency": 32,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": task,
                    "States": {
                        task: {
                            "Type": "Task", "Resource": f"${{{function}FunctionArn}}",
                            "Parameters": parameters, "TimeoutSeconds": 900, "Retry": retry,
                            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": failed}],
                            "End": True},
                        failed: {"Type": "Fail", "Error": error, "Cause": cause},
                    },
                },
                "ResultSelector": {f"{parts}.$": "$"},
                "ResultPath": "$.result",
                "End": True,
            },
        },
    }


# The daily sweep: one task per shard of the portfolio (domain/portfolio.py: SWEEP_SHARDS).
SWEEP_SHARDS = 64
SWEEP = distributed_map(
    "Daily portfolio sweep: auto-debit, early-warning signals, classification, figures; one task per shard of the "
    "credit lines. Input: {\"day\": \"YYYY-MM-DD\"} (Beijing business date).",
    "shards", SWEEP_SHARDS, {"day.$": "$.day"}, {"day.$": "$.day"}, "SweepShard", "SweepShard",
    {"shard.$": "$.shard", "day.$": "$.day"},
    [CONFLICT_RETRY, LAMBDA_RETRY, ANY_RETRY], "ShardFailed", "SweepShardFailed",
    "a shard failed after its retries: the run fails; sweeping the day again is safe")

# Pre-approval: every customer of the bank, in segments (services/origination/pre_approvals.py:
# PRE_APPROVAL_SEGMENTS). The bank's own data only: no bureau query.
PRE_APPROVAL_SEGMENTS = 64
PRE_APPROVAL = distributed_map(
    "Pre-approval (预授信) of the bank's customers from its own data; one task per segment of the customers. "
    "Input: {} (the run's time is the functions' clock).",
    "segments", PRE_APPROVAL_SEGMENTS, {}, {"segments": PRE_APPROVAL_SEGMENTS}, "PreApproveSegment",
    "PreApproveSegment", {"segment.$": "$.segment", "segments.$": "$.segments"},
    # the customer information system did not answer: later, with backoff
    [{"ErrorEquals": ["CustomerRecordsUnavailableError"], "IntervalSeconds": 5, "MaxAttempts": 3,
      "BackoffRate": 2.0, "JitterStrategy": "FULL"}, LAMBDA_RETRY, ANY_RETRY],
    "SegmentFailed", "PreApprovalSegmentFailed",
    "a segment failed after its retries: the run fails; running it again is safe (each customer's pre-approval "
    "is replaced)")

DEFINITIONS = {"origination.asl.json": ORIGINATION, "drawdown.asl.json": DRAWDOWN, "sweep.asl.json": SWEEP,
               "pre_approval.asl.json": PRE_APPROVAL}


def render(definition: dict[str, Any]) -> str:
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    for name, definition in DEFINITIONS.items():
        (HERE / name).write_text(render(definition), encoding="utf-8")
        print(f"wrote infra/{name}")  # noqa: T201
