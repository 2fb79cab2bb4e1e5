"""Starts and resumes the state machines in infra/. Execution names are the business ids, so a second start of
the same application or drawdown is refused by Step Functions itself (ExecutionAlreadyExists) and is harmless."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..ports import Workflow


class StepFunctionsWorkflow(Workflow):
    def __init__(self, client: Any, origination_arn: str, drawdown_arn: str, sweep_arn: str = "") -> None:
        self._sfn = client
        self._origination = origination_arn
        self._drawdown = drawdown_arn
        self._sweep = sweep_arn

    def _start(self, arn: str, name: str, payload: dict[str, Any]) -> None:
        try:
            self._sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps(payload))
        except self._sfn.exceptions.ExecutionAlreadyExists:
            pass  # a replay of the same request: the workflow already runs (or ran) for this id

    def start_origination(self, application_id: str) -> None:
        self._start(self._origination, application_id, {"application_id": application_id})

    def start_drawdown(self, drawdown_id: str) -> None:
        self._start(self._drawdown, drawdown_id, {"drawdown_id": drawdown_id})

    def start_daily_sweep(self, day: date) -> None:
        self._start(self._sweep, f"sweep-{day.isoformat()}", {"day": day.isoformat()})

    def resume(self, task_token: str, output: dict[str, Any]) -> None:
        self._sfn.send_task_success(taskToken=task_token, output=json.dumps(output))

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self._sfn.send_task_failure(taskToken=task_token, error=error, cause=cause)
