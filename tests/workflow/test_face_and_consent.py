"""Face checks and consent through the API on the local stack. Rekognition answers come from the saved responses
in local/rekognition/, chosen by the scenario marked in the selfie (see local/face_scenarios.py)."""

import json
from collections.abc import Callable
from pathlib import Path

import botocore.session
import pytest
from botocore.validate import ParamValidator

from local import face_scenarios
from local.journey import IDCARDS, Journey, document_file

OPERATIONS = {"detect_faces": "DetectFaces", "compare_faces": "CompareFaces",
              "create_face_liveness_session": "CreateFaceLivenessSession", "liveness": "GetFaceLivenessSessionResults"}


def selfie(scenario: str) -> tuple[bytes, str]:
    return (IDCARDS / f"selfie_{scenario}.png").read_bytes(), "image/png"


def test_every_saved_rekognition_answer_fits_the_service_model() -> None:
    model = botocore.session.get_session().get_service_model("rekognition")
    files = sorted(Path(face_scenarios.HERE).glob("*.json"))
    assert len(files) == 10
    for path in files:
        operation = next(op for prefix, op in OPERATIONS.items() if path.stem.startswith(prefix))
        report = ParamValidator().validate(json.loads(path.read_text()), model.operation_model(operation).output_shape)
        assert not report.has_errors(), (path.name, report.generate_report())


@pytest.mark.parametrize(("scenario", "reason"), [("no_face", "NO_FACE"), ("two_faces", "MULTIPLE_FACES"),
                                                  ("sunglasses", "SUNGLASSES")])
def test_a_selfie_failing_the_quality_gate_asks_for_another(journey: Callable[[str], Journey], scenario: str,
                                                            reason: str) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    after = bob.upload_documents(app_id, types=("SELFIE",), files={"SELFIE": selfie(scenario)})
    assert [{k: d[k] for k in ("type", "status", "reason_codes")} for d in after["documents"]] == [
        {"type": "SELFIE", "status": "RETAKE_REQUIRED", "reason_codes": [reason]}]
    assert after["documents"][0]["reasons"][0]["zh"]  # what the app shows: 请重新拍摄 and why, in words


def test_an_uploaded_selfie_that_is_not_the_live_face_is_declined(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    bob.upload_documents(app_id, "valid_zhang", files={"SELFIE": selfie("mismatch")})
    assert bob.pass_liveness(app_id) == "PASS"
    bob.submit(app_id)
    declined = bob.wait_status(app_id, "DECLINED")
    assert declined["decision"]["reason_codes"] == ["IDENTITY_NOT_VERIFIED", "SELFIE_NOT_LIVE_FACE"]


def test_a_live_accomplice_cannot_pass_with_a_photo_of_the_card_holder(journey: Callable[[str], Journey]) -> None:
    """The attack: someone else does the liveness check while the uploaded selfie is a photo of the card holder.
    The face compared with the card is the live one, so the card does not match."""
    bob = journey("carol")
    app_id = bob.apply()
    bob.upload_documents(app_id, "valid_zhang")  # the selfie matches the card
    face_scenarios.set_liveness("pass_mismatch")  # the live face is another person's
    try:
        assert bob.pass_liveness(app_id) == "PASS"
    finally:
        face_scenarios.set_liveness("pass")
    bob.submit(app_id)
    declined = bob.wait_status(app_id, "DECLINED")
    assert declined["decision"]["reason_codes"] == ["IDENTITY_NOT_VERIFIED", "FACE_MISMATCH", "SELFIE_NOT_LIVE_FACE"]


def test_a_borderline_match_goes_to_a_risk_officer(journey: Callable[[str], Journey]) -> None:
    bob, olivia = journey("carol"), journey("olivia")
    app_id = bob.apply()
    bob.upload_documents(app_id, "valid_zhang")
    face_scenarios.set_liveness("pass_borderline")
    try:
        bob.pass_liveness(app_id)
    finally:
        face_scenarios.set_liveness("pass")
    bob.submit(app_id)
    referred = bob.wait_status(app_id, "UNDER_REVIEW")
    assert referred["identity"]["verdict"] == "REVIEW"
    item = next(i for i in olivia.call("GET", "/v1/admin/reviews")["items"] if i["application_id"] == app_id)
    assert "FACE_MATCH_BORDERLINE" in item["reason_codes"] and item["identity"]["id_number_masked"].startswith("3301")


def test_liveness_is_required_and_answers_only_pass_retry_or_fail(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    bob.upload_documents(app_id, "valid_zhang")
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/submit", bob.token, None, None)
    assert status == 409 and payload["error"]["code"] == "LIVENESS_REQUIRED"
    face_scenarios.set_liveness("fail")
    try:
        outcomes = [bob.pass_liveness(app_id) for _ in range(5)]
        assert outcomes == ["RETRY"] * 4 + ["FAIL"]
        status, payload = bob.send("POST", f"/v1/applications/{app_id}/liveness-sessions", bob.token, None, None)
        assert status == 429 and payload["error"]["code"] == "LIVENESS_LOCKED"
    finally:
        face_scenarios.set_liveness("pass")


def test_withdrawing_a_consent_stops_processing(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    withdrawn = bob.call("POST", f"/v1/applications/{app_id}/consents/BIOMETRIC/withdrawal")
    assert withdrawn["status"] == "WITHDRAWN"
    biometric = next(c for c in withdrawn["consents"] if c["kind"] == "BIOMETRIC")
    assert biometric["withdrawn_at"] is not None and biometric["version"] == "v1"
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/liveness-sessions", bob.token, None, None)
    assert status == 409 and payload["error"]["code"] == "CONSENT_REQUIRED"
    post = bob.call("POST", f"/v1/applications/{app_id}/documents", {"type": "SELFIE", "content_type": "image/png"},
                    expect=409)
    assert post["error"]["code"] == "INVALID_STATE"
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/consents/MARKETING/withdrawal", bob.token,
                               None, None)
    assert status == 422


def test_consent_withdrawal_stops_a_waiting_workflow(journey: Callable[[str], Journey], executions) -> None:  # type: ignore[no-untyped-def]
    bob = journey("carol")
    app_id = bob.apply_and_submit()
    bob.wait_status(app_id, "OFFERED")
    bob.call("POST", f"/v1/applications/{app_id}/consents/CREDIT_BUREAU/withdrawal")
    assert executions.origination(app_id)["status"] == "SUCCEEDED"
    assert executions.entered_states("ORIGINATION_STATE_MACHINE_ARN", app_id)[-1] == "Withdrawn"


def test_unused_helper_keeps_imports_honest() -> None:
    assert document_file("SELFIE", "valid_zhang")[1] == "image/png"
