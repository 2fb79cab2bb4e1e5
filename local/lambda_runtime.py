"""Runs the project's real Lambda handlers in-process when moto invokes a function.

moto needs Docker to run Lambda code and there is no Docker engine here. Every invocation in moto - a direct
invoke, a Step Functions Task, an SQS event source mapping - goes through ``LambdaFunction._invoke_lambda``.
Replacing that one method with a call into the registered Chalice function runs the same code AWS would run.
Errors come back as ``{"errorType", "errorMessage"}`` with the function-error flag set, exactly the payload the
Step Functions interpreter turns into the error name that ``Catch``/``Retry`` match on.
DEV ONLY: imported by local/stack.py and the tests, never by chalicelib or app.py."""

from __future__ import annotations

import json
import logging
import threading
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from moto.awslambda.models import LambdaFunction

FUNCTION_PREFIX = "lending-local-"
_handlers: dict[str, Callable[[Any, Any], Any]] = {}
_invocations: list[tuple[str, dict[str, Any]]] = []
_lock = threading.Lock()
_log = logging.getLogger("local.lambda")


class LocalLambdaContext:
    def __init__(self, function_name: str, timeout_seconds: int = 60) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{function_name}"
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._timeout = timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return self._timeout * 1000


def _invoke(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    name = self.function_name
    handler = _handlers.get(name)
    if handler is None:
        return json.dumps({"errorType": "ResourceNotFoundException",
                           "errorMessage": f"no local handler for {name}"}), True, ""
    payload = event if isinstance(event, dict) else json.loads(event or "{}")
    with _lock:
        _invocations.append((name, payload))
    try:
        result = handler(payload, LocalLambdaContext(name))
    except Exception as err:  # the Lambda runtime's contract: the exception becomes the error payload
        _log.info("function %s raised %s", name, type(err).__name__)  # as CloudWatch would show it
        return json.dumps({"errorType": type(err).__name__, "errorMessage": str(err),
                           "stackTrace": traceback.format_tb(err.__traceback__)[-3:]}), True, ""
    return json.dumps(result if result is not None else {}), False, ""


def install(chalice_app: Any) -> dict[str, str]:
    """Registers every non-HTTP handler of the Chalice app under its local function name and patches moto.
    Returns {chalice function name: local Lambda function name}."""
    names: dict[str, str] = {}
    for name, handler in chalice_app.handler_map.items():
        if name == "api_handler" or name in {a.name for a in chalice_app.builtin_auth_handlers}:
            continue
        local_name = FUNCTION_PREFIX + name
        _handlers[local_name] = handler
        names[name] = local_name
    LambdaFunction._invoke_lambda = _invoke  # type: ignore[method-assign]
    return names


def invocations() -> list[tuple[str, dict[str, Any]]]:
    with _lock:
        return list(_invocations)
