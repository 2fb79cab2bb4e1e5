"""Metrics added on the API, schedule and queue paths are published (flushed), not dropped at the end of the
invocation: Powertools publishes only what a decorated handler flushes."""

import json

import pytest

from chalicelib.observability import metrics, publishes_metrics


def test_a_handler_that_adds_a_metric_publishes_it_even_when_it_fails(capsys: pytest.CaptureFixture[str]) -> None:
    metrics.clear_metrics()  # what earlier tests' services added outside any handler
    @publishes_metrics
    def scheduled(event: object) -> None:
        metrics.add_metric(name="LoansOverdue", unit="Count", value=1)
        raise RuntimeError("the run failed after counting")

    with pytest.raises(RuntimeError):
        scheduled({})
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [m["LoansOverdue"] for m in emitted] == [[1.0]] or [m["LoansOverdue"] for m in emitted] == [1.0]


def test_every_schedule_and_queue_handler_publishes_its_metrics() -> None:
    import app

    non_workflow = {name: fn for name, fn in app.app.handler_map.items()
                    if name in ("on_document_uploaded", "on_credit_report_stored", "on_external_record",
                                "daily_sweep", "renew_archive_timestamps")}
    assert len(non_workflow) == 5
    for name, handler in non_workflow.items():
        wrapped = getattr(handler, "func", handler)
        assert getattr(wrapped, "publishes_metrics", False), name


def test_the_api_middleware_publishes_what_a_command_added(capsys: pytest.CaptureFixture[str]) -> None:
    import app

    class Event:
        def __init__(self) -> None:
            self.uri_params: dict[str, str] = {}
            self.context = {"requestId": "r-1"}

    def command(event: object) -> object:
        from chalice import Response

        metrics.add_metric(name="ContractsSigned", unit="Count", value=1)
        return Response(body={}, status_code=200)

    app.api_conventions(Event(), command)
    assert "ContractsSigned" in capsys.readouterr().out
