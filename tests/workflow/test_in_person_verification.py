"""Verification without the face (人脸识别技术应用安全管理办法): a customer who does not give the biometric consent
applies, her card is read, no face is taken; the origination workflow waits on a task token until an officer who
saw her in a branch or on a video call records the outcome. The attacks first: a selfie cannot be sent on this
route, another customer cannot record it, a customer cannot record her own; not verified declines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from local.journey import CONSENTS, Journey, application_body


def apply_in_person(person: Journey) -> str:
    body: dict[str, Any] = {**application_body(), "identity_verification": "IN_PERSON",
                            "consents": [c for c in CONSENTS if c["kind"] != "BIOMETRIC"]}
    app_id = str(person.call("POST", "/v1/applications", body, expect=201)["application_id"])
    status, refused = person.send("POST", f"/v1/applications/{app_id}/documents", person.token,
                                  {"type": "SELFIE", "content_type": "image/png"})
    assert status == 422 and refused["error"]["code"] == "VALIDATION_ERROR"  # no face is taken on this route
    person.upload_documents(app_id, "valid_zhang", types=("ID_CARD_FRONT", "ID_CARD_BACK"))
    person.submit(app_id)  # no liveness, no selfie
    return app_id


def record(officer: Journey, app_id: str, outcome: str, expect: int = 200) -> Any:
    return officer.call("POST", f"/v1/admin/applications/{app_id}/in-person-verification",
                        {"outcome": outcome, "channel": "BRANCH", "branch": "上城支行营业部",
                         "comment": "核对身份证原件与本人一致"}, expect=expect)


def test_the_application_waits_for_an_officer_who_saw_her_and_then_goes_on_to_an_offer(
        journey: Callable[[str], Journey]) -> None:
    alice, bob, olivia = journey("alice"), journey("bob"), journey("olivia")
    body = {**application_body(), "consents": [c for c in CONSENTS if c["kind"] != "BIOMETRIC"]}
    status, refused = alice.send("POST", "/v1/applications", alice.token, body)
    assert status == 422 and refused["error"]["details"]["missing"] == ["BIOMETRIC"]  # the face route needs it

    app_id = apply_in_person(alice)
    waiting = alice.wait_for(f"/v1/applications/{app_id}", lambda b: b["next_action"] == "VERIFY_IN_PERSON")
    assert waiting["status"] == "SUBMITTED" and waiting["identity_verification"] == "IN_PERSON"
    assert any("网点" in m["text"] for m in alice.call("GET", "/v1/dev/outbox")["items"])  # told where to go
    listed = olivia.call("GET", "/v1/admin/in-person-verifications")["items"]
    mine = next(i for i in listed if i["application_id"] == app_id)
    assert mine["id_number_masked"] == "3301**********0012" and "张*" == mine["applicant_name_masked"]

    for who in (alice, bob):  # customers: never
        status, _ = who.send("POST", f"/v1/admin/applications/{app_id}/in-person-verification", who.token,
                             {"outcome": "VERIFIED", "channel": "BRANCH", "branch": "上城支行", "comment": "我自己"})
        assert status == 403
    done = record(olivia, app_id, "VERIFIED")
    assert done["outcome"] == "VERIFIED" and done["branch"] == "上城支行营业部" and done["officer"]
    assert alice.wait_status(app_id, "OFFERED", "UNDER_REVIEW", "DECLINED")["status"] == "OFFERED"
    record(olivia, app_id, "VERIFIED", expect=409)  # once
    trail = alice.call("GET", f"/v1/applications/{app_id}")
    assert trail["liveness_passed"] is False  # no face was ever processed


def test_not_verified_in_person_declines_with_that_reason(journey: Callable[[str], Journey]) -> None:
    alice, olivia = journey("alice"), journey("olivia")
    app_id = apply_in_person(alice)
    alice.wait_for(f"/v1/applications/{app_id}", lambda b: b["next_action"] == "VERIFY_IN_PERSON")
    record(olivia, app_id, "NOT_VERIFIED")
    declined = alice.wait_status(app_id, "DECLINED")
    assert "IN_PERSON_NOT_VERIFIED" in declined["decision"]["reason_codes"]
