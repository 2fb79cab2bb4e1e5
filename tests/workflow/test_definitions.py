"""Static checks of the state machines: what deploy, local run and tests all execute."""

import json
import re
from pathlib import Path

import pytest

import app
import chalicelib.domain.errors as domain_errors
from infra.build_asl import DEFINITIONS, render
from local.cfn import function_logical_id, load_template

INFRA = Path(__file__).resolve().parents[2] / "infra"
MACHINES = {name: json.loads((INFRA / name).read_text(encoding="utf-8")) for name in DEFINITIONS}


def tasks(definition: dict) -> dict[str, dict]:
    """Every Task, including those inside a Map's item processor (the sweep's shard task)."""
    found = {}
    for name, state in definition["States"].items():
        if state["Type"] == "Task":
            found[name] = state
        if state["Type"] == "Map":
            found.update(tasks(state.get("ItemProcessor") or state["Iterator"]))
    return found


def test_the_committed_asl_files_are_what_the_builder_writes() -> None:
    for name, definition in DEFINITIONS.items():
        assert (INFRA / name).read_text(encoding="utf-8") == render(definition), f"run `make asl` ({name})"


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_error_name_in_a_catch_or_retry_is_a_domain_error(name: str) -> None:
    names = set()
    for state in tasks(MACHINES[name]).values():
        for clause in state.get("Retry", []) + state.get("Catch", []):
            names.update(clause["ErrorEquals"])
    ours = {n for n in names if not n.startswith(("States.", "Lambda."))}
    assert ours, "expected business errors in the workflow"
    for error in ours:
        cls = getattr(domain_errors, error, None)
        assert isinstance(cls, type) and issubclass(cls, domain_errors.LendingError), error


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_task_has_a_timeout_a_retry_on_lambda_errors_and_a_catch(name: str) -> None:
    for state_name, state in tasks(MACHINES[name]).items():
        assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state, state_name
        lambda_retry = [r for r in state["Retry"] if "Lambda.ServiceException" in r["ErrorEquals"]]
        assert lambda_retry and lambda_retry[0]["BackoffRate"] > 1 and lambda_retry[0]["JitterStrategy"] == "FULL"
        assert any("States.ALL" in c["ErrorEquals"] for c in state["Catch"]), state_name


INVOKED_BY_THE_API = {"SealContract"}  # a function of its own so that only its role holds the seal key


def test_every_task_resource_is_a_registered_chalice_function_and_a_template_substitution() -> None:
    registered = {function_logical_id(f.name) for f in app.app.pure_lambda_functions} - INVOKED_BY_THE_API
    template = load_template()["Resources"]
    substitutions = {
        key for machine in ("OriginationStateMachine", "DrawdownStateMachine", "SweepStateMachine",
                            "PreApprovalStateMachine")
        for key in template[machine]["Properties"]["DefinitionSubstitutions"]}
    used = set()
    for definition in MACHINES.values():
        used.update(re.findall(r"\$\{(\w+)FunctionArn\}", json.dumps(definition)))
    assert used == registered, "every workflow step is a Lambda function of the app, and vice versa"
    assert {f"{u}FunctionArn" for u in used} == substitutions


def test_waits_for_people_are_task_tokens_and_the_offer_wait_expires_with_the_offer() -> None:
    states = MACHINES["origination.asl.json"]["States"]
    for name in ("AwaitManualReview", "MakeOfferAndAwaitSignature"):
        assert states[name]["Resource"].endswith(".waitForTaskToken")
        assert states[name]["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"
    offer = states["MakeOfferAndAwaitSignature"]
    assert offer["TimeoutSecondsPath"] == "$.decision.offer_validity_seconds"
    assert offer["Catch"][0] == {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "ExpireOffer"}


def test_only_ids_are_passed_to_the_steps() -> None:
    for definition in MACHINES.values():
        for state in tasks(definition).values():
            params = state["Parameters"].get("Payload", state["Parameters"])
            assert set(params) <= {"application_id.$", "drawdown_id.$", "error.$", "task_token.$", "shard.$", "day.$",
                                   "segment.$", "segments.$"}  # (a shard or a segment is a number, not a person)


def test_every_function_has_its_own_policies_and_the_authorizer_none() -> None:
    """`chalice package` makes one role per function, named <Function>Role; the template attaches to each only
    the policies of what its code does (the local stack enforces them)."""
    resources = load_template()["Resources"]
    attached: dict[str, set[str]] = {}
    for logical, resource in resources.items():
        if resource.get("Type") == "AWS::IAM::ManagedPolicy":
            for role in resource["Properties"]["Roles"]:
                attached.setdefault(role["Ref"], set()).add(logical)
    functions = [f.name for f in app.app.pure_lambda_functions] + [e.name for e in app.app.event_sources]
    for name in set(functions) - {"daily_sweep"}:
        assert "WorkflowRecordsPolicy" in attached[f"{function_logical_id(name)}Role"], name
    assert attached["DailySweepRole"] == {"SweepStartPolicy", "TracingPolicy"}  # it starts the sweep, no more
    assert "ApiFunctionPolicy" in attached["ApiHandlerRole"]
    assert attached["JwtAuthorizerRole"] == {"TracingPolicy"}  # it writes traces and reads nothing
    holders = {role for role, policies in attached.items() if "SealKeyPolicy" in policies}
    assert holders == {"SealContractRole"}
