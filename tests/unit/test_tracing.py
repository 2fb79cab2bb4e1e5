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


class FakeTracer:
    def __init__(self) -> None:
        self.disabled = False
        self.provider = RecordingProvider()


def test_outside_lambda_nothing_is_traced_and_nothing_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.setattr(observability, "_tracer", [])
    assert observability.traced("event", lambda e: f"answered {e}") == "answered event"
    assert observability._tracer == []  # the X-Ray SDK was not even imported


def test_in_lambda_each_invocation_is_a_subsegment_named_after_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTracer()
    provider = fake.provider
    monkeypatch.setattr(observability, "_tracer", [fake])
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "lending-prod-DisburseFunds")
    assert observability.traced({"drawdown_id": "dd_1"}, lambda e: {"ok": True}) == {"ok": True}
    assert provider.opened == ["## lending-prod-DisburseFunds"]


def test_every_function_of_the_app_passes_through_the_tracing_middleware() -> None:
    import app

    assert (observability.traced, "all") in app.app.middleware_handlers
