"""Structured logs and metrics (Powertools), and the masking every log line and API answer relies on.

Rule: log ids, statuses, amounts and reason codes; never a name, phone number, ID number, account number, OTP or
image. ``mask_*`` exist for the few places that must show a hint of personal data to its owner.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

from .domain.masks import mask_phone as mask_phone  # (re-exported: the logs mask phones as the screens do)

logger = Logger(service="lending")
metrics = Metrics(namespace="Lending", service="lending")
_tracer: list[Any] = []  # Powertools' Tracer, made on the first traced invocation in Lambda (see tracer())

F = TypeVar("F", bound=Callable[..., Any])


def flush_metrics() -> None:
    """Publishes the metrics added during this invocation (CloudWatch embedded metric format on stdout)."""
    if metrics.metric_set:
        metrics.flush_metrics()


def publishes_metrics(handler: F) -> F:
    """For handlers Powertools' ``log_metrics`` cannot wrap (Chalice schedule and SQS handlers take one
    argument): whatever the handler added is flushed when it returns or fails."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        finally:
            flush_metrics()

    wrapper.publishes_metrics = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


_ID_NUMBER = re.compile(r"\b(\d{4})\d{10}(\d{3}[\dXx])\b")


def mask_id_number(id_number: str) -> str:
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", id_number)


def tracer() -> Any:
    """X-Ray (the functions run with active tracing): Powertools' Tracer patches botocore so that every AWS call is
    a subsegment of the invocation. Made on first use, not at import: the X-Ray SDK (and botocore with it) costs
    ~300 ms of import that a cold start should not pay before it has to."""
    if not _tracer:
        from aws_lambda_powertools import Tracer

        _tracer.append(Tracer(service="lending"))
    return _tracer[0]


def traced(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware for every function: its invocation as one X-Ray subsegment named after the function.
    Outside Lambda (the local stack, the tests) it does nothing and loads nothing."""

    function = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    if not function or os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() == "true":
        return get_response(event)
    active = tracer()
    if active.disabled:
        return get_response(event)
    with active.provider.in_subsegment(name=f"## {function}"):
        return get_response(event)
