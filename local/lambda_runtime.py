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

from local import moto_iam

FUNCTION_PREFIX = "lending-local-"
_handlers: dict[str, Callable[[Any, Any], Any]] = {}
_chalice_names: dict[str, str] = {}  # local function name -> chalice name (whose role it runs as)
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
        with moto_iam.acting_as(_chalice_names[name]):  # with the credentials of the function's own role
            result = handler(payload, LocalLambdaContext(name))
    except Exception as err:  # the Lambda runtime's contract: the exception becomes the error payload
        _log.info("function %s raised %s", name, type(err).__name__)  # as CloudWatch would show it
        reported = getattr(err, "error", None)  # an image function's own error, as its runtime reported it
        if isinstance(reported, dict):
            return json.dumps(reported), True, ""
        return json.dumps({"errorType": type(err).__name__, "errorMessage": str(err),
                           "stackTrace": traceback.format_tb(err.__traceback__)[-3:]}), True, ""
    return json.dumps(result if result is not None else {}), False, ""


def install(chalice_app: Any) -> dict[str, str]:
    """Registers every non-HTTP handler of the Chalice app under its local function name and patches moto; the
    API handler and the authorizer run as their own functions' roles too. Returns {chalice name: local name}."""
    names: dict[str, str] = {}
    authorizers = {a.name for a in chalice_app.builtin_auth_handlers}
    for name, handler in chalice_app.handler_map.items():
        if name == "api_handler" or name in authorizers:
            continue
        local_name = FUNCTION_PREFIX + name
        _handlers[local_name] = handler
        _chalice_names[local_name] = name
        names[name] = local_name
    LambdaFunction._invoke_lambda = _invoke  # type: ignore[method-assign]
    _run_http_functions_as_their_roles(authorizers)
    return names


def identities(chalice_app: Any) -> list[str]:
    """Every function that runs code, each with a role of its own: the API handler, the authorizer(s), the rest."""
    return ["api_handler", *sorted(a.name for a in chalice_app.builtin_auth_handlers),
            *sorted(n for n in chalice_app.handler_map if n != "api_handler"
                    and n not in {a.name for a in chalice_app.builtin_auth_handlers})]


def _run_http_functions_as_their_roles(authorizers: set[str]) -> None:
    """chalice local and Chalice's test client call the app object (the API function) and the authorizer object
    in-process: each call runs with its function's role."""
    from chalice.app import Chalice, ChaliceAuthorizer

    if getattr(Chalice, "_local_roles", False):
        return
    api_call, authorizer_call = Chalice.__call__, ChaliceAuthorizer.__call__

    def api(self: Any, event: Any, context: Any) -> Any:
        with moto_iam.acting_as(_identity_of_request(event)):
            return api_call(self, event, context)

    def authorizer(self: Any, event: Any, context: Any) -> Any:
        with moto_iam.acting_as(self.name):
            return authorizer_call(self, event, context)

    Chalice.__call__ = api  # type: ignore[method-assign]
    ChaliceAuthorizer.__call__ = authorizer  # type: ignore[method-assign]
    Chalice._local_roles = True  # type: ignore[attr-defined]


FEED_IDENTITY = "external_records_feed"
FEED_ROUTE = "/v1/dev/external-records"


def _identity_of_request(event: Any) -> str:
    """The API's role, except for the dev route that stands in for the bank's record feed: it writes as the
    feed's role (ExternalRecordsFeedRole), so the API's own role never needs to write external records."""
    route = event.get("requestContext", {}).get("resourcePath") if isinstance(event, dict) else None
    return FEED_IDENTITY if route == FEED_ROUTE else "api_handler"


def route(chalice_name: str, handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Runs a function with another handler (a container image through the Runtime API); returns the old one."""
    local_name = FUNCTION_PREFIX + chalice_name
    previous = _handlers[local_name]
    _handlers[local_name] = handler
    return previous


def invocations() -> list[tuple[str, dict[str, Any]]]:
    with _lock:
        return list(_invocations)
