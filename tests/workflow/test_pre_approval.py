"""The pre-approval batch on its real state machine (infra/pre_approval.asl.json, a Distributed Map of segments)
on the local stack: the bank's own data only, no bureau query; alice is offered a line, bob and the sandbox's
falling and dormant customers are not; her profile shows it; applying from it still queries the bureau, and an
offer below it says why."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib import bootstrap
from chalicelib.domain.customer_record import PreApproval
from chalicelib.domain.money import Money
from local.journey import Journey, run_pre_approval


def test_the_batch_offers_lines_from_the_banks_data_and_the_profile_shows_them(
        journey: Callable[[str], Journey], live: object) -> None:
    asked: list[str] = []
    bureau = bootstrap.deps().bureau
    original = bureau.report
    bureau.report = lambda id_number: asked.append(id_number) or original(id_number)  # type: ignore[method-assign]
    batch = run_pre_approval()
    assert batch == {"offered": 2, "customers": 5, "limit_fen": batch["limit_fen"]}  # alice and sandbox-thin
    assert asked == []  # no bureau query before a customer consents to one
    alice = journey("alice").profile()
    assert alice is not None and alice["pre_approval"] is not None
    assert alice["pre_approval"]["limit_fen"] >= 10_000_00 and alice["pre_approval"]["annual_rate_from"] == "0.0450"
    for login in ("bob", "sandbox-falling", "sandbox-dormant"):
        profile = journey(login).profile()
        assert profile is not None and profile["pre_approval"] is None, login
    assert run_pre_approval() == batch  # a second run replaces the first's: the same figures


def test_a_customer_no_longer_eligible_loses_her_pre_approval(journey: Callable[[str], Journey],
                                                              live: object) -> None:
    repo = bootstrap.deps().repo
    now = bootstrap.deps().clock.now()
    old = PreApproval("8801000000025", Money.yuan(80_000), "0.0450", now, now, ())
    repo.save_pre_approval(old)  # an earlier run's, for bob
    run_pre_approval()
    profile = journey("bob").profile()
    assert profile is not None and profile["pre_approval"] is None


def test_an_offer_below_the_pre_approval_says_why(journey: Callable[[str], Journey], live: object) -> None:
    """alice asks for all of her pre-approved line; the bureau's data and her verified revenue support less."""
    run_pre_approval()
    alice = journey("alice")
    profile = alice.profile()
    assert profile is not None
    pre = profile["pre_approval"]["limit_fen"]
    app_id = alice.apply_from_record(requested_fen=pre)
    alice.upload_documents(app_id, "valid_zhang")
    alice.pass_liveness(app_id)
    alice.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    offered = alice.wait_status(app_id, "OFFERED", "REFERRED", "DECLINED")
    assert offered["status"] == "OFFERED" and offered["offer"]["credit_limit_fen"] < pre
    assert offered["decision"]["reason_codes"][-1] == "BELOW_PRE_APPROVAL"
    reasons = {r["code"]: r["zh"] for r in offered["decision"]["reasons"]}
    assert reasons["BELOW_PRE_APPROVAL"] == "结合征信等信息核定的额度低于您的预授信额度"


def test_the_state_machine_has_as_many_segments_as_the_batch_splits_the_customers_into() -> None:
    import json
    from pathlib import Path

    from chalicelib.services.origination.pre_approvals import PRE_APPROVAL_SEGMENTS

    definition = json.loads((Path(__file__).parents[2] / "infra" / "pre_approval.asl.json").read_text())
    segments = definition["States"]["Segments"]["Parameters"]["segments.$"]
    assert segments == f"States.ArrayRange(0, {PRE_APPROVAL_SEGMENTS - 1}, 1)"
    assert definition["States"]["PreApproveSegments"]["ItemSelector"]["segments"] == PRE_APPROVAL_SEGMENTS
