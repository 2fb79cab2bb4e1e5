"""The origination state machine (infra/origination.asl.json) executed by moto, with the real handlers."""

from collections.abc import Callable

from chalicelib import bootstrap
from chalicelib.domain.errors import CreditDataUnavailableError
from chalicelib.ports import CreditBureau
from local.journey import Journey
from tests.workflow.conftest import Executions

PII = ("13800138000", "张三", "6222021234567890123", "91330100MA2B3C4D5N")


def test_happy_path_offers_then_activates_and_history_holds_no_personal_data(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.accept_and_sign(app_id)
    execution = executions.origination(app_id)
    assert execution["status"] == "SUCCEEDED"
    assert executions.entered_states("ORIGINATION_STATE_MACHINE_ARN", app_id) == [
        "VerifyIdentity", "IdentityRoute", "GatherCreditData", "ScoreApplication", "Decide",
        "MakeOfferAndAwaitSignature",
        "ActivateCreditLine", "Activated"]
    history = executions.history_text("ORIGINATION_STATE_MACHINE_ARN", app_id)
    assert not [p for p in PII if p in history]


def test_decline_by_policy_rule_and_by_risk_grade_with_reasons(journey: Callable[[str], Journey],
                                                                executions: Executions) -> None:
    bob = journey("carol")
    too_much = bob.wait_status(bob.apply_and_submit(requested_fen=30_000_000, revenue_fen=10_000_000), "DECLINED")
    assert too_much["decision"]["reason_codes"] == ["DEBT_TO_INCOME_TOO_HIGH"]
    assert too_much["decision"]["reasons"][0]["zh"] == "负债收入比过高" and too_much["next_action"] == "NONE"
    risky = bob.wait_status(bob.apply_and_submit(card="risky_zhou"), "DECLINED")  # bureau record: grade F
    codes = risky["decision"]["reason_codes"]
    assert codes[0] == "HIGH_RISK_GRADE" and 2 <= len(codes) <= 4
    assert executions.origination(risky["application_id"])["status"] == "SUCCEEDED"


def test_manual_review_waits_for_an_officer_whose_decision_resumes_the_workflow(
        journey: Callable[[str], Journey], executions: Executions, stack) -> None:  # type: ignore[no-untyped-def]
    bob, olivia = journey("carol"), journey("olivia")
    approved_id = bob.apply_and_submit(card="refer_sun", requested_fen=8_000_000, revenue_fen=100_000_000)
    declined_id = bob.apply_and_submit(card="refer_sun", requested_fen=9_000_000, revenue_fen=100_000_000)
    bob.wait_status(approved_id, "UNDER_REVIEW")
    bob.wait_status(declined_id, "UNDER_REVIEW")
    queue = {i["application_id"]: i for i in olivia.call("GET", "/v1/admin/reviews")["items"]}
    item = queue[approved_id]
    assert item["applicant_name_masked"] == "孙*" and item["applicant_phone_masked"] == "138****8000"
    assert item["reason_codes"][0] == "BORDERLINE_RISK_GRADE" and item["proposed_limit_fen"] == 8_000_000
    assert item["risk"]["grade"] == "D" and item["risk"]["bureau_record"] == "SIM-100"
    assert item["identity"]["id_number_masked"] == "3205**********0043"

    decision = olivia.call("POST", f"/v1/admin/reviews/{approved_id}/decision",
                           {"decision": "APPROVE", "comment": "流水稳定", "credit_limit_fen": 6_000_000})
    olivia_sub = next(u["sub"] for u in stack.users if u["username"] == "olivia")
    assert decision == {"application_id": approved_id, "decision": "APPROVE", "status": "DECIDED",
                        "credit_limit_fen": 6_000_000, "decided_by": olivia_sub}
    assert bob.wait_status(approved_id, "OFFERED")["offer"]["credit_limit_fen"] == 6_000_000
    olivia.call("POST", f"/v1/admin/reviews/{declined_id}/decision", {"decision": "DECLINE", "comment": "负债偏高"})
    assert bob.wait_status(declined_id, "DECLINED")["status"] == "DECLINED"
    assert executions.origination(declined_id)["status"] == "SUCCEEDED"
    # a decided review cannot be decided again
    status, _ = olivia.send("POST", f"/v1/admin/reviews/{declined_id}/decision", olivia.token,
                            {"decision": "APPROVE", "comment": "again"}, None)
    assert status == 409
    trail = bootstrap.deps().repo.audit_trail(approved_id)
    review = [e for e in trail if e["event"] == "ReviewDecided"]
    assert len(review) == 1 and review[0]["actor"] == f"officer:{olivia_sub}"


def test_a_large_line_needs_two_different_officers(journey: Callable[[str], Journey]) -> None:
    bob, olivia, oscar = journey("carol"), journey("olivia"), journey("oscar")
    app_id = bob.apply_and_submit(card="refer_sun", requested_fen=15_000_000, revenue_fen=200_000_000)
    bob.wait_status(app_id, "UNDER_REVIEW")
    first = olivia.call("POST", f"/v1/admin/reviews/{app_id}/decision",
                        {"decision": "APPROVE", "comment": "同意", "credit_limit_fen": 14_000_000})
    assert first["status"] == "AWAITING_SECOND_APPROVAL" and first["credit_limit_fen"] == 14_000_000
    status, payload = olivia.send("POST", f"/v1/admin/reviews/{app_id}/decision", olivia.token,
                                  {"decision": "APPROVE", "comment": "再次同意"}, None)
    assert status == 409 and payload["error"]["code"] == "SECOND_OFFICER_REQUIRED"
    assert bob.call("GET", f"/v1/applications/{app_id}")["status"] == "UNDER_REVIEW"
    second = oscar.call("POST", f"/v1/admin/reviews/{app_id}/decision",
                        {"decision": "APPROVE", "comment": "复核同意", "credit_limit_fen": 15_000_000})
    assert second["status"] == "DECIDED" and second["credit_limit_fen"] == 14_000_000  # never above the maker's
    assert bob.wait_status(app_id, "OFFERED")["offer"]["credit_limit_fen"] == 14_000_000


def test_an_offer_not_signed_in_time_expires(journey: Callable[[str], Journey], executions: Executions) -> None:
    settings = bootstrap.deps().settings
    bootstrap.override(settings=settings.model_copy(update={"offer_validity_seconds": 2}))
    bob = journey("carol")
    app_id = bob.apply_and_submit()
    bob.wait_status(app_id, "OFFERED")
    assert bob.wait_status(app_id, "EXPIRED")["next_action"] == "NONE"
    assert executions.origination(app_id)["status"] == "SUCCEEDED"
    assert "ExpireOffer" in executions.entered_states("ORIGINATION_STATE_MACHINE_ARN", app_id)
    status, _payload = bob.send("POST", f"/v1/applications/{app_id}/offer/acceptance", bob.token, None, None)
    assert status == 409


class UnavailableBureau(CreditBureau):
    def __init__(self) -> None:
        self.calls = 0

    def report(self, id_number):  # type: ignore[no-untyped-def]
        self.calls += 1
        raise CreditDataUnavailableError("the bureau did not answer")


def test_a_failing_step_is_retried_then_caught_and_the_reason_recorded(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    bureau = UnavailableBureau()
    bootstrap.override(bureau=bureau)
    bob = journey("carol")
    app_id = bob.apply_and_submit()
    failed = bob.wait_status(app_id, "FAILED")
    assert failed["failure_reason"] == "CreditDataUnavailableError" and failed["next_action"] == "CONTACT_BANK"
    assert bureau.calls == 3  # the first call and MaxAttempts=2 retries
    execution = executions.origination(app_id)
    assert execution["status"] == "FAILED" and execution.get("error") == "OriginationFailed"


def test_withdrawal_stops_a_waiting_workflow(journey: Callable[[str], Journey], executions: Executions) -> None:
    bob = journey("carol")
    app_id = bob.apply_and_submit()
    bob.wait_status(app_id, "OFFERED")
    assert bob.call("POST", f"/v1/applications/{app_id}/withdrawal")["status"] == "WITHDRAWN"
    assert executions.origination(app_id)["status"] == "SUCCEEDED"
    assert executions.entered_states("ORIGINATION_STATE_MACHINE_ARN", app_id)[-1] == "Withdrawn"
