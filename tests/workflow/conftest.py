from __future__ import annotations

import json
import os
import time
from typing import Any

import boto3
import pytest


class Executions:
    """Reads the Step Functions executions that moto really ran from infra/*.asl.json."""

    def __init__(self) -> None:
        self.sfn = boto3.client("stepfunctions")

    def arn(self, machine_env: str, name: str) -> str:
        machine = os.environ[machine_env]
        return machine.replace(":stateMachine:", ":execution:") + f":{name}"

    def wait(self, machine_env: str, name: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            result = self.sfn.describe_execution(executionArn=self.arn(machine_env, name))
            if result["status"] != "RUNNING":
                return dict(result)
            if time.monotonic() > deadline:
                raise AssertionError(f"execution {name} still running")
            time.sleep(0.2)

    def origination(self, application_id: str) -> dict[str, Any]:
        return self.wait("ORIGINATION_STATE_MACHINE_ARN", application_id)

    def drawdown(self, drawdown_id: str) -> dict[str, Any]:
        return self.wait("DRAWDOWN_STATE_MACHINE_ARN", drawdown_id)

    def history_text(self, machine_env: str, name: str) -> str:
        events = self.sfn.get_execution_history(executionArn=self.arn(machine_env, name), maxResults=1000)["events"]
        return json.dumps(events, default=str, ensure_ascii=False)

    def entered_states(self, machine_env: str, name: str) -> list[str]:
        events = self.sfn.get_execution_history(executionArn=self.arn(machine_env, name), maxResults=1000)["events"]
        return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


@pytest.fixture
def executions(live) -> Executions:  # type: ignore[no-untyped-def]
    return Executions()
