"""The contract and its e-signature through the API on the local stack: offer -> accept -> review the PDF (its
sha256 shown first) -> OTP from the dev outbox -> signed (borrower + bank seal, PAdES B-LTA) -> credit line ACTIVE
-> verified again."""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import requests

from chalicelib import bootstrap
from chalicelib.services.origination import contracts
from local import moto_iam
from local.journey import Journey, scheduled_run


def test_offer_accept_review_otp_sign_activate_and_verify(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit(requested_fen=5_000_000, revenue_fen=50_000_000)
    alice.wait_status(app_id, "OFFERED")
    offer = alice.call("GET", f"/v1/applications/{app_id}/offer")
    assert offer["credit_limit_in_words"] == "人民币伍万元整" and offer["fees_fen"] == 0
    example = offer["worked_example"]
    assert example["total_repaid_fen"] == example["amount_fen"] + example["total_interest_fen"]

    unsigned = alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    assert unsigned["status"] == "UNSIGNED" and unsigned["signatures"] == []
    pdf = requests.get(unsigned["download_url"], timeout=10).content  # what the customer reviews
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == unsigned["sha256"]

    status, _ = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token, {"otp": "000000"})
    assert status == 422  # no code asked for yet (OTP_INVALID)
    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    otp = alice.latest_otp()
    wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
    status, payload = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token, {"otp": wrong})
    assert status == 422 and payload["error"]["code"] == "OTP_INVALID"
    status, _ = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token, {"otp": "12ab56"})
    assert status == 422

    signed = alice.call("POST", f"/v1/applications/{app_id}/contract/signature", {"otp": otp})
    assert signed["status"] == "SIGNED" and signed["pades_level"] == "B-LTA"
    assert signed["sha256"] == unsigned["sha256"]  # the reviewed document, still named
    assert [s["field"] for s in signed["signatures"]] == ["Borrower", "BankSeal", "ArchiveTimestamp"]
    assert "张三" in signed["signatures"][0]["signer"] and "*" in signed["signatures"][0]["signer"]  # masked ID
    signed_pdf = requests.get(signed["download_url"], timeout=10).content
    assert hashlib.sha256(signed_pdf).hexdigest() == signed["signed_sha256"]
    assert signed_pdf.startswith(pdf)  # incremental updates: the reviewed bytes are the signed document's start
    # a later write under the same key (an orphan of a signing whose answer was lost) changes nothing: the link
    # is to the version on record
    import os

    import boto3

    boto3.client("s3").put_object(Bucket=os.environ["CONTRACTS_BUCKET"], Key=f"contracts/{app_id}/agreement-signed.pdf",
                                  Body=b"%PDF-1.7 orphan")
    again = alice.call("GET", f"/v1/applications/{app_id}/contract")
    assert requests.get(again["download_url"], timeout=10).content == signed_pdf

    assert alice.wait_status(app_id, "ACTIVE", "FAILED")["status"] == "ACTIVE"
    status, payload = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token, {"otp": otp})
    assert status == 409 and payload["error"]["code"] == "CONTRACT_ALREADY_SIGNED"

    report = alice.call("GET", f"/v1/applications/{app_id}/contract/verification")
    assert report["valid"] and report["intact"] and report["matches_recorded_sha256"]
    assert report["pades_level"] == "B-LTA" and not report["modified_after_last_signature"]
    assert all(s["valid"] and s["timestamp_at"] for s in report["signatures"])

    # years later, before the TSA certificate expires: the back office renews the archive timestamp (PAdES-LTA)
    status, _ = alice.send("POST", f"/v1/admin/contracts/{app_id}/archive-timestamp", alice.token)
    assert status == 403
    renewed = journey("olivia").call("POST", f"/v1/admin/contracts/{app_id}/archive-timestamp")
    assert [s["field"] for s in renewed["signatures"]][-2:] == ["ArchiveTimestamp", "ArchiveTimestamp2"]
    assert renewed["signed_sha256"] != signed["signed_sha256"]
    renewed_pdf = requests.get(renewed["download_url"], timeout=10).content
    assert renewed_pdf.startswith(signed_pdf)  # a new revision after the old bytes, as a new object version
    again = alice.call("GET", f"/v1/applications/{app_id}/contract/verification")
    assert again["valid"] and again["matches_recorded_sha256"] and len(again["signatures"]) == 4

    # the monthly schedule, as EventBridge runs it (its own role): nothing is due yet, everything is checked
    run = scheduled_run("renew_archive_timestamps", datetime.now(UTC).isoformat())
    assert run["checked"] >= 1 and run["failed"] == 0
    # and a renewal it makes, with its role's permissions (read the contract, write a version, set retention)
    with moto_iam.acting_as("renew_archive_timestamps"):
        contracts.renew_archive_timestamp(bootstrap.deps(), app_id, datetime.now(UTC))
    third = alice.call("GET", f"/v1/applications/{app_id}/contract/verification")
    assert third["valid"] and third["matches_recorded_sha256"] and len(third["signatures"]) == 5


def test_the_verification_of_an_unsigned_contract_is_a_409(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    status, payload = alice.send("GET", f"/v1/applications/{app_id}/contract/verification", alice.token)
    assert status == 409 and payload["error"]["code"] == "INVALID_STATE"


def test_where_no_ca_is_connected_signing_is_a_503_and_nothing_changes(journey: Callable[[str], Journey],
                                                                        live: object) -> None:
    from chalicelib import bootstrap
    from chalicelib.adapters.pdf_contract_signing import PdfContractSigning

    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)  # rendering needs no CA
    bootstrap.override(contracts=PdfContractSigning(None, "", None))  # what a stage without a CA/TSA gets
    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    status, payload = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token,
                                 {"otp": alice.latest_otp()})
    assert status == 503 and payload["error"]["code"] == "CONTRACT_SIGNING_UNAVAILABLE"
    assert alice.call("GET", f"/v1/applications/{app_id}")["status"] == "ACCEPTED"
    assert alice.call("GET", f"/v1/applications/{app_id}/contract")["status"] == "UNSIGNED"
