"""The credit step on the local stack: reports land in S3 and the event scores the application; the workflow's
score step then decides from what is stored."""

from collections.abc import Callable

from chalicelib import bootstrap
from local.journey import Journey


def test_a_report_landing_in_s3_scores_the_application(journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")  # new to the bank
    app_id = carol.apply_and_submit(card="longterm_li")
    offered = carol.wait_status(app_id, "OFFERED")
    trail = [e["event"] for e in bootstrap.deps().repo.audit_trail(app_id)]
    # scored once - by the report's event or by the workflow's score step, whichever came first (on AWS, as here,
    # the event is asynchronous) - and before the decision
    assert trail.count("ApplicationScored") == 1
    assert trail.index("ApplicationScored") < trail.index("CreditDecided")
    from local import lambda_runtime

    handed = [r["body"] for name, event in lambda_runtime.invocations() if name.endswith("on_credit_report_stored")
              for r in event.get("Records", [])]
    assert any(f"reports%2F{app_id}%2Fbureau.json" in body for body in handed)  # its event reached the function
    deps = bootstrap.deps()
    assert deps.reports.get_report(app_id, "bureau")["record"] == "SIM-378"  # type: ignore[index]
    assert len(deps.reports.get_report(app_id, "tax")["months"]) == 12  # type: ignore[index]
    assert offered["offer"]["annual_rate"] == "0.0580" and offered["decision"]["outcome"] == "APPROVE"  # grade B


def test_the_scoring_event_is_idempotent(journey: Callable[[str], Journey]) -> None:
    from chalicelib.services.origination import credit

    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    deps = bootstrap.deps()
    before = deps.repo.get_application(app_id).risk
    deps.reports.put_report(app_id, "bureau", deps.reports.get_report(app_id, "bureau") or {})  # redelivered
    assert credit.assess(deps, app_id) == before == deps.repo.get_application(app_id).risk
