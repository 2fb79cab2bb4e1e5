"""The local Lambda Runtime API speaks the protocol a runtime in a container image expects (checked here with a
runtime written from the documented protocol; the image test runs the real awslambdaric against it)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

from local.runtime_api import PREFIX, RuntimeApi


def call(api: RuntimeApi, method: str, path: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://{api.address}{PREFIX}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - http to the local emulator
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


def runtime(api: RuntimeApi, handler: Any) -> threading.Thread:
    """A one-event runtime: next, then response (or error if the handler raises)."""
    def run() -> None:
        _, headers, event = call(api, "GET", "/invocation/next")
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        try:
            call(api, "POST", f"/invocation/{request_id}/response", handler(event, headers))
        except Exception as err:
            call(api, "POST", f"/invocation/{request_id}/error",
                 {"errorType": type(err).__name__, "errorMessage": str(err)})
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_an_event_goes_to_the_runtime_with_the_headers_lambda_sends_and_its_answer_comes_back() -> None:
    api = RuntimeApi("arn:aws:lambda:local:000000000000:function:f")
    seen: dict[str, str] = {}
    runtime(api, lambda event, headers: (seen.update(headers), {"echo": event})[1])
    invocation = api.invoke({"Records": [1]}, timeout_seconds=10)
    assert invocation.result == {"echo": {"Records": [1]}} and invocation.error is None
    assert seen["Content-Type"] == "application/json"  # awslambdaric crashes without it
    assert seen["Lambda-Runtime-Invoked-Function-Arn"].endswith(":function:f")
    assert int(seen["Lambda-Runtime-Deadline-Ms"]) > 0 and seen["Lambda-Runtime-Trace-Id"].startswith("Root=1-")
    api.close()


def test_an_error_is_the_functions_error_and_an_unknown_request_id_is_refused() -> None:
    api = RuntimeApi("arn:f")
    runtime(api, lambda event, headers: 1 / 0)
    invocation = api.invoke({}, timeout_seconds=10)
    assert invocation.error == {"errorType": "ZeroDivisionError", "errorMessage": "division by zero"}
    assert call(api, "POST", "/invocation/no-such-id/response", {})[0] == 400
    assert call(api, "POST", "/init/error", {"errorType": "Runtime.ImportModuleError"})[0] == 202
    assert api.init_error == {"errorType": "Runtime.ImportModuleError"}
    api.close()


def test_no_answer_in_time_is_a_timeout() -> None:
    api = RuntimeApi("arn:f")
    assert api.invoke({}, timeout_seconds=1).error["errorType"] == "Sandbox.Timedout"  # type: ignore[index]
    api.close()
