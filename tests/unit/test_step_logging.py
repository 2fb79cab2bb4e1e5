"""Every log line of a workflow step names what it works on (its correlation id) and the function that ran, as
Powertools reads them from the event and the Lambda context; the event itself is never logged."""

import io
import json
import logging
from typing import Any

import pytest

from chalicelib.workflow import handlers
from local.lambda_runtime import LocalLambdaContext


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Any:
    lending = logging.getLogger("lending")
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(lending.handlers[0].formatter)
    lending.addHandler(handler)
    monkeypatch.setattr(handlers.bootstrap, "deps", lambda: None)
    yield lambda: [json.loads(line) for line in captured.getvalue().splitlines()]
    lending.removeHandler(handler)


def test_a_step_logs_under_its_application_then_the_next_under_its_drawdown(log_lines: Any,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def probe(deps: Any, subject: str, *rest: Any) -> dict[str, Any]:
        handlers.logger.info("probe", extra={"subject": subject})
        return {}

    monkeypatch.setattr(handlers.origination_steps, "expire_offer", probe)
    monkeypatch.setattr(handlers.drawdowns, "book_loan", probe)
    handlers.expire_offer({"application_id": "app_1", "applicant_name": "张三"}, LocalLambdaContext("expire_offer"))
    handlers.book_loan({"drawdown_id": "dd_2"}, LocalLambdaContext("book_loan"))
    first, second = (line for line in log_lines() if line["message"] == "probe")
    assert (first["correlation_id"], first["function_name"]) == ("app_1", "expire_offer")
    assert (second["correlation_id"], second["function_name"]) == ("dd_2", "book_loan")
    assert "cold_start" in first and "function_request_id" in second
    assert all("张三" not in json.dumps(line, ensure_ascii=False) for line in log_lines())
