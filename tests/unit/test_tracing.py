"""X-Ray: every function's invocation is one subsegment named after the function; outside Lambda, nothing."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import pytest

from chalicelib import observability


class RecordingProvider:
    def __init__(self) -> None:
        self.opened: list[str] = []

    @contextmanager
    def in_subsegment(self, name: str, **_: Any) -> Any:
        self.opened.append(name)
        yield self


def test_outside_lambda_the_tracer_is_off_and_the_handler_runs_untouched() -> None:
    assert observability.tracer.disabled
    assert observability.traced("event", lambda e: f"answered {e}") == "answered event"


def test_in_lambda_each_invocation_is_a_subsegment_named_after_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = RecordingProvider()
    monkeypatch.setattr(observability.tracer, "disabled", False)
    monkeypatch.setattr(observability.tracer, "provider", provider)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "lending-prod-DisburseFunds")
    assert observability.traced({"drawdown_id": "dd_1"}, lambda e: {"ok": True}) == {"ok": True}
    assert provider.opened == ["## lending-prod-DisburseFunds"]


def test_every_function_of_the_app_passes_through_the_tracing_middleware() -> None:
    import app

    assert (observability.traced, "all") in app.app.middleware_handlers
